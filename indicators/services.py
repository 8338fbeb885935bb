"""Workflows around indicators: summaries for pages, and recording values."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from strategy.models import Organisation, Strategy

from .importing import check_upload, estimate_rows, import_apply, import_validate, sync_rows
from .models import EntryRights, ImportJob, Indicator, Measurement, Target, entry_rights
from .status import Status, combine, judge_series, latest, target_path

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def judgement_year(strategy: Strategy) -> int:
    """The year pages judge by: this year, kept inside the strategy period."""
    return min(max(timezone.localdate().year, strategy.period_start), strategy.period_end)


def indicators_with_values(queryset: QuerySet[Indicator]) -> QuerySet[Indicator]:
    """Indicators with everything a summary needs, in a fixed number of queries."""
    return queryset.select_related("goal", "focus_area", "perspective", "strategy").prefetch_related(
        Prefetch("targets", queryset=Target.objects.select_related("unit").order_by("year")),
        Prefetch("measurements", queryset=Measurement.objects.select_related("unit", "entered_by").order_by("year")),
        "sdgs",
    )


@dataclass
class Series:
    """The values of one indicator for the total (``unit`` None) or for one unit."""

    unit: Organisation | None
    actuals: dict[int, Decimal] = field(default_factory=dict)
    targets: dict[int, Decimal] = field(default_factory=dict)
    measurements: dict[int, Measurement] = field(default_factory=dict)
    path: dict[int, Decimal | None] = field(default_factory=dict)
    status: Status = Status.NO_DATA

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
    for target in indicator.targets.all():
        by_unit.setdefault(target.unit_id, Series(unit=target.unit)).targets[target.year] = target.value
    for measurement in indicator.measurements.all():
        series = by_unit.setdefault(measurement.unit_id, Series(unit=measurement.unit))
        series.actuals[measurement.year] = measurement.value
        series.measurements[measurement.year] = measurement
    total = by_unit.pop(None)
    units = sorted(by_unit.values(), key=lambda s: (s.unit.path if s.unit else ""))
    # The total is shown when it has anything, or when nothing is broken down by unit.
    has_total = bool(total.actuals or total.targets) or not units
    ordered = ([total] if has_total else []) + units
    for series in ordered:
        baseline = indicator.baseline_value if series.unit is None else None
        baseline_year = indicator.baseline_year if series.unit is None else None
        series.path = target_path(
            years=years, targets=series.targets, baseline_year=baseline_year, baseline=baseline
        )
        series.status = judge_series(
            direction=indicator.direction,
            year=year,
            actuals=series.actuals,
            targets=series.targets,
            years=years,
            baseline_year=baseline_year,
            baseline=baseline,
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
    )


class EntryError(ValueError):
    """A value that cannot be recorded; ``message`` is for the person who typed it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def value_check(*, indicator: Indicator, value: Decimal) -> None:
    """Raise ``EntryError`` when the value does not fit the indicator."""
    if indicator.is_percentage and not (Decimal(0) <= value <= Decimal(100)):
        raise EntryError(str(_("A percentage must be between 0 and 100.")))


@transaction.atomic
def measurement_record(
    *,
    indicator: Indicator,
    year: int,
    unit: Organisation | None,
    value: Decimal | None,
    user: AbstractBaseUser,
) -> Measurement | None:
    """Record (or with ``value`` None, remove) an actual value, noting who entered it.

    Permission is the caller's business (``EntryRights``); this checks the
    value and the year.
    """
    if year not in indicator.strategy.years:
        raise EntryError(str(_("The year lies outside the strategy period.")))
    existing = Measurement.objects.select_for_update().filter(indicator=indicator, year=year, unit=unit).first()
    if value is None:
        if existing:
            existing.delete()
        return None
    value_check(indicator=indicator, value=value)
    if existing is None:
        return Measurement.objects.create(indicator=indicator, year=year, unit=unit, value=value, entered_by=user)
    if existing.value != value:
        existing.value = value
        existing.entered_by = user
        existing.save(update_fields=["value", "entered_by", "entered_at"])
    return existing


