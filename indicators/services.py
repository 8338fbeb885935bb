"""Workflows around indicators: summaries for pages, and recording values."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from strategy import clock
from strategy.models import Organisation, Strategy

from .importing import (
    check_archive,
    check_upload,
    extension_of,
    import_apply,
    import_replan,
    import_validate,
)
from .models import EntryRights, ImportJob, Indicator, Measurement, ScaleLevel, Target, entry_rights
from .numbers import format_value, level_display
from .status import Judgement, Status, combine, judge_latest, latest, target_path

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

logger = logging.getLogger(__name__)


def judgement_year(strategy: Strategy) -> int:
    """The year pages judge by: this year, kept inside the strategy period."""
    return clock.current_year(strategy)


def indicators_with_values(queryset: QuerySet[Indicator]) -> QuerySet[Indicator]:
    """Indicators with everything a summary needs, in a fixed number of queries."""
    return queryset.select_related(
        "goal", "objective", "focus_area", "action", "perspective", "strategy"
    ).prefetch_related(
        Prefetch("targets", queryset=Target.objects.select_related("unit").order_by("year")),
        Prefetch("measurements", queryset=Measurement.objects.select_related("unit", "entered_by").order_by("year")),
        Prefetch("levels", queryset=ScaleLevel.objects.order_by("ordinal")),
        "sdgs",
    )


@dataclass(frozen=True, slots=True)
class ListValue:
    """A target or measured value as a list row reads it: no model instance,
    so that judging hundreds of indicators stays cheap."""

    year: int
    value: Decimal
    unit_id: int | None
    unit: Organisation | None


@dataclass
class ListValues:
    """An indicator's targets and measured values, oldest first, for
    ``indicator_summary`` (set by ``indicators_for_list``)."""

    targets: list[ListValue] = field(default_factory=list)
    measurements: list[ListValue] = field(default_factory=list)


def indicators_for_list(queryset: QuerySet[Indicator], *, strategy: Strategy) -> list[Indicator]:
    """Indicators with what a list row needs (``indicator_summary``, the
    sparkline, the level labels), lighter than ``indicators_with_values``:
    targets and measurements are read as plain (year, value, unit) rows into
    ``indicator.list_values``, and their units once for all of them. Four
    queries whatever the number; not for pages that show who entered a
    value or edit one (the rows have no versions)."""
    indicators = list(
        queryset.select_related("goal", "objective", "focus_area", "action", "perspective").prefetch_related(
            Prefetch("levels", queryset=ScaleLevel.objects.order_by("ordinal"))
        )
    )
    by_id: dict[int, ListValues] = {}
    for indicator in indicators:
        indicator.strategy = strategy  # one strategy object for all: no extra queries
        indicator.list_values = by_id[indicator.pk] = ListValues()  # type: ignore[attr-defined]
    if not indicators:
        return indicators
    fields = ("indicator_id", "year", "value", "unit_id")
    rows = {
        "targets": list(Target.objects.filter(indicator_id__in=by_id).order_by("year").values_list(*fields)),
        "measurements": list(Measurement.objects.filter(indicator_id__in=by_id).order_by("year").values_list(*fields)),
    }
    unit_ids = {row[3] for kind in rows.values() for row in kind if row[3] is not None}
    units = Organisation.objects.in_bulk(unit_ids) if unit_ids else {}
    for kind, kind_rows in rows.items():
        for indicator_id, year, value, unit_id in kind_rows:
            row = ListValue(year=year, value=value, unit_id=unit_id, unit=units.get(unit_id) if unit_id else None)
            getattr(by_id[indicator_id], kind).append(row)
    return indicators


def indicator_value_display(indicator: Indicator, value: Decimal | float | None) -> str:
    """A target, measured value or baseline as people read it: a number with
    the indicator's decimals (and %) in the active language's format, or for
    a qualitative indicator the label of the level in the active language.
    Pages, charts and the council report all show values through this.

    Reads the indicator's levels, so prefetch ``levels`` for many indicators
    (``indicators_with_values`` does)."""
    if value is None:
        return ""
    if indicator.is_qualitative:
        return level_display(level_labels(indicator), value)
    return format_value(Decimal(str(value)), decimals=indicator.decimals, percentage=indicator.is_percentage)


def indicator_attachment(indicator: Indicator) -> str:
    """Which part of the strategy the indicator belongs to, for people:
    "Objective: 1.1 Children read". Empty when it belongs to none."""
    part = indicator.attached_to
    if part is None:
        return ""
    return _("%(kind)s: %(part)s") % {"kind": capfirst(part._meta.verbose_name), "part": part}


def level_labels(indicator: Indicator) -> dict[int, str]:
    """Ordinal → label of a qualitative indicator's levels, in the active language."""
    return {level.ordinal: level.label for level in indicator.levels.all()}


