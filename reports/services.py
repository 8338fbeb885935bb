"""Council reports: ordering and ordering again; the rest is re-exported here.

The flow is ``report_order`` (in the request) → the ``render_report`` task →
``report_run`` (``reports.jobs``), which freezes the data into
``Report.snapshot`` with ``report_snapshot_build`` (``reports.snapshot``) and
turns it into PDF bytes with ``report_render`` (``reports.document``).
Rendering depends on the snapshot alone, so the same snapshot gives the same
bytes: a report can be rendered again identically years later.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max

from strategy.models import Organisation, Strategy

from .document import report_html_build, report_render
from .jobs import (
    TRANSIENT_ERRORS,
    ReapResult,
    ReportTransientError,
    _reap_one,
    _stale_q,
    _store,
    report_fail,
    report_filename,
    report_jobs_reap,
    report_requeue,
    report_run,
)
from .models import Report
from .snapshot import LANGUAGE_CODES, SNAPSHOT_SCHEMA, report_snapshot_build, snapshot_digest

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

__all__ = [
    "LANGUAGE_CODES",
    "SNAPSHOT_SCHEMA",
    "TRANSIENT_ERRORS",
    "ReapResult",
    "ReportTransientError",
    "_reap_one",
    "_stale_q",
    "_store",
    "report_fail",
    "report_filename",
    "report_html_build",
    "report_jobs_reap",
    "report_order",
    "report_render",
    "report_reorder",
    "report_requeue",
    "report_run",
    "report_snapshot_build",
    "snapshot_digest",
]


def report_order(
    *,
    strategy: Strategy,
    user: AbstractBaseUser | None,
    year: int,
    to_year: int | None = None,
    unit: Organisation | None = None,
    language: str,
) -> Report:
    """Create the next version of a report and enqueue its rendering after commit.

    The caller has checked that ``user`` may order this report (see
    ``reports.forms.ReportOrderForm``).
    """
    from .tasks import render_report

    if to_year == year:
        to_year = None
    with transaction.atomic():
        # Lock the strategy row so that two simultaneous orders get different versions.
        Strategy.objects.select_for_update().filter(pk=strategy.pk).first()
        latest = Report.objects.filter(
            strategy=strategy, year=year, to_year=to_year, unit=unit, language=language
        ).aggregate(latest=Max("version"))["latest"]
        report = Report.objects.create(
            strategy=strategy,
            unit=unit,
            year=year,
            to_year=to_year,
            language=language,
            version=(latest or 0) + 1,
            requested_by=user if user is not None and user.is_authenticated else None,
        )
        transaction.on_commit(lambda: render_report.delay(report.pk))
    return report


def report_reorder(*, report: Report, user: AbstractBaseUser) -> Report:
    """Render a finished or failed report again: a new version with the same
    years, unit and language (``report_order``; a version never changes).

    The caller has checked that ``user`` may order it (``Report.objects.orderable_by``).
    """
    return report_order(
        strategy=report.strategy,
        user=user,
        year=report.year,
        to_year=report.to_year,
        unit=report.unit,
        language=report.language,
    )
