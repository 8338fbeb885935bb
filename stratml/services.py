"""StratML export and import: the workflows the views and the worker call.

The life of an import job: the web request checks the upload's name and size
and stores it (queued); a worker reads it into a plan and a preview (ready),
or refuses it with a reason (invalid); its uploader confirms the preview and
a worker creates the strategy, all or nothing (done). Every step claims the
job with a conditional UPDATE, so a message delivered twice is left alone;
whenever a job ends its file is removed.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator, IndicatorKind, Measurement, ScaleLevel, Target
from strategy.editor_forms import unique_slug
from strategy.models import (
    Action,
    FocusArea,
    Goal,
    Objective,
    Organisation,
    Principle,
    SpearheadProgramme,
    Stakeholder,
    StrategicChoice,
    Strategy,
    TargetState,
    TradeOff,
    Vision,
)

from .exporting import PART2_NS, stratml_document
from .models import StratmlImportJob
from .reading import StratmlError, stratml_read

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

logger = logging.getLogger(__name__)

ALLOWED_EXTENSIONS = ("xml", "stratml")

MESSAGES = {
    "empty_file": _("The file is empty."),
    "wrong_extension": _("Only StratML files (.xml) can be imported."),
    "file_too_large": _("The file is larger than %(limit)s MB, which a strategic plan is not."),
    "not_xml": _(
        "The file is not XML that can be read. Save it as a StratML (.xml) file and try again."
    ),
    "forbidden_xml": _(
        "The file declares a document type or entities, which StratML files do not need and which are not read for safety."
    ),
    "wrong_root": _(
        "The file is XML but not a StratML plan: its root element is “%(root)s”, not StrategicPlan or PerformancePlanOrReport."
    ),
    "file_missing": _("The uploaded file could not be found any more. Upload it again."),
    "server_error": _(
        "The file could not be read because of an error on the server. Try again later."
    ),
    "not_allowed": _("You may no longer create strategies in this organisation."),
    # Warnings of a preview.
    "shortened": _("%(where)s was longer than %(limit)s characters and was shortened."),
    "period_assumed": _(
        "The file names no start or end date; the period was taken from its results or this year."
    ),
    "year_outside": _(
        "The value of “%(indicator)s” for %(year)s lies outside the period %(start)s–%(end)s and is left out."
    ),
    "duplicate_year": _("“%(indicator)s” has several values for %(year)s; the last one is kept."),
    "bad_date": _("The publication date “%(value)s” is not a date and is left out."),
}


class StratmlUploadError(ValueError):
    """An upload refused before it is stored."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def message(self) -> str:
        return message_for({"code": self.code, "params": self.params})


def message_for(entry: dict[str, Any]) -> str:
    """A stored error or warning as a sentence in the reader's language."""
    template = MESSAGES.get(entry.get("code", ""), MESSAGES["server_error"])
    return str(template) % entry.get("params", {}) if entry.get("params") else str(template)


# Export ---------------------------------------------------------------------------


def stratml_export(
    *, strategy: Strategy, user: AbstractBaseUser | AnonymousUser
) -> tuple[bytes, str]:
    """The strategy as ``user`` may read it as a StratML document, and its file name."""
    document, namespace = stratml_document(strategy=strategy, user=user)
    part = "part2" if namespace == PART2_NS else "part1"
    return document, f"{strategy.slug}-stratml-{part}-{strategy.main_language}.xml"


# Import ---------------------------------------------------------------------------


def importable_organisations(user: AbstractBaseUser | AnonymousUser) -> Any:
    """The organisations a person may import a strategy into: active ones they own (or below)."""
    from strategy.models import Role, scope_q

    organisations = Organisation.objects.active()
    if not user.is_authenticated:
        return organisations.none()
    if user.is_superuser:
        return organisations
    return organisations.filter(scope_q(user, "path", roles=(Role.OWNER,)))