@dataclass
class Series:
    """The values of one indicator for the total (``unit`` None) or for one unit."""

    unit: Organisation | None
    actuals: dict[int, Decimal] = field(default_factory=dict)
    targets: dict[int, Decimal] = field(default_factory=dict)
    measurements: dict[int, Measurement] = field(default_factory=dict)
    target_rows: dict[int, Target] = field(default_factory=dict)
    path: dict[int, Decimal | None] = field(default_factory=dict)
    judgement: Judgement = field(default_factory=lambda: Judgement(status=Status.NO_DATA))

    @property
    def status(self) -> Status:
        return self.judgement.status

    @property
    def key(self) -> str:
        return "total" if self.unit is None else str(self.unit.pk)

    @property
    def label(self) -> str:
        return str(_("Total")) if self.unit is None else self.unit.name


@dataclass
class IndicatorSummary:
    """What pages show about an indicator as of ``year``."""

    indicator: Indicator
    year: int
    years: list[int]
    series: list[Series]
    status: Status
    latest: tuple[int, Decimal] | None
    target: Decimal | None
    # The total's judgement; None when the status is the worst of the units'.
    judgement: Judgement | None = None

    @property
    def judged_units(self) -> int:
        """How many units' statuses the headline combines (0 when it is the total's)."""
        if self.judgement is not None:
            return 0
        return sum(1 for s in self.unit_series if s.status != Status.NO_DATA)

    @property
    def basis(self) -> str:
        """What the status was judged on, for people: "2025 target 9 900",
        "2025 value against the baseline 1 000", "worst of 3 units"; empty
        without data. See the rule in ``indicators.status``."""
        if self.judgement is None:
            count = self.judged_units
            if not count:
                return ""
            return ngettext("worst of %(count)d unit", "worst of %(count)d units", count) % {"count": count}
        return judgement_basis(self.indicator, self.judgement)

    @property
    def badge(self) -> str:
        """The status with what it was judged on: "Achieved — 2025 target 9 900"."""
        return status_with_basis(self.status, self.basis)

    @property
    def next_target(self) -> tuple[int, str] | None:
        """(year, target as shown) of the year judged as of, when the latest
        value is older than it and was judged against its own year's target."""
        if self.judgement is None or self.judgement.next_year is None:
            return None
        return self.judgement.next_year, indicator_value_display(self.indicator, self.judgement.next_target)

    @property
    def total(self) -> Series | None:
        return next((s for s in self.series if s.unit is None), None)

    @property
    def unit_series(self) -> list[Series]:
        return [s for s in self.series if s.unit is not None]

    @property
    def status_label(self) -> str:
        return str(self.status.label)

    @property
    def trend(self) -> list[Decimal | None]:
        """The measured values year by year, from the total or else the first unit."""
        source = self.total if self.total and self.total.actuals else (self.series[0] if self.series else None)
        return [source.actuals.get(year) if source else None for year in self.years]


