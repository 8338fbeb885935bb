"""Settings parse the environment strictly: a typo stops the start with a clear message.

Each value is tried by running the settings module in this process with
only the given variables, as a fresh process would see them; a few
``manage.py check`` processes show that a start stops with the message on
stderr and that the accepted values give a project whose checks pass.
"""

from __future__ import annotations

import os
import re
import runpy
import subprocess
import sys
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
KEPT = ("PATH", "HOME", "LANG", "PYENV_ROOT")


def _environment(env: dict[str, str]) -> dict[str, str]:
    clean = {key: value for key, value in os.environ.items() if key in KEPT}
    return {**clean, "SUUNTA_VAR_DIR": str(BASE_DIR / "var"), **env}


def run_check(**env: str) -> subprocess.CompletedProcess[str]:
    """Run ``manage.py check`` in a fresh process with only the given settings variables."""
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=_environment(env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def read_settings(**env: str) -> dict[str, Any]:
    """The settings module's names, read with only the given settings variables."""
    with mock.patch.dict(os.environ, _environment(env), clear=True):
        return runpy.run_path(str(BASE_DIR / "config" / "settings.py"))


def refused(message: str) -> Any:
    return pytest.raises(ImproperlyConfigured, match=f"^{re.escape(message)}$")


def test_a_bad_value_stops_the_start_with_its_message() -> None:
    result = run_check(DEBUG="yes")
    assert result.returncode != 0
    assert "DEBUG must be True or False, not 'yes'" in result.stderr


@pytest.mark.parametrize("value", ["yes", "no", "on", "TRUE ", "2"])
def test_debug_must_be_true_or_false(value: str) -> None:
    with refused(f"DEBUG must be True or False, not {value!r}"):
        read_settings(DEBUG=value)


@pytest.mark.parametrize("value", ["True", "true", "False", "false"])
def test_debug_accepts_the_words_true_and_false(value: str) -> None:
    settings = read_settings(DEBUG=value, SECRET_KEY="x" * 60, ALLOWED_HOSTS="suunta.example.fi")
    assert settings["DEBUG"] is (value.lower() == "true")


@pytest.mark.parametrize("value", ["True", "False"])
def test_checks_pass_with_debug_on_and_off(value: str) -> None:
    result = run_check(DEBUG=value, SECRET_KEY="x" * 60, ALLOWED_HOSTS="suunta.example.fi")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_other_booleans_are_strict_too() -> None:
    with refused("BEHIND_PROXY must be True or False, not 'yes please'"):
        read_settings(BEHIND_PROXY="yes please")


def test_whole_numbers_are_strict() -> None:
    with refused("SUUNTA_STALE_ITEM_DAYS must be a whole number, not 'thirty'"):
        read_settings(SUUNTA_STALE_ITEM_DAYS="thirty")


def test_production_refuses_to_start_without_a_secret_key() -> None:
    with refused("SECRET_KEY must be set when DEBUG is False"):
        read_settings(DEBUG="False", ALLOWED_HOSTS="suunta.example.fi")
