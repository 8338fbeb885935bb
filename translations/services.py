"""Translation workflows: keep marks in step with edits, save or confirm a
translation under an optimistic lock, and check and apply uploaded files.

Views ask ``translations.access.translatable_by`` who may translate before
calling these. Every write of a text goes through ``Model.save()`` with the
user set, so simple_history keeps a row of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils import timezone, translation

from indicators.models import Indicator
from strategy.models import Strategy

from .models import TranslationImport, TranslationMark
from .texts import (
    LANGUAGE_CODES,
    SOURCE_BY_MODEL,
    Source,
    Text,
    digest,
    lock_token,
    parse_key,
    status_of,
    strategy_of,
    strategy_texts,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def _mark_many(
    strategy: Strategy,
    marks: Iterable[tuple[type[Model], int, str, str, str]],
    user: AbstractBaseUser | None,
) -> None:
    """Record (model, pk, field, language, source digest) marks, replacing older ones."""
    now = timezone.now()
    rows = [
        TranslationMark(
            strategy=strategy,
            content_type=ContentType.objects.get_for_model(model),
            object_id=pk,
            field=field,
            language=language,
            source_digest=source_digest,
            marked_at=now,
            marked_by=user,
        )
        for model, pk, field, language, source_digest in marks
    ]
    if rows:
        TranslationMark.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["content_type", "object_id", "field", "language"],
            update_fields=["source_digest", "marked_at", "marked_by"],
        )


def translation_marks_before_save(
    *,
    obj: Model,
    values: Mapping[str, Any],
    user: AbstractBaseUser | None,
    many: Mapping[str, Any] | None = None,
) -> None:
    """Keep the marks of ``obj`` true when the editor saves ``values`` on it.

    Called with the part as it is before the save. A translation that the
    save changes is marked against the new source text. When the source text
    changes and a translation that has no mark yet exists, it is marked
    against the *old* source first, so that the change shows it outdated.
    An indicator's scale (``many["scale"]``: levels by ordinal, which keep
    their rows) is treated the same way, level by level.
    """
    source = SOURCE_BY_MODEL.get(type(obj))
    strategy = strategy_of(obj)
    if source is None or strategy is None or obj.pk is None:
        return
    main = strategy.main_language or "fi"
    pairs: list[tuple[Model, Mapping[str, Any]]] = [(obj, values)]
    if isinstance(obj, Indicator) and many and "scale" in many:
        new_levels = {level.ordinal: level for level in many["scale"]}
        for level in obj.levels.all():
            new = new_levels.get(level.ordinal)
            if new is not None:
                texts = {f"label_{code}": getattr(new, f"label_{code}") for code in LANGUAGE_CODES}
                pairs.append((level, texts))
    existing: set[tuple[int, int, str, str]] = set()
    ids_by_model: dict[type[Model], list[int]] = {}
    for part, _changes in pairs:
        ids_by_model.setdefault(type(part), []).append(part.pk)
    for model, ids in ids_by_model.items():
        content_type = ContentType.objects.get_for_model(model)
        existing |= {
            (content_type.pk, *row)
            for row in TranslationMark.objects.filter(
                content_type=content_type, object_id__in=ids
            ).values_list("object_id", "field", "language")
        }
    marks = []
    for part, changes in pairs:
        content_type_id = ContentType.objects.get_for_model(part).pk
        for name in SOURCE_BY_MODEL[type(part)].fields:
            old_source = getattr(part, f"{name}_{main}") or ""
            new_source = changes.get(f"{name}_{main}", old_source) or ""
            for code in LANGUAGE_CODES:
                if code == main:
                    continue
                old_text = getattr(part, f"{name}_{code}") or ""
                new_text = changes.get(f"{name}_{code}", old_text) or ""
                unmarked = (content_type_id, part.pk, name, code) not in existing
                if new_text.strip() and new_text != old_text:
                    marks.append((type(part), part.pk, name, code, digest(new_source)))
                elif old_text.strip() and digest(old_source) != digest(new_source) and unmarked:
                    marks.append((type(part), part.pk, name, code, digest(old_source)))
    _mark_many(strategy, marks, user)


def find_text(strategy: Strategy, language: str, key: str) -> Text | None:
    """The text ``key`` of ``strategy`` in ``language``; None when it is not one of its texts."""
    parsed = parse_key(key)
    if parsed is None or language not in LANGUAGE_CODES or language == strategy.main_language:
        return None
    source, pk, field = parsed
    row = source.of_strategy(strategy).filter(pk=pk).first()
    if row is None:
        return None
    return _text_of(strategy, source, row, field, language)


def _text_of(
    strategy: Strategy, source: Source, obj: Model, field: str, language: str
) -> Text | None:
    main = strategy.main_language or "fi"
    text = getattr(obj, f"{field}_{main}") or ""
    if not text.strip():
        return None
    target = getattr(obj, f"{field}_{language}") or ""
    mark = (
        TranslationMark.objects.filter(
            content_type=ContentType.objects.get_for_model(source.model),
            object_id=obj.pk,
            field=field,
            language=language,
        )
        .values_list("source_digest", flat=True)
        .first()
    )
    return Text(
        source_def=source,
        pk=obj.pk,
        field=field,
        language=language,
        main=main,
        source=text,
        target=target,
        status=status_of(target, mark, digest(text)),
        token=lock_token(obj, field, main, language),
    )


def _claim(strategy: Strategy, text: Text, token: str, attempted: str | None) -> Model:
    """The locked row of ``text``, or the editor's conflict when it changed since ``token``."""
    # Imported here: the editor's services import this module for the marks hook.
    from strategy.services_editor import PartConflictError

    source = text.source_def
    current = source.model._default_manager.select_for_update(of=("self",)).get(pk=text.pk)
    if lock_token(current, text.field, text.main, text.language) != token:
        name = f"{text.field}_{text.language}"
        raise PartConflictError(
            current=current,
            expected_version=getattr(current, "version", 0),
            attempted={name: attempted} if attempted is not None else {},
            labels={name: text.label},
        )
    return current