def indicator_summary(
    indicator: Indicator, *, year: int, extra_units: Iterable[Organisation] = ()
) -> IndicatorSummary:
    """Judge an indicator from its prefetched targets and measurements (no queries).

    The total series is judged against the baseline; unit series against their
    own targets. The headline status is the total's when the total has values,
    else the worst of the units that have any (``status.combine``).
    ``extra_units`` get an (empty) series too, so an editor sees a column for
    each unit they may fill in.
    """
    strategy = indicator.strategy
    years = list(strategy.years)
    by_unit: dict[int | None, Series] = {None: Series(unit=None)}
    for unit in extra_units:
        by_unit.setdefault(unit.pk, Series(unit=unit))
    # Light rows when the indicator was read for a list (``indicators_for_list``).
    values: ListValues | None = getattr(indicator, "list_values", None)
    for target in values.targets if values is not None else indicator.targets.all():
        series = by_unit.setdefault(target.unit_id, Series(unit=target.unit))
        series.targets[target.year] = target.value
        series.target_rows[target.year] = target  # type: ignore[assignment]
    for measurement in values.measurements if values is not None else indicator.measurements.all():
        series = by_unit.setdefault(measurement.unit_id, Series(unit=measurement.unit))
        series.actuals[measurement.year] = measurement.value
        series.measurements[measurement.year] = measurement  # type: ignore[assignment]
    total = by_unit.pop(None)
    units = sorted(by_unit.values(), key=lambda s: (s.unit.path if s.unit else ""))
    # The total is shown when it has anything, or when nothing is broken down by unit.
    has_total = bool(total.actuals or total.targets) or not units
    ordered = ([total] if has_total else []) + units
    for series in ordered:
        baseline = indicator.baseline_value if series.unit is None else None
        baseline_year = indicator.baseline_year if series.unit is None else None
        series.path = target_path(
            years=years,
            targets=series.targets,
            baseline_year=baseline_year,
            baseline=baseline,
            steps=indicator.is_qualitative,
        )
        series.judgement = judge_latest(
            direction=indicator.direction,
            year=year,
            actuals=series.actuals,
            targets=series.targets,
            years=years,
            baseline_year=baseline_year,
            baseline=baseline,
            qualitative=indicator.is_qualitative,
        )
    if total.actuals:
        status = total.status
    else:
        status = combine(series.status for series in units)
    return IndicatorSummary(
        indicator=indicator,
        year=year,
        years=years,
        series=ordered,
        status=status,
        latest=latest(total.actuals, year=year),
        target=total.path.get(year) if has_total else None,
        judgement=total.judgement if total.actuals else None,
    )


def judgement_basis(indicator: Indicator, judgement: Judgement) -> str:
    """What one judgement was made on, for people: "2025 target 9 900" or
    "2025 value against the baseline 1 000"; empty without data."""
    values = {"year": judgement.year}
    if judgement.against == "target":
        values["target"] = indicator_value_display(indicator, judgement.target)
        return str(_("%(year)s target %(target)s")) % values
    if judgement.against == "baseline":
        values["baseline"] = indicator_value_display(indicator, judgement.baseline)
        return str(_("%(year)s value against the baseline %(baseline)s")) % values
    return ""


def status_with_basis(status: Status, basis: str) -> str:
    """A badge's text: "Achieved — 2025 target 9 900", or the status alone."""
    if not basis:
        return str(status.label)
    return str(_("%(status)s — %(basis)s")) % {"status": status.label, "basis": basis}