@transaction.atomic
def target_record(
    *, indicator: Indicator, year: int, unit: Organisation | None, value: Decimal | None
) -> Target | None:
    """Set (or with ``value`` None, remove) the target for a year."""
    if year not in indicator.strategy.years:
        raise EntryError(str(_("The year lies outside the strategy period.")))
    if value is None:
        Target.objects.filter(indicator=indicator, year=year, unit=unit).delete()
        return None
    value_check(indicator=indicator, value=value)
    target, _created = Target.objects.update_or_create(
        indicator=indicator, year=year, unit=unit, defaults={"value": value}
    )
    return target


# --- spreadsheet imports ----------------------------------------------------------------------


def import_job_create(*, strategy: Strategy, user: AbstractBaseUser, upload: Any) -> ImportJob:
    """Store an uploaded file as an import job (refusing wrong types and sizes
    first, with ``ImportFileError``) and check it: in the request when it is
    small, in a Celery task when it is large."""
    from .tasks import import_validate_task  # tasks import this module

    check_upload(name=upload.name, size=upload.size)
    job = ImportJob.objects.create(strategy=strategy, created_by=user, file=upload, original_name=upload.name[:255])
    with job.file.open("rb") as handle:
        estimate = estimate_rows(handle, name=job.original_name)
    if estimate is not None and estimate <= sync_rows():
        import_job_validate(job=job)
    else:
        transaction.on_commit(lambda: import_validate_task.delay(job.pk))
    return job


def _progress_writer(job: ImportJob, start: int, end: int) -> Any:
    def write(done: int, total: int) -> None:
        share = start + (end - start) * done // max(total, 1)
        ImportJob.objects.filter(pk=job.pk).update(progress=min(share, 100), total_rows=total)

    return write


def _validate_job_file(job: ImportJob, *, progress_end: int) -> Any:
    """Validate the job's stored file with the rights its creator has now,
    reporting progress from 0 to ``progress_end`` per cent."""
    rights = entry_rights(user=job.created_by, strategy=job.strategy) if job.created_by else EntryRights(False, frozenset())
    with job.file.open("rb") as handle:
        return import_validate(
            handle,
            name=job.original_name,
            strategy=job.strategy,
            rights=rights,
            user=job.created_by,
            progress=_progress_writer(job, 0, progress_end),
        )


def import_job_validate(*, job: ImportJob) -> ImportJob:
    """Check the job's file and store the errors and what applying would change."""
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.VALIDATING)
    plan = _validate_job_file(job, progress_end=100)
    job.errors = plan.errors
    job.summary = plan.summary
    job.total_rows = plan.rows
    job.progress = 100
    job.status = ImportJob.Status.VALIDATED if plan.ok else ImportJob.Status.INVALID
    job.finished_at = timezone.now()
    job.save(update_fields=["errors", "summary", "total_rows", "progress", "status", "finished_at"])
    return job


def import_job_apply(*, job: ImportJob) -> ImportJob:
    """Check the file again (the data may have changed since the preview) and
    write it in one transaction, or write nothing and record why."""
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.APPLYING, progress=0)
    plan = _validate_job_file(job, progress_end=80)
    if plan.ok:
        try:
            job.summary = import_apply(plan)
            job.status = ImportJob.Status.DONE
        except IntegrityError:
            job.errors = [{"row": None, "column": None, "code": "changed_meanwhile", "params": {}}]
            job.status = ImportJob.Status.INVALID
    else:
        job.errors = plan.errors
        job.summary = plan.summary
        job.status = ImportJob.Status.INVALID
    job.progress = 100
    job.finished_at = timezone.now()
    job.save(update_fields=["errors", "summary", "progress", "status", "finished_at"])
    return job


def import_job_start_apply(*, job: ImportJob) -> None:
    """Apply now when the file is small, else hand it to a worker."""
    from .tasks import import_apply_task  # tasks import this module

    if job.total_rows <= sync_rows():
        import_job_apply(job=job)
    else:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.APPLYING, progress=0)
        transaction.on_commit(lambda: import_apply_task.delay(job.pk))