def translation_save(
    *, strategy: Strategy, text: Text, value: str, token: str, user: AbstractBaseUser
) -> Text:
    """Save ``value`` as the translation of ``text`` unless someone changed it
    since the form was opened (``PartConflictError``, nothing written), and
    mark it as written against the current source."""
    with transaction.atomic():
        current = _claim(strategy, text, token, value)
        setattr(current, f"{text.field}_{text.language}", value)
        if text.source_def.versioned:
            current.version += 1  # type: ignore[attr-defined]
        _save(current, strategy, user)
        source_text = getattr(current, f"{text.field}_{text.main}") or ""
        if value.strip():
            _mark_many(
                strategy,
                [
                    (
                        text.source_def.model,
                        current.pk,
                        text.field,
                        text.language,
                        digest(source_text),
                    )
                ],
                user,
            )
    saved = _text_of(strategy, text.source_def, current, text.field, text.language)
    assert saved is not None
    return saved


def translation_confirm(
    *, strategy: Strategy, text: Text, token: str, user: AbstractBaseUser
) -> Text:
    """Mark the translation of ``text`` as still valid for the current source."""
    with transaction.atomic():
        current = _claim(strategy, text, token, None)
        source_text = getattr(current, f"{text.field}_{text.main}") or ""
        _mark_many(
            strategy,
            [(text.source_def.model, current.pk, text.field, text.language, digest(source_text))],
            user,
        )
    confirmed = _text_of(strategy, text.source_def, current, text.field, text.language)
    assert confirmed is not None
    return confirmed


def _save(obj: Model, strategy: Strategy, user: AbstractBaseUser | None) -> None:
    # Saved in the main language, as the editor does, so that the untranslated
    # base column keeps the main language's text.
    obj._history_user = user  # type: ignore[attr-defined]
    with translation.override(strategy.main_language or "fi"):
        obj.save()


# --- files ---------------------------------------------------------------------------------


def import_create(
    *, strategy: Strategy, language: str, user: AbstractBaseUser, upload: Any
) -> TranslationImport:
    """Store an uploaded translation file and queue its check.

    Wrong types and sizes, and XLSX archives over the limits, are refused
    with ``ImportFileError`` before anything is stored; the file itself is
    read in the worker, never in the web request.
    """
    from .exchange import check_upload
    from .tasks import translation_import_check_task

    check_upload(upload)
    job = TranslationImport.objects.create(
        strategy=strategy,
        language=language,
        created_by=user,
        file=upload,
        original_name=upload.name[:255],
    )
    transaction.on_commit(lambda: translation_import_check_task.delay(job.pk))
    return job