class EntryError(ValueError):
    """A value that cannot be recorded; ``message`` is for the person who typed it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def value_check(*, indicator: Indicator, value: Decimal) -> None:
    """Raise ``EntryError`` when the value does not fit the indicator: a
    percentage outside 0–100, or for a qualitative indicator anything but the
    ordinal of one of its levels."""
    if indicator.is_qualitative:
        labels = level_labels(indicator)
        if value != value.to_integral_value() or int(value) not in labels:
            choices = ", ".join(labels[ordinal] for ordinal in sorted(labels))
            if not choices:
                raise EntryError(str(_("This indicator has no levels yet: add them in the strategy editor.")))
            raise EntryError(str(_("Choose one of the levels: %(levels)s.")) % {"levels": choices})
        return
    if indicator.is_percentage and not (Decimal(0) <= value <= Decimal(100)):
        raise EntryError(str(_("A percentage must be between 0 and 100.")))


@dataclass
class ValueConflictError(Exception):
    """Someone saved (or removed) the cell after the user loaded it at
    ``expected_version`` (0: the cell was empty then). ``current`` is the row
    as it is now (None when it was removed); ``attempted`` the user's value.
    Nothing was written. Shaped like the plan items' conflict, so that the
    same template (``strategy/_plan_conflict.html``) shows it."""

    indicator: Indicator
    kind: str  # "actual" or "target"
    year: int
    unit: Organisation | None
    current: Measurement | Target | None
    attempted: Decimal | None
    expected_version: int

    def __str__(self) -> str:
        version = self.current.version if self.current is not None else None
        return f"{self.kind} {self.indicator.pk}/{self.year}/{self.unit} is at version {version}, not {self.expected_version}"

    @property
    def _last(self) -> Any:
        """The cell's latest history row: who saved or removed it last, and when."""
        if not hasattr(self, "_last_record"):
            model = Measurement if self.kind == "actual" else Target
            self._last_record = (
                model.history.filter(indicator_id=self.indicator.pk, year=self.year, unit_id=getattr(self.unit, "pk", None))  # type: ignore[attr-defined]
                .select_related("history_user")
                .order_by("-history_date", "-history_id")
                .first()
            )
        return self._last_record

    @property
    def changed_by(self) -> AbstractBaseUser | None:
        return self._last.history_user if self._last else None

    @property
    def changed_at(self) -> datetime | None:
        return self._last.history_date if self._last else None

    @property
    def current_version(self) -> int:
        """The version a form must carry to replace what is there now."""
        return self.current.version if self.current is not None else 0

    def differences(self) -> list[tuple[str, str, str]]:
        """(what, their value, your value): one row, the cell."""
        what = _("Actual value") if self.kind == "actual" else _("Target")
        theirs = indicator_value_display(self.indicator, self.current.value if self.current is not None else None)
        mine = indicator_value_display(self.indicator, self.attempted)
        return [(f"{what} {self.year}", theirs, mine)]


def _cell_record(
    model: type[Measurement] | type[Target],
    *,
    indicator: Indicator,
    kind: str,
    year: int,
    unit: Organisation | None,
    value: Decimal | None,
    expected_version: int | None,
    user: AbstractBaseUser | None,
    fields: dict[str, Any],
) -> Measurement | Target | None:
    """Write one cell of the grid under its optimistic lock.

    ``expected_version`` is the version the user's form showed (0 for an
    empty cell; None skips the check, for callers without a form). The
    version is claimed with a conditional UPDATE, and a cell created
    meanwhile makes the INSERT fail on the unique constraint, so of two
    concurrent saves exactly one wins on any database; the other gets
    ``ValueConflictError`` and nothing is written. A save that changes
    nothing writes nothing (the history has no empty rows)."""
    if year not in indicator.strategy.years:
        raise EntryError(str(_("The year lies outside the strategy period.")))
    if value is not None:
        value_check(indicator=indicator, value=value)
    cell = {"indicator": indicator, "year": year, "unit": unit}

    def conflict() -> ValueConflictError:
        current = model.objects.filter(**cell).first()
        return ValueConflictError(
            indicator=indicator,
            kind=kind,
            year=year,
            unit=unit,
            current=current,
            attempted=value,
            expected_version=expected_version or 0,
        )

    existing = model.objects.filter(**cell).first()
    if existing is None:
        if expected_version:
            raise conflict()  # removed since the user loaded it
        if value is None:
            return None
        row = model(**cell, value=value, **fields)
        _set_history_user(row, user)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            raise conflict() from None  # created by someone else meanwhile
        return row
    if existing.value == value:
        return existing
    if expected_version is not None:
        claimed = model.objects.filter(pk=existing.pk, version=expected_version).update(version=F("version") + 1)
    else:
        claimed = model.objects.filter(pk=existing.pk).update(version=F("version") + 1)
    if not claimed:
        raise conflict()
    row = model.objects.get(pk=existing.pk)
    _set_history_user(row, user)
    if value is None:
        row.delete()
        return None
    row.value = value
    for name, field_value in fields.items():
        setattr(row, name, field_value)
    row.save()
    return row