def check_upload(*, name: str, size: int) -> None:
    """Refuse a file by its name and size, before anything is stored or read."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_EXTENSIONS:
        raise StratmlUploadError("wrong_extension")
    if size <= 0:
        raise StratmlUploadError("empty_file")
    limit = settings.SUUNTA_STRATML_MAX_BYTES
    if size > limit:
        raise StratmlUploadError("file_too_large", limit=max(limit // (1024 * 1024), 1))


def stratml_import_create(
    *, organisation: Organisation, user: AbstractBaseUser, upload: Any, main_language: str
) -> StratmlImportJob:
    """Store an uploaded file as an import job and queue its reading."""
    from .tasks import stratml_import_preview_task  # tasks import this module

    check_upload(name=upload.name, size=upload.size)
    job = StratmlImportJob.objects.create(
        organisation=organisation,
        created_by=user,
        main_language=main_language,
        file=upload,
        original_name=upload.name[:255],
    )
    transaction.on_commit(lambda: stratml_import_preview_task.delay(job.pk))
    return job


def _remove_file(job_id: int) -> None:
    name = StratmlImportJob.objects.filter(pk=job_id).values_list("file", flat=True).first()
    if not name:
        return
    try:
        StratmlImportJob._meta.get_field("file").storage.delete(name)
    except OSError:
        logger.warning(
            "Could not remove the file %s of StratML import %s", name, job_id, exc_info=True
        )
        return
    StratmlImportJob.objects.filter(pk=job_id, file=name).update(file="")


def _end(job_id: int, *, since: tuple[str, ...], status: str, **fields: Any) -> bool:
    now = timezone.now()
    ended = StratmlImportJob.objects.filter(pk=job_id, status__in=since).update(
        status=status, status_changed_at=now, finished_at=now, plan={}, **fields
    )
    if ended:
        _remove_file(job_id)
    return bool(ended)


def _read_file(job: StratmlImportJob) -> bytes:
    """The stored file's bytes, refusing an oversize one before reading it."""
    storage = job.file.storage
    if storage.size(job.file.name) > settings.SUUNTA_STRATML_MAX_BYTES:
        raise StratmlError(
            "file_too_large", limit=max(settings.SUUNTA_STRATML_MAX_BYTES // (1024 * 1024), 1)
        )
    with job.file.open("rb") as handle:
        return handle.read(settings.SUUNTA_STRATML_MAX_BYTES + 1)


def stratml_import_preview(*, job_id: int) -> StratmlImportJob | None:
    """Read a queued job's file into the plan and preview of the strategy it
    would create, or refuse it with a reason. Runs in the worker."""
    claimed = StratmlImportJob.objects.filter(
        pk=job_id, status=StratmlImportJob.Status.QUEUED
    ).update(status=StratmlImportJob.Status.READING, status_changed_at=timezone.now())
    job = StratmlImportJob.objects.filter(pk=job_id).first()
    if job is None or not claimed:
        return job
    running = (StratmlImportJob.Status.READING,)
    try:
        if not job.file:
            raise FileNotFoundError(job.original_name)
        data = _read_file(job)
        with translation.override(job.main_language):
            plan = stratml_read(data)
    except StratmlError as error:
        _end(
            job.pk,
            since=running,
            status=StratmlImportJob.Status.INVALID,
            errors=[{"code": error.code, "params": error.params}],
        )
    except FileNotFoundError:
        _end(
            job.pk,
            since=running,
            status=StratmlImportJob.Status.FAILED,
            errors=[{"code": "file_missing", "params": {}}],
        )
    except Exception:
        logger.exception("StratML import %s could not be read", job.pk)
        _end(
            job.pk,
            since=running,
            status=StratmlImportJob.Status.FAILED,
            errors=[{"code": "server_error", "params": {}}],
        )
    else:
        StratmlImportJob.objects.filter(pk=job.pk, status=StratmlImportJob.Status.READING).update(
            status=StratmlImportJob.Status.READY,
            status_changed_at=timezone.now(),
            preview=plan.preview(),
            plan=plan.stored(),
            errors=[],
        )
        # The plan holds everything the import needs: the file is not read again.
        _remove_file(job.pk)
    job.refresh_from_db()
    return job


def stratml_import_start_apply(*, job: StratmlImportJob) -> bool:
    """Queue the creation of a previewed job's strategy; False when it is not (or no longer) ready."""
    from .tasks import stratml_import_apply_task  # tasks import this module

    claimed = StratmlImportJob.objects.filter(
        pk=job.pk, status=StratmlImportJob.Status.READY
    ).update(status=StratmlImportJob.Status.APPLYING, status_changed_at=timezone.now())
    if claimed:
        transaction.on_commit(lambda: stratml_import_apply_task.delay(job.pk))
    return bool(claimed)


def stratml_import_cancel(*, job: StratmlImportJob) -> bool:
    return _end(
        job.pk, since=(StratmlImportJob.Status.READY,), status=StratmlImportJob.Status.CANCELLED
    )


def stratml_import_apply(*, job_id: int) -> StratmlImportJob | None:
    """Create the strategy of a confirmed job, all or nothing. Runs in the worker.

    The job is locked and moved to done in the same transaction that creates
    the strategy: a second delivery finds it done; a failure leaves nothing.
    """
    job = (
        StratmlImportJob.objects.select_related("organisation", "created_by")
        .filter(pk=job_id)
        .first()
    )
    if job is None or job.status != StratmlImportJob.Status.APPLYING:
        return job
    failure: dict[str, Any] | None = None
    try:
        with transaction.atomic():
            plan = (
                StratmlImportJob.objects.select_for_update()
                .filter(pk=job_id, status=StratmlImportJob.Status.APPLYING)
                .values_list("plan", flat=True)
                .first()
            )
            if plan is None:
                return job
            if not importable_organisations(job.created_by).filter(pk=job.organisation_id).exists():
                raise StratmlError("not_allowed")
            strategy = strategy_from_plan(
                plan, organisation=job.organisation, user=job.created_by, language=job.main_language
            )
            now = timezone.now()
            StratmlImportJob.objects.filter(pk=job_id).update(
                status=StratmlImportJob.Status.DONE,
                status_changed_at=now,
                finished_at=now,
                strategy=strategy,
                plan={},
            )
    except StratmlError as error:
        failure = {
            "status": StratmlImportJob.Status.INVALID,
            "errors": [{"code": error.code, "params": error.params}],
        }
    except Exception:
        logger.exception("StratML import %s could not be saved", job_id)
        failure = {
            "status": StratmlImportJob.Status.FAILED,
            "errors": [{"code": "server_error", "params": {}}],
        }
    if failure is not None:
        _end(job_id, since=(StratmlImportJob.Status.APPLYING,), **failure)
    job.refresh_from_db()
    return job


def _create(
    model: type[Model], user: AbstractBaseUser, texts: dict[str, str], language: str, **fields: Any
) -> Any:
    """A part with its texts in ``language``, saved with the user for the history."""
    for name, text in texts.items():
        fields[f"{name}_{language}"] = text
        fields[name] = text
    obj = model(**fields)
    obj._history_user = user  # type: ignore[attr-defined]
    obj.save()
    return obj


def strategy_from_plan(
    plan: dict[str, Any], *, organisation: Organisation, user: AbstractBaseUser, language: str
) -> Strategy:
    """A new draft strategy with every part of a read plan (call inside a transaction)."""
    own = plan["strategy"]
    with translation.override(language):
        strategy = _create(
            Strategy,
            user,
            {
                "title": own["title"] or str(_("Imported strategy")),
                "motto": own["motto"],
                "purpose": own["purpose"],
                "introduction": own["introduction"],
            },
            language,
            organisation=organisation,
            slug=unique_slug(own["title"] or "stratml"),
            period_start=own["period_start"],
            period_end=own["period_end"],
            main_language=language,
            status=Strategy.Status.DRAFT,
            source=own["source"],
            approved_on=date.fromisoformat(own["approved_on"]) if own["approved_on"] else None,
        )
        for order, vision in enumerate(plan["visions"]):
            _create(
                Vision,
                user,
                {"label": vision["label"], "text": vision["text"]},
                language,
                strategy=strategy,
                order=order,
            )
        for order, value in enumerate(plan["values"]):
            _create(
                Principle,
                user,
                {
                    "title": value["title"],
                    "description": value["description"],
                    "points": value["points"],
                },
                language,
                strategy=strategy,
                order=order,
            )
        goals: list[Goal] = []
        objectives: list[list[Objective]] = []
        for order, entry in enumerate(plan["goals"]):
            goal = _create(
                Goal,
                user,
                {"title": entry["title"], "description": entry["description"]},
                language,
                strategy=strategy,
                order=order,
            )
            goals.append(goal)
            objectives.append(
                [
                    _create(
                        Objective,
                        user,
                        {"title": item["title"], "description": item["description"]},
                        language,
                        goal=goal,
                        number=item["number"],
                        order=index,
                    )
                    for index, item in enumerate(entry["objectives"])
                ]
            )
        areas: list[FocusArea] = []
        area_actions: list[list[Action]] = []
        for order, entry in enumerate(plan["focus_areas"]):
            area = _create(
                FocusArea,
                user,
                {"title": entry["title"], "description": entry["description"]},
                language,
                strategy=strategy,
                number=entry["number"],
                order=order,
            )
            areas.append(area)
            area_actions.append(
                [
                    _create(
                        Action,
                        user,
                        {"title": item["title"], "description": item["description"]},
                        language,
                        strategy=strategy,
                        focus_area=area,
                        number=item["number"],
                        order=index,
                    )
                    for index, item in enumerate(entry["actions"])
                ]
            )
        for order, entry in enumerate(plan.get("target_states", [])):
            _create(TargetState, user, entry, language, strategy=strategy, order=order)
        for order, entry in enumerate(plan.get("spearheads", [])):
            _create(SpearheadProgramme, user, entry, language, strategy=strategy, order=order)
        for order, entry in enumerate(plan.get("choices", [])):
            texts = {
                name: entry[name]
                for name in ("theme", "question", "invest_in", "more_than", "summary")
            }
            choice = _create(
                StrategicChoice,
                user,
                texts,
                language,
                strategy=strategy,
                group=entry["group"],
                order=order,
            )
            for index, pair in enumerate(entry["trade_offs"]):
                _create(TradeOff, user, pair, language, choice=choice, order=index)
        loose = [
            _create(
                Action,
                user,
                {"title": item["title"], "description": item["description"]},
                language,
                strategy=strategy,
                number=item["number"],
                order=index,
            )
            for index, item in enumerate(plan["actions"])
        ]
        for order, entry in enumerate(plan["stakeholders"]):
            stakeholder = _create(
                Stakeholder,
                user,
                {"name": entry["name"], "role": entry["role"]},
                language,
                strategy=strategy,
                kind=entry["kind"],
                order=order,
            )
            if entry["goals"]:
                stakeholder.goals.set([goals[index] for index in entry["goals"]])
        for order, entry in enumerate(plan["indicators"]):
            links = _indicator_links(
                entry.get("attach"), goals, objectives, areas, area_actions, loose
            )
            qualitative = entry["kind"] == "qualitative"
            indicator = _create(
                Indicator,
                user,
                {
                    "name": entry["name"],
                    "description": entry["description"],
                    "unit_of_measure": entry["unit"],
                },
                language,
                strategy=strategy,
                kind=IndicatorKind.QUALITATIVE if qualitative else IndicatorKind.NUMERIC,
                is_percentage=entry["unit"] == "%",
                decimals=0 if qualitative else _decimals(entry),
                order=order,
                **links,
            )
            for ordinal, label in enumerate(entry["levels"]):
                _create(
                    ScaleLevel,
                    user,
                    {"label": label},
                    language,
                    indicator=indicator,
                    ordinal=ordinal,
                )
            Target.objects.bulk_create(
                Target(indicator=indicator, year=int(year), value=Decimal(value))
                for year, value in entry["targets"].items()
            )
            Measurement.objects.bulk_create(
                Measurement(
                    indicator=indicator,
                    year=int(year),
                    value=Decimal(value),
                    entered_by=user,
                    source_note="StratML",
                )
                for year, value in entry["actuals"].items()
            )
    return strategy


def _decimals(entry: dict[str, Any]) -> int:
    """Enough decimals to show every imported value as it was written (at most 6)."""
    places = [
        -Decimal(value).normalize().as_tuple().exponent  # type: ignore[operator]
        for series in ("targets", "actuals")
        for value in entry[series].values()
    ]
    return min(max([0, *places]), 6)


def _indicator_links(
    attach: dict[str, Any] | None,
    goals: list[Goal],
    objectives: list[list[Objective]],
    areas: list[FocusArea],
    area_actions: list[list[Action]],
    loose: list[Action],
) -> dict[str, Any]:
    """The part an imported indicator belongs to, with the coarser parts above it
    kept in step as the editor keeps them."""
    if not attach:
        return {}
    kind, index = attach["kind"], attach["index"]
    if kind == "goal" and index[0] is not None:
        return {"goal": goals[index[0]]}
    if kind == "objective":
        return {"goal": goals[index[0]], "objective": objectives[index[0]][index[1]]}
    if kind == "focus_area":
        return {"focus_area": areas[index[0]]}
    if kind == "action":
        return {"focus_area": areas[index[0]], "action": area_actions[index[0]][index[1]]}
    if kind == "loose_action":
        return {"action": loose[index[0]]}
    return {}


def stratml_import_jobs_fail_stale(*, now: datetime | None = None) -> int:
    """End the StratML imports that nobody will finish; return how many.

    As for spreadsheet imports (``indicators.services.import_jobs_fail_stale``):
    a job still queued, reading or creating after ``import_stale_after()`` has
    no worker behind it and is marked failed (creating is one transaction, so
    nothing was written); a previewed job nobody confirmed within
    ``SUUNTA_IMPORT_PREVIEW_HOURS`` is cancelled. Either way its file goes.
    """
    from indicators.services import import_stale_after

    now = now or timezone.now()
    ended = 0
    stale = StratmlImportJob.objects.filter(
        status__in=StratmlImportJob.RUNNING, status_changed_at__lt=now - import_stale_after()
    )
    for job_id in stale.values_list("pk", flat=True):
        ended += _end(
            job_id,
            since=StratmlImportJob.RUNNING,
            status=StratmlImportJob.Status.FAILED,
            errors=[{"code": "server_error", "params": {}}],
        )
    expired = StratmlImportJob.objects.filter(
        status=StratmlImportJob.Status.READY,
        status_changed_at__lt=now - timedelta(hours=settings.SUUNTA_IMPORT_PREVIEW_HOURS),
    )
    for job_id in expired.values_list("pk", flat=True):
        ended += _end(
            job_id, since=(StratmlImportJob.Status.READY,), status=StratmlImportJob.Status.CANCELLED
        )
    return ended
