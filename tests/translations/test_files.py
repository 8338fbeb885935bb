"""Texts go to translators as XLSX or XLIFF and come back: upload, preview,
all-or-nothing save. A row whose source changed after the export is refused
and listed, and then nothing is written."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from strategy.models import FocusArea
from translations.models import TranslationImport
from translations.texts import CURRENT, strategy_texts, text_key

from .conftest import editor_data, logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def eager():
    """Tasks run in this process when enqueued (what the worker would do)."""
    from config.celery import app

    old = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = old


@pytest.fixture
def second(world) -> FocusArea:
    return FocusArea.objects.create(
        strategy=world.strategy, number="9", order=9, title_fi="Liikunta kaikille"
    )


def export(client, world, fmt: str) -> bytes:
    response = client.get(
        reverse("translation-export", args=[world.strategy.slug, "sv", fmt]), {"show": "all"}
    )
    assert response.status_code == 200
    return response.content


def xlsx_with(content: bytes, translations: dict[str, str]) -> bytes:
    """The exported workbook with the translation column of ``translations`` keys filled in."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows():
        if row[0].value in translations:
            row[3].value = translations[row[0].value]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xliff_with(content: bytes, translations: dict[str, str]) -> bytes:
    text = content.decode()
    for key, value in translations.items():
        pattern = re.compile(
            rf'(<unit id="{re.escape(key)}".*?</source>)(<target>.*?</target>)?', re.S
        )
        text = pattern.sub(lambda m, value=value: f"{m.group(1)}<target>{value}</target>", text)
    return text.encode()


def upload(client, world, name: str, content: bytes, capture):
    with capture(execute=True):
        response = client.post(
            reverse("translation-import", args=[world.strategy.slug, "sv"]),
            {"file": SimpleUploadedFile(name, content)},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return TranslationImport.objects.get(), response["Location"]


@pytest.mark.parametrize(
    ("fmt", "name", "fill"), [("xlsx", "sv.xlsx", xlsx_with), ("xlf", "sv.xlf", xliff_with)]
)
def test_export_change_and_import_round_trips(
    world, area, second, eager, django_capture_on_commit_callbacks, fmt, name, fill
) -> None:
    client = logged_in(world.owner)
    key = text_key(FocusArea, second.pk, "title")
    content = export(client, world, fmt)
    assert b"Liikunta kaikille" in content or fmt == "xlsx"

    job, location = upload(
        client,
        world,
        name,
        fill(content, {key: "Idrott för alla"}),
        django_capture_on_commit_callbacks,
    )

    assert job.status == TranslationImport.Status.CHECKED and not job.file
    preview = client.get(location).content.decode()
    assert "Idrott för alla" in preview and "Liikunta kaikille" in preview
    second.refresh_from_db()
    assert second.title_sv in ("", None)  # nothing written before the save
    response = client.post(reverse("translation-import-apply", args=[world.strategy.slug, job.pk]))
    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.title_sv, second.version) == ("Idrott för alla", 2)
    assert second.history.first().history_user == world.owner
    status = {t.key: t.status for t in strategy_texts(world.strategy, ["sv"])["sv"]}
    assert status[key] == CURRENT
    area.refresh_from_db()
    assert area.title_sv == "Kultur för alla"  # unchanged rows stay as they are


@pytest.mark.parametrize(
    ("fmt", "name", "fill"), [("xlsx", "sv.xlsx", xlsx_with), ("xlf", "sv.xlf", xliff_with)]
)
def test_a_row_whose_source_changed_after_the_export_is_refused_and_nothing_is_written(
    world, area, second, eager, django_capture_on_commit_callbacks, fmt, name, fill
) -> None:
    client = logged_in(world.owner)
    content = export(client, world, fmt)
    edit = reverse("part-edit", args=[world.strategy.slug, "focus-area", area.pk])
    client.post(
        edit,
        editor_data(world.strategy, "focus-area", area, title_fi="Kulttuuri kuuluu jokaiselle"),
    )
    filled = fill(
        content,
        {
            text_key(FocusArea, area.pk, "title"): "Kultur för alla, ny",
            text_key(FocusArea, second.pk, "title"): "Idrott för alla",
        },
    )

    job, location = upload(client, world, name, filled, django_capture_on_commit_callbacks)

    assert job.status == TranslationImport.Status.REFUSED
    page = client.get(location).content.decode()
    assert "Refused texts" in page and "Kulttuuri kuuluu jokaiselle" in page
    assert "Save the translations" not in page
    assert (
        client.post(
            reverse("translation-import-apply", args=[world.strategy.slug, job.pk])
        ).status_code
        == 409
    )
    area.refresh_from_db()
    second.refresh_from_db()
    assert area.title_sv == "Kultur för alla" and second.title_sv in ("", None)