@transaction.atomic
def measurement_record(
    *,
    indicator: Indicator,
    year: int,
    unit: Organisation | None,
    value: Decimal | None,
    user: AbstractBaseUser,
    expected_version: int | None = None,
) -> Measurement | None:
    """Record (or with ``value`` None, remove) an actual value, noting who entered it.

    Permission is the caller's business (``EntryRights``); this checks the
    value, the year and the lock (see ``_cell_record``).
    """
    return _cell_record(  # type: ignore[return-value]
        Measurement,
        indicator=indicator,
        kind="actual",
        year=year,
        unit=unit,
        value=value,
        expected_version=expected_version,
        user=user,
        fields={"entered_by": user},
    )


@transaction.atomic
def target_record(
    *,
    indicator: Indicator,
    year: int,
    unit: Organisation | None,
    value: Decimal | None,
    user: AbstractBaseUser | None = None,
    expected_version: int | None = None,
) -> Target | None:
    """Set (or with ``value`` None, remove) the target for a year; ``user``
    is who the history names (else the signed-in user of the request).
    The lock is checked as for measured values (``_cell_record``)."""
    return _cell_record(  # type: ignore[return-value]
        Target,
        indicator=indicator,
        kind="target",
        year=year,
        unit=unit,
        value=value,
        expected_version=expected_version,
        user=user,
        fields={},
    )


def _set_history_user(instance: object, user: AbstractBaseUser | None) -> None:
    # simple_history takes the user from the request middleware; outside a
    # request (a task, the shell) only an explicit user names who changed it.
    if user is not None:
        instance._history_user = user  # type: ignore[attr-defined]


# --- spreadsheet imports ----------------------------------------------------------------------
#
# The life of an ImportJob: the web request stores the file (queued); a worker
# checks it (validating → validated, or invalid); its uploader confirms the
# preview and a worker saves it (applying → done, or invalid when the data
# changed meanwhile). Every step claims the job with a conditional UPDATE, so
# a message delivered twice, or a job that ``import_jobs_fail_stale`` gave up
# on, is left alone. Whenever a job ends its file is removed.


def _stored_error(code: str, **params: object) -> dict[str, Any]:
    return {"row": None, "column": None, "code": code, "params": params}


def import_job_create(*, strategy: Strategy, user: AbstractBaseUser, upload: Any) -> ImportJob:
    """Store an uploaded file as an import job and queue its check.

    Wrong types and sizes, and XLSX archives over the limits, are refused
    with ``ImportFileError`` before anything is stored. Only the zip
    directory is read here: the workbook itself is parsed in the worker,
    never in the web request.
    """
    from .tasks import import_validate_task  # tasks import this module

    check_upload(name=upload.name, size=upload.size)
    if extension_of(upload.name) == "xlsx":
        check_archive(upload)
        upload.seek(0)
    job = ImportJob.objects.create(strategy=strategy, created_by=user, file=upload, original_name=upload.name[:255])
    transaction.on_commit(lambda: import_validate_task.delay(job.pk))
    return job


def _progress_writer(job_id: int) -> Any:
    def write(done: int, total: int) -> None:
        share = 100 * done // max(total, 1)
        ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.VALIDATING).update(progress=min(share, 100))

    return write


def _job_rights(job: ImportJob) -> EntryRights:
    """The rights the job's uploader has now (they may have changed since the upload)."""
    if job.created_by is None:
        return EntryRights(False, frozenset())
    return entry_rights(user=job.created_by, strategy=job.strategy)


