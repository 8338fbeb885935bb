"""``manage.py check --deploy`` with production settings reports nothing README does not explain."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# What .env.example and docker-compose.yml give a production deployment.
PRODUCTION_ENV = {
    "DEBUG": "False",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "suunta.example.fi",
    "CSRF_TRUSTED_ORIGINS": "https://suunta.example.fi",
    "SITE_URL": "https://suunta.example.fi",
    "BEHIND_PROXY": "True",
    "DATABASE_URL": "postgres://suunta:secret@db:5432/suunta",
    "REDIS_URL": "redis://redis:6379/0",
    "EMAIL_HOST": "smtp.example.fi",
    "DEFAULT_FROM_EMAIL": "suunta@example.fi",
}
ISSUE_ID = re.compile(r"\(([a-z_]+\.[CEWI]\d{3})\)")


def deploy_check(**overrides: str) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG", "PYENV_ROOT")}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env={**clean, "SUUNTA_VAR_DIR": str(BASE_DIR / "var"), **PRODUCTION_ENV, **overrides},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_reports_only_what_readme_explains() -> None:
    result = deploy_check()
    output = result.stdout + result.stderr
    issues = set(ISSUE_ID.findall(output))
    assert not [issue for issue in issues if ".E" in issue or ".C" in issue], output
    readme = (BASE_DIR / "README.md").read_text()
    unexplained = sorted(issue for issue in issues if issue not in readme)
    assert not unexplained, f"README does not explain {unexplained}:\n{output}"
    if not issues:
        assert result.returncode == 0, output


def test_deploy_check_is_clean_once_hsts_preload_is_chosen() -> None:
    result = deploy_check(SECURE_HSTS_PRELOAD="True")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_without_smtp_is_an_error() -> None:
    # Without EMAIL_HOST mail goes to the console: Django calls that an error
    # in production, and so should we (reminders would never arrive).
    result = deploy_check(EMAIL_HOST="")
    assert result.returncode != 0
    assert "mail.E001" in result.stdout + result.stderr


SETTING_READ = re.compile(r"""(?:env(?:bool|int|list)\(|os\.environ\.get\(|os\.environ\[)\s*["']([A-Z][A-Z0-9_]+)["']""")
# Read by settings but meaningful only to the test suite: documented, not in .env.example.
TEST_ONLY = {"SUUNTA_TEST_DB_NAME", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def settings_variables() -> set[str]:
    return set(SETTING_READ.findall((BASE_DIR / "config" / "settings.py").read_text()))


def test_every_environment_variable_is_documented() -> None:
    variables = settings_variables()
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= variables
    readme = (BASE_DIR / "README.md").read_text()
    example = (BASE_DIR / ".env.example").read_text()
    missing_in_readme = sorted(name for name in variables if f"`{name}`" not in readme)
    missing_in_example = sorted(
        name for name in variables - TEST_ONLY if not re.search(rf"^#? ?{name}=", example, re.MULTILINE)
    )
    assert not missing_in_readme, f"README's table lacks {missing_in_readme}"
    assert not missing_in_example, f".env.example lacks {missing_in_example}"


def test_env_example_values_pass_the_strict_parsers() -> None:
    example = (BASE_DIR / ".env.example").read_text()
    values = dict(
        line.split("=", 1) for line in example.splitlines() if line and not line.startswith("#") and "=" in line
    )
    values["SECRET_KEY"] = secrets.token_urlsafe(60)
    values["SUUNTA_VAR_DIR"] = str(BASE_DIR / "var")
    result = deploy_check(**values)
    assert "ImproperlyConfigured" not in result.stderr, result.stderr


def test_compose_runs_web_worker_and_beat_from_one_image() -> None:
    import yaml

    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "redis", "migrate", "web", "worker", "beat"}
    app_services = [services[name] for name in ("migrate", "web", "worker", "beat")]
    assert {service["image"] for service in app_services} == {"suunta:latest"}
    assert all(service["build"] == "." for service in app_services)
    assert "gunicorn" in (BASE_DIR / "Dockerfile").read_text()
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    for name in ("db", "redis", "web", "worker"):
        assert "test" in services[name]["healthcheck"], name
    # The image's HEALTHCHECK asks the web server: the other roles must not inherit it.
    for name in ("migrate", "beat"):
        assert services[name]["healthcheck"] == {"disable": True}, name
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert "suunta-data:/data" in services["web"]["volumes"]
    assert services["web"]["volumes"] == services["worker"]["volumes"], "web and worker share MEDIA_ROOT"


def test_find_python_skips_failing_pyenv_shims(tmp_path: Path) -> None:
    # A pyenv shim for a version that is not enabled exists on PATH but fails.
    shims = tmp_path / "shims"
    shims.mkdir()
    for name in ("python3.13", "python3.12", "python3"):
        shim = shims / name
        shim.write_text(f"#!/bin/sh\necho 'pyenv: {name}: command not found' >&2\nexit 127\n")
        shim.chmod(0o755)
    versions = tmp_path / "pyenv" / "versions" / "3.13.9" / "bin"
    versions.mkdir(parents=True)
    (versions / "python").symlink_to(sys.executable)
    result = subprocess.run(
        [str(BASE_DIR / "bin" / "find-python")],
        env={"PATH": f"{shims}:/usr/bin:/bin", "HOME": str(tmp_path), "PYENV_ROOT": str(tmp_path / "pyenv")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    found = Path(result.stdout.strip())
    assert found.resolve() == Path(sys.executable).resolve()


def test_find_python_explains_when_there_is_none(tmp_path: Path) -> None:
    shims = tmp_path / "shims"
    shims.mkdir()
    for name in ("python3.13", "python3.12", "python3"):
        shim = shims / name
        shim.write_text("#!/bin/sh\nexit 127\n")
        shim.chmod(0o755)
    result = subprocess.run(
        [str(BASE_DIR / "bin" / "find-python")],
        env={"PATH": str(shims) + ":/bin", "HOME": str(tmp_path), "PYENV_ROOT": str(tmp_path / "none")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Suunta needs Python 3.13 or 3.12" in result.stderr
    assert result.stdout == ""


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _processes_under(pgid: int) -> list[int]:
    """Live process ids whose process group is ``pgid`` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def test_run_dev_serves_and_ctrl_c_stops_server_and_worker(tmp_path: Path) -> None:
    import signal
    import time
    import urllib.request

    port = _free_port()
    env = {
        **{key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG")},
        "SUUNTA_VAR_DIR": str(tmp_path),
        "CELERY_CONCURRENCY": "1",
    }
    log = tmp_path / "run-dev.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "bin/run-dev", "--port", str(port)],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    groups: list[int] = []
    try:
        deadline = time.monotonic() + 90
        status = None
        while time.monotonic() < deadline and (status is None or b" ready." not in log.read_bytes()):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2) as response:
                    status = response.status
            except OSError:
                pass
            time.sleep(0.1)
        output = log.read_text(errors="replace")
        assert status == 200, output
        assert " ready." in output, f"the Celery worker did not start:\n{output}"
        # run-dev starts runserver and the worker each in its own process group.
        groups = _child_process_groups(process.pid)
        assert len(groups) == 2
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        # Whatever survived is a failure below; kill it so it cannot outlive the test.
        leftovers = {pgid: _processes_under(pgid) for pgid in groups}
        for pgid, pids in leftovers.items():
            if pids:
                os.killpg(pgid, signal.SIGKILL)
    output = log.read_text(errors="replace")
    assert "password: suunta-demo" in output
    assert "owner" in output and "otherhead" in output and "viewer" in output
    assert f"http://127.0.0.1:{port}/" in output
    assert "Suunta stopped." in output
    assert not any(leftovers.values()), f"still running after Ctrl-C: {leftovers}"


def _child_process_groups(parent: int) -> list[int]:
    """The process groups of ``parent``'s direct children (run-dev starts each in its own group)."""
    groups = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            groups.append(int(fields[2]))
    return groups