def test_a_translation_changed_after_the_preview_stops_the_save(
    world, area, second, eager, django_capture_on_commit_callbacks
) -> None:
    client = logged_in(world.owner)
    key = text_key(FocusArea, second.pk, "title")
    job, _location = upload(
        client,
        world,
        "sv.xlsx",
        xlsx_with(export(client, world, "xlsx"), {key: "Idrott för alla"}),
        django_capture_on_commit_callbacks,
    )
    FocusArea.objects.filter(pk=second.pk).update(title_sv="Motion för alla")

    response = client.post(reverse("translation-import-apply", args=[world.strategy.slug, job.pk]))

    assert response.status_code == 409
    second.refresh_from_db()
    assert second.title_sv == "Motion för alla"


def test_a_translation_that_looks_like_a_formula_comes_back_as_written(
    world, second, eager, django_capture_on_commit_callbacks
) -> None:
    client = logged_in(world.owner)
    key = text_key(FocusArea, second.pk, "title")
    FocusArea.objects.filter(pk=second.pk).update(title_sv="=Idrott")
    exported = export(client, world, "xlsx")
    from openpyxl import load_workbook

    cells = [
        row
        for row in load_workbook(io.BytesIO(exported)).worksheets[0].iter_rows(values_only=True)
        if row[0] == key
    ]
    assert cells[0][3] == "'=Idrott"  # never a formula in the spreadsheet

    job, _location = upload(client, world, "sv.xlsx", exported, django_capture_on_commit_callbacks)
    assert job.status == TranslationImport.Status.CHECKED
    assert job.preview["changes"] == [] and job.preview["unchanged"] >= 1


def test_wrong_files_are_refused_before_anything_is_stored(world, eager) -> None:
    client = logged_in(world.owner)
    url = reverse("translation-import", args=[world.strategy.slug, "sv"])

    response = client.post(url, {"file": SimpleUploadedFile("sv.csv", b"key;x\n")})

    assert response.status_code == 422
    assert "Only XLSX and XLIFF files" in response.content.decode()
    assert not TranslationImport.objects.exists()


def test_an_xliff_with_entities_is_refused(
    world, eager, django_capture_on_commit_callbacks
) -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0"><file id="f">&b;</file></xliff>'
    )
    job, location = upload(
        logged_in(world.owner), world, "sv.xlf", bomb, django_capture_on_commit_callbacks
    )

    assert job.status == TranslationImport.Status.FAILED
    assert "not an XLIFF 2.0 file" in logged_in(world.owner).get(location).content.decode()


def test_an_upload_no_worker_checks_fails_with_a_reason_and_loses_its_file(
    world, area, django_capture_on_commit_callbacks
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from translations.services import translation_imports_fail_stale

    client = logged_in(world.owner)
    content = export(client, world, "xlf")
    # No worker: the check is never run (the on-commit callback is not executed).
    job, location = upload(
        client, world, "sv.xlf", content, lambda execute: django_capture_on_commit_callbacks(execute=False)
    )
    assert job.status == TranslationImport.Status.QUEUED and job.file
    stored = job.file.name

    assert translation_imports_fail_stale() == 0  # not stale yet
    assert translation_imports_fail_stale(now=timezone.now() + timedelta(hours=2)) == 1

    job.refresh_from_db()
    assert job.status == TranslationImport.Status.FAILED and not job.file
    assert not job.file.storage.exists(stored)
    assert "did not reach it" in client.get(location).content.decode()