def _remove_file(job_id: int) -> None:
    """Remove a job's stored file; the job keeps its summary and errors."""
    name = ImportJob.objects.filter(pk=job_id).values_list("file", flat=True).first()
    if not name:
        return
    try:
        ImportJob._meta.get_field("file").storage.delete(name)
    except OSError:
        # Left for the next ``import_jobs_fail_stale`` run.
        logger.warning("Could not remove the file %s of import job %s", name, job_id, exc_info=True)
        return
    ImportJob.objects.filter(pk=job_id, file=name).update(file="")


def _job_end(job_id: int, *, since: Iterable[str], status: str, **fields: Any) -> bool:
    """Move a job from one of the ``since`` statuses to the final ``status``
    and remove its file; False when the job had already moved on."""
    now = timezone.now()
    ended = ImportJob.objects.filter(pk=job_id, status__in=list(since)).update(
        status=status, status_changed_at=now, finished_at=now, checked_rows={}, **fields
    )
    if ended:
        _remove_file(job_id)
    return bool(ended)


def _failure(exc: BaseException) -> dict[str, Any]:
    """A stored reason for an unexpected failure, which people can read."""
    from celery.exceptions import SoftTimeLimitExceeded

    if isinstance(exc, SoftTimeLimitExceeded):
        return _stored_error("timed_out")
    return _stored_error("server_error")


def _job_for_worker(job_id: int) -> ImportJob | None:
    return ImportJob.objects.select_related("strategy__organisation", "created_by").filter(pk=job_id).first()