def _remove_file(job: TranslationImport) -> None:
    if job.file:
        job.file.delete(save=False)


def plan_rows(
    strategy: Strategy, language: str, rows: list[tuple[str, str, str]]
) -> dict[str, Any]:
    """What applying ``rows`` (key, source digest at export, translation)
    would change: ``changes``, ``refused`` (unknown texts, duplicates and
    texts whose source changed since the export) and ``unchanged``."""
    texts = {text.key: text for text in strategy_texts(strategy, [language]).get(language, [])}
    changes: list[dict[str, str]] = []
    refused: list[dict[str, str]] = []
    seen: set[str] = set()
    unchanged = 0
    for key, source_digest, value in rows:
        text = texts.get(key)
        if key in seen:
            refused.append(
                {
                    "key": key,
                    "reason": "duplicate",
                    "label": text.label if text else "",
                    "source": "",
                }
            )
            continue
        seen.add(key)
        if text is None:
            refused.append({"key": key, "reason": "unknown", "label": "", "source": ""})
        elif source_digest != text.source_digest:
            refused.append(
                {"key": key, "reason": "stale", "label": text.label, "source": text.source}
            )
        elif not value.strip() or value.strip() == text.target.strip():
            unchanged += 1
        else:
            changes.append(
                {
                    "key": key,
                    "label": text.label,
                    "source": text.source,
                    "old": text.target,
                    "new": value,
                    "digest": source_digest,
                }
            )
    return {"changes": changes, "refused": refused, "unchanged": unchanged}


def import_check(*, job_id: int) -> TranslationImport | None:
    """Read a queued upload in the worker and store its preview."""
    from .exchange import ImportFileError, read_rows

    claimed = TranslationImport.objects.filter(
        pk=job_id, status=TranslationImport.Status.QUEUED
    ).first()
    if claimed is None:
        return None
    job = claimed
    try:
        with job.file.open("rb") as handle:
            rows = read_rows(handle, name=job.original_name)
        preview = plan_rows(job.strategy, job.language, rows)
        status = (
            TranslationImport.Status.REFUSED
            if preview["refused"]
            else TranslationImport.Status.CHECKED
        )
    except ImportFileError as error:
        preview, status = (
            {"error": error.code, "params": error.params},
            TranslationImport.Status.FAILED,
        )
    except (OSError, ValueError):
        preview, status = {"error": "unreadable", "params": {}}, TranslationImport.Status.FAILED
    _remove_file(job)
    TranslationImport.objects.filter(pk=job.pk, status=TranslationImport.Status.QUEUED).update(
        status=status,
        preview=preview,
        file="",
        finished_at=timezone.now() if status != TranslationImport.Status.CHECKED else None,
    )
    job.refresh_from_db()
    return job


def translation_imports_fail_stale(*, now: datetime | None = None) -> int:
    """End the uploads that no worker will check; return how many.

    As for spreadsheet and StratML imports: an upload still queued after
    ``import_stale_after()`` has no worker behind it; it is marked failed with
    a reason its uploader can read, and its file is removed."""
    from indicators.services import import_stale_after

    now = now or timezone.now()
    stale = TranslationImport.objects.filter(
        status=TranslationImport.Status.QUEUED, created_at__lt=now - import_stale_after()
    )
    ended = 0
    for job in stale:
        _remove_file(job)
        ended += TranslationImport.objects.filter(
            pk=job.pk, status=TranslationImport.Status.QUEUED
        ).update(
            status=TranslationImport.Status.FAILED,
            preview={"error": "not_checked", "params": {}},
            file="",
            finished_at=now,
        )
    return ended


