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
        assert "healthcheck" in services[name], name
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert "suunta-data:/data" in services["web"]["volumes"]
    assert services["web"]["volumes"] == services["worker"]["volumes"], "web and worker share MEDIA_ROOT"