def import_job_validate(*, job_id: int) -> ImportJob | None:
    """Check a queued job's file and store its errors, or the checked rows and
    what saving them would change. A job that is not queued (checked already,
    or given up on) is left alone."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.VALIDATING, status_changed_at=timezone.now(), progress=0
    )
    job = _job_for_worker(job_id)
    if job is None or not claimed:
        return job
    running = (ImportJob.Status.VALIDATING,)
    try:
        if not job.file:
            raise FileNotFoundError(job.original_name)
        with job.file.open("rb") as handle:
            plan = import_validate(
                handle,
                name=job.original_name,
                strategy=job.strategy,
                rights=_job_rights(job),
                user=job.created_by,
                progress=_progress_writer(job.pk),
            )
    except FileNotFoundError:
        _job_end(job.pk, since=running, status=ImportJob.Status.FAILED, errors=[_stored_error("file_missing")])
    except Exception as exc:
        logger.exception("Import job %s could not be checked", job.pk)
        _job_end(job.pk, since=running, status=ImportJob.Status.FAILED, errors=[_failure(exc)])
    else:
        if plan.ok:
            ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.VALIDATING).update(
                status=ImportJob.Status.VALIDATED,
                status_changed_at=timezone.now(),
                errors=[],
                summary=plan.summary,
                total_rows=plan.rows,
                progress=100,
                checked_rows=plan.stored(),
            )
        else:
            _job_end(
                job.pk, since=running, status=ImportJob.Status.INVALID, errors=plan.errors, summary=plan.summary, total_rows=plan.rows
            )
    job.refresh_from_db()
    return job


def import_job_start_apply(*, job: ImportJob) -> bool:
    """Queue the save of a checked job; False when the job is not (or no longer) checked."""
    from .tasks import import_apply_task  # tasks import this module

    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.VALIDATED).update(
        status=ImportJob.Status.APPLYING, status_changed_at=timezone.now(), progress=0
    )
    if claimed:
        transaction.on_commit(lambda: import_apply_task.delay(job.pk))
    return bool(claimed)


def import_job_apply(*, job_id: int) -> ImportJob | None:
    """Save a job's checked rows, all or nothing, or record why nothing was saved.

    The rows are planned again against the data and the uploader's rights
    as they are now (the file is not read again). The values and the job's
    new status are written in one transaction, under a lock on the job: a
    second delivery of the same message finds the job done and does nothing;
    one that follows a worker's death finds nothing written and saves again.
    """
    job = _job_for_worker(job_id)
    if job is None or job.status != ImportJob.Status.APPLYING:
        return job
    rights = _job_rights(job)
    running = (ImportJob.Status.APPLYING,)
    outcome: dict[str, Any] | None = None
    try:
        with transaction.atomic():
            checked = (
                ImportJob.objects.select_for_update()
                .filter(pk=job_id, status=ImportJob.Status.APPLYING)
                .values_list("checked_rows", flat=True)
                .first()
            )
            if checked is None:
                return job
            plan = import_replan(checked, strategy=job.strategy, rights=rights, user=job.created_by)
            if plan.ok:
                summary = import_apply(plan, reason=str(_("Imported from %(file)s")) % {"file": job.original_name})
                now = timezone.now()
                ImportJob.objects.filter(pk=job_id).update(
                    status=ImportJob.Status.DONE,
                    status_changed_at=now,
                    finished_at=now,
                    summary=summary,
                    errors=[],
                    progress=100,
                    checked_rows={},
                )
            else:
                outcome = {"status": ImportJob.Status.INVALID, "errors": plan.errors, "summary": plan.summary}
    except IntegrityError:
        outcome = {"status": ImportJob.Status.INVALID, "errors": [_stored_error("changed_meanwhile")]}
    except Exception as exc:
        logger.exception("Import job %s could not be saved", job_id)
        outcome = {"status": ImportJob.Status.FAILED, "errors": [_failure(exc)]}
    if outcome is None:
        _remove_file(job_id)
    else:
        _job_end(job_id, since=running, progress=100, **outcome)
    job.refresh_from_db()
    return job


def import_job_cancel(*, job: ImportJob) -> bool:
    """Drop a checked job that its uploader does not want to save."""
    return _job_end(job.pk, since=(ImportJob.Status.VALIDATED,), status=ImportJob.Status.CANCELLED)


def import_stale_after() -> timedelta:
    """How long a job may stay queued, checking or saving: see ``import_jobs_fail_stale``."""
    limit = settings.CELERY_TASK_TIME_LIMIT
    return timedelta(seconds=limit + max(limit // 4, 600))


def import_jobs_fail_stale(*, now: datetime | None = None) -> int:
    """End the import jobs that nobody will finish; return how many.

    Celery kills a task after ``CELERY_TASK_TIME_LIMIT`` seconds, and a task
    whose worker died is not run again for a job it had claimed. So a job
    still queued, checking or saving ``import_stale_after()`` after its last
    change of status (the time limit plus a quarter of it, at least ten
    minutes: room for a job that waited in the queue behind another) has no
    worker behind it. It is marked failed with a reason its uploader can
    read; nothing was saved, since saving is one transaction.

    Checked jobs that their uploader has not saved within
    ``SUUNTA_IMPORT_PREVIEW_HOURS`` are cancelled, and files that an ended
    job still holds (their removal failed) are removed: no uploaded file is
    kept longer than its job needs it.
    """
    now = now or timezone.now()
    bound = import_stale_after()
    ended = 0
    stale = ImportJob.objects.filter(status__in=ImportJob.RUNNING, status_changed_at__lt=now - bound)
    for job_id in stale.values_list("pk", flat=True):
        error = _stored_error("stale", minutes=int(bound.total_seconds() // 60))
        ended += _job_end(job_id, since=ImportJob.RUNNING, status=ImportJob.Status.FAILED, errors=[error])
    hours = settings.SUUNTA_IMPORT_PREVIEW_HOURS
    expired = ImportJob.objects.filter(status=ImportJob.Status.VALIDATED, status_changed_at__lt=now - timedelta(hours=hours))
    for job_id in expired.values_list("pk", flat=True):
        error = _stored_error("expired", hours=hours)
        ended += _job_end(job_id, since=(ImportJob.Status.VALIDATED,), status=ImportJob.Status.CANCELLED, errors=[error])
    for job_id in ImportJob.objects.filter(status__in=ImportJob.ENDED).exclude(file="").values_list("pk", flat=True):
        _remove_file(job_id)
    if ended:
        logger.warning("Ended %s stale import jobs", ended)
    return ended
