"""The lock files and pyproject.toml cannot drift apart.

``pyproject.toml`` holds the ranges Suunta accepts; ``requirements.lock``
(runtime, the Docker image) and ``requirements-dev.lock`` (runtime and dev
tools, ``make install`` and CI) pin what is installed, with hashes, and pip
installs them with ``--require-hashes --no-deps``: a dependency missing from a
lock file is simply not installed. ``make lock`` rewrites both.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from packaging.markers import Marker, default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
LOCK_DEV = ROOT / "requirements-dev.lock"

# Where Suunta is installed: CPython 3.12 and 3.13 on 64-bit Linux (Intel/AMD and ARM).
TARGETS = [
    {
        **default_environment(),
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "sys_platform": "linux",
        "platform_system": "Linux",
        "os_name": "posix",
        "platform_machine": machine,
        "python_version": python,
        "python_full_version": f"{python}.0",
        "implementation_version": f"{python}.0",
    }
    for python in ("3.12", "3.13")
    for machine in ("x86_64", "aarch64")
]

_PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;]+)\s*(?:;(?P<marker>.*))?$"
)
_HASH = re.compile(r"^--hash=sha256:[0-9a-f]{64}$")


@dataclass
class Pin:
    name: str
    version: Version
    marker: Marker | None
    hashes: set[str] = field(default_factory=set)

    def applies_everywhere(self) -> bool:
        return self.marker is None or all(self.marker.evaluate(target) for target in TARGETS)


def read_lock(path: Path) -> dict[str, list[Pin]]:
    """The pins of a lock file by canonical name (a universal lock may pin a
    package twice, under exclusive markers)."""
    pins: dict[str, list[Pin]] = {}
    # A requirement and its hashes are one logical line, continued with "\".
    text = re.sub(r"\\\n", " ", path.read_text())
    for line in text.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        words = line.split(" --hash=")
        match = _PIN.match(words[0].strip())
        assert match, f"{path.name}: not an exact pin: {line[:80]!r}"
        hashes = {f"--hash={word.strip()}" for word in words[1:]}
        assert all(_HASH.match(value) for value in hashes), (
            f"{path.name}: bad hash in {line[:80]!r}"
        )
        marker = match.group("marker")
        pin = Pin(
            name=canonicalize_name(match.group("name")),
            version=Version(match.group("version")),
            marker=Marker(marker.strip()) if marker and marker.strip() else None,
            hashes=hashes,
        )
        pins.setdefault(pin.name, []).append(pin)
    return pins


def declared() -> tuple[list[Requirement], list[Requirement]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return (
        [Requirement(text) for text in project["dependencies"]],
        [Requirement(text) for text in project["optional-dependencies"]["dev"]],
    )


def _check_locked(
    requirements: list[Requirement], pins: dict[str, list[Pin]], lock: str
) -> list[str]:
    problems = []
    for requirement in requirements:
        if requirement.marker and not any(requirement.marker.evaluate(t) for t in TARGETS):
            continue
        name = canonicalize_name(requirement.name)
        locked = [pin for pin in pins.get(name, []) if pin.applies_everywhere()]
        if not locked:
            problems.append(
                f"{requirement.name} is not pinned in {lock} for Linux CPython 3.12/3.13"
            )
            continue
        for pin in locked:
            if not pin.hashes:
                problems.append(f"{requirement.name}=={pin.version} has no hash in {lock}")
            if not requirement.specifier.contains(pin.version, prereleases=True):
                problems.append(
                    f"{requirement.name}=={pin.version} in {lock} is outside pyproject's "
                    f"range {requirement.specifier}: run `make lock`"
                )
    return problems


def test_every_runtime_and_dev_dependency_is_pinned_with_hashes_in_range() -> None:
    runtime, dev = declared()
    problems = _check_locked(runtime + dev, read_lock(LOCK_DEV), LOCK_DEV.name)
    problems += _check_locked(runtime, read_lock(LOCK), LOCK.name)
    assert not problems, "\n".join(problems)


def test_every_pin_of_both_lock_files_has_a_hash() -> None:
    for path in (LOCK, LOCK_DEV):
        unhashed = [pin.name for pins in read_lock(path).values() for pin in pins if not pin.hashes]
        assert not unhashed, f"{path.name}: pins without hashes: {unhashed}"


def test_extras_named_in_pyproject_bring_their_packages_into_the_lock() -> None:
    # psycopg[binary] is useless without psycopg-binary, celery[redis] without
    # kombu's Redis client: the packages that make the extra work are locked.
    pins = read_lock(LOCK)
    for package in ("psycopg-binary", "redis"):
        assert any(pin.applies_everywhere() for pin in pins.get(package, [])), package


def test_the_runtime_lock_is_the_dev_lock_without_dev_tools() -> None:
    """The image runs the versions the tests ran on: same versions, same hashes."""
    runtime_pins, dev_pins = read_lock(LOCK), read_lock(LOCK_DEV)
    for name, pins in runtime_pins.items():
        assert name in dev_pins, f"{name} is in {LOCK.name} but not in {LOCK_DEV.name}"
        assert {(str(pin.version), frozenset(pin.hashes)) for pin in pins} <= {
            (str(pin.version), frozenset(pin.hashes)) for pin in dev_pins[name]
        }, f"{name} is locked differently in the two lock files"
    # Some dev extras are runtime dependencies of dependencies (drf-spectacular
    # reads YAML): only the tools that the image must not carry are checked.
    tools = {"pytest", "pytest-django", "playwright", "ruff", "uv", "factory-boy"}
    assert not tools & set(runtime_pins), "dev tools are in the runtime lock"


@pytest.mark.parametrize(
    ("path", "lock"),
    [("Makefile", "$(LOCK_DEV)"), ("Dockerfile", "requirements.lock")],
)
def test_installs_use_the_lock_with_hashes_and_no_resolution(path: str, lock: str) -> None:
    text = (ROOT / path).read_text()
    assert f"--require-hashes --no-deps -r {lock}" in text
    assert "tomllib" not in text, f"{path} still installs from pyproject.toml's ranges"
