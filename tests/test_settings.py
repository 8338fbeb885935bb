"""Settings parse the environment strictly: a typo stops the start with a clear message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


def run_check(**env: str) -> subprocess.CompletedProcess[str]:
    """Run ``manage.py check`` in a fresh process with only the given settings variables."""
    clean = {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG", "PYENV_ROOT")}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env={**clean, "SUUNTA_VAR_DIR": str(BASE_DIR / "var"), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("value", ["yes", "no", "on", "TRUE ", "2"])
def test_debug_must_be_true_or_false(value: str) -> None:
    result = run_check(DEBUG=value)
    assert result.returncode != 0
    assert f"DEBUG must be True or False, not {value!r}" in result.stderr


@pytest.mark.parametrize("value", ["True", "true", "False", "false"])
def test_debug_accepts_the_words_true_and_false(value: str) -> None:
    result = run_check(DEBUG=value, SECRET_KEY="x" * 60, ALLOWED_HOSTS="suunta.example.fi")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_other_booleans_are_strict_too() -> None:
    result = run_check(BEHIND_PROXY="yes please")
    assert result.returncode != 0
    assert "BEHIND_PROXY must be True or False, not 'yes please'" in result.stderr


def test_whole_numbers_are_strict() -> None:
    result = run_check(SUUNTA_STALE_ITEM_DAYS="thirty")
    assert result.returncode != 0
    assert "SUUNTA_STALE_ITEM_DAYS must be a whole number, not 'thirty'" in result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = run_check(DEBUG="False", ALLOWED_HOSTS="suunta.example.fi")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is False" in result.stderr