def import_apply(*, job: TranslationImport, user: AbstractBaseUser) -> dict[str, Any]:
    """Write a checked upload's changes, all or nothing.

    The rows are planned again against the data as it is now: if any is
    refused, or a translation changed since the preview, nothing is written
    and the new plan is returned (stored on the job) for the preview to show.
    """
    strategy = job.strategy
    language = job.language
    previewed = job.preview.get("changes", [])
    rows = [(change["key"], change["digest"], change["new"]) for change in previewed]
    with transaction.atomic():
        claimed = (
            TranslationImport.objects.select_for_update()
            .filter(pk=job.pk, status=TranslationImport.Status.CHECKED)
            .first()
        )
        if claimed is None:
            return {"applied": False, "plan": job.preview}
        plan = plan_rows(strategy, language, rows)
        olds = {change["key"]: change["old"] for change in previewed}
        moved = [change for change in plan["changes"] if olds.get(change["key"]) != change["old"]]
        if plan["refused"] or moved or len(plan["changes"]) != len(previewed):
            for change in moved:
                plan["refused"].append(
                    {
                        "key": change["key"],
                        "reason": "changed",
                        "label": change["label"],
                        "source": change["source"],
                    }
                )
            TranslationImport.objects.filter(pk=job.pk).update(
                status=TranslationImport.Status.REFUSED,
                preview={**plan, "changes": []},
                finished_at=timezone.now(),
            )
            return {"applied": False, "plan": plan}
        by_model: dict[type[Model], dict[int, list[tuple[str, str]]]] = {}
        for change in plan["changes"]:
            source, pk, field = parse_key(change["key"])  # type: ignore[misc]
            by_model.setdefault(source.model, {}).setdefault(pk, []).append((field, change["new"]))
        marks = []
        for model, objects in by_model.items():
            versioned = SOURCE_BY_MODEL[model].versioned
            for obj in model._default_manager.select_for_update(of=("self",)).filter(
                pk__in=list(objects)
            ):
                for field, value in objects[obj.pk]:
                    setattr(obj, f"{field}_{language}", value)
                    marks.append(
                        (
                            model,
                            obj.pk,
                            field,
                            language,
                            digest(getattr(obj, f"{field}_{strategy.main_language}")),
                        )
                    )
                if versioned:
                    # An editor form opened before the import cannot overwrite it.
                    obj.version += 1  # type: ignore[attr-defined]
                _save(obj, strategy, user)
        _mark_many(strategy, marks, user)
        TranslationImport.objects.filter(pk=job.pk).update(
            status=TranslationImport.Status.APPLIED, finished_at=timezone.now()
        )
    return {"applied": True, "plan": plan}


def translation_marks_from_history(*, strategy: Strategy) -> int:
    """Mark the translations of ``strategy`` that no mark covers yet against
    the source text they were written with, read from the history, so that a
    source changed before marks existed shows its translation outdated.

    For each translated field the history is read in order; the source text
    at the last change of the translation is the one it was written against.
    Only translations whose source has changed since are marked (the others
    are up to date either way). One query per model; returns the marks written.
    """
    main = strategy.main_language or "fi"
    texts = strategy_texts(strategy)
    unmarked = {
        (text.source_def.model, text.pk, text.field, text.language): text
        for rows in texts.values()
        for text in rows
        if text.target.strip()
    }
    marked = {
        (ct_id, object_id, field, language)
        for ct_id, object_id, field, language in TranslationMark.objects.filter(
            strategy=strategy
        ).values_list("content_type_id", "object_id", "field", "language")
    }
    marks = []
    for source in {key[0]: SOURCE_BY_MODEL[key[0]] for key in unmarked}.values():
        history = getattr(source.model, "history", None)
        if history is None:
            continue
        content_type_id = ContentType.objects.get_for_model(source.model).pk
        ids = {pk for model, pk, _field, _language in unmarked if model is source.model}
        languages = sorted({language for _m, _pk, _f, language in unmarked})
        columns = [f"{name}_{code}" for name in source.fields for code in [main, *languages]]
        rows = (
            history.model.objects.filter(id__in=ids)
            .order_by("id", "history_date", "history_id")
            .values("id", *columns)
        )
        written_with: dict[tuple[int, str, str], str] = {}
        previous: dict[tuple[int, str, str], str] = {}
        for row in rows:
            for name in source.fields:
                for code in languages:
                    key = (row["id"], name, code)
                    translated = row[f"{name}_{code}"] or ""
                    if translated.strip() and translated != previous.get(key):
                        written_with[key] = row[f"{name}_{main}"] or ""
                    previous[key] = translated
        for (pk, name, code), source_text in written_with.items():
            text = unmarked.get((source.model, pk, name, code))
            if text is None or (content_type_id, pk, name, code) in marked:
                continue
            if digest(source_text) != text.source_digest:
                marks.append((source.model, pk, name, code, digest(source_text)))
    _mark_many(strategy, marks, None)
    return len(marks)
