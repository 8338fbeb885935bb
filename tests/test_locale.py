"""The Finnish, Swedish and English catalogues are committed, current and complete."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
LANGUAGES = ("fi", "sv", "en")
# Every app of the project (a folder with an apps.py), so that a new app's
# strings are checked from its first commit.
APP_DIRS = tuple(sorted(path.parent.name for path in BASE_DIR.glob("*/apps.py")))
SOURCE_DIRS = ("config", "templates", *APP_DIRS)


def catalogue(language: str) -> polib.POFile:
    path = BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{path} is missing"
    return polib.pofile(str(path))


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete(language: str) -> None:
    po = catalogue(language)
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, f"{language}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{language}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


def test_catalogues_contain_every_string_of_the_source(tmp_path: Path) -> None:
    """Re-extract the strings from a copy of the source; none may be missing."""
    if shutil.which("xgettext") is None:
        pytest.fail("gettext is not installed (the Makefile's install step installs it)")
    for name in (*SOURCE_DIRS, "manage.py"):
        source = BASE_DIR / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "migrations"))
        else:
            shutil.copy(source, tmp_path / name)
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-location", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    extracted = {entry.msgid for entry in polib.pofile(str(tmp_path / "locale/en/LC_MESSAGES/django.po"))}
    for language in LANGUAGES:
        present = {entry.msgid for entry in catalogue(language) if not entry.obsolete}
        missing = sorted(extracted - present)
        assert not missing, f"{language}: {len(missing)} strings missing, e.g. {missing[:5]}"
