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

from django.db import connection, transaction
from django.db.models import Max
from modeltranslation.utils import resolution_order

from strategy.fragments import cached, fragment_key
from strategy.models import Organisation, Strategy
from translations.fallback import LANGUAGE_CODES as TEXT_LANGUAGES
from translations.fallback import report_text_rows

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
    "report_fallback_counts",
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


def _report_texts_sql(strategy: Strategy) -> tuple[str, tuple[object, ...]]:
    """The SQL of every translated text a report of ``strategy`` prints
    (``translations.fallback``), compiled once per strategy and process.

    Compiling that query of some fifty parts costs the ORM ten times what
    the database needs to run it. The SQL depends on nothing but the
    strategy, its organisation and that organisation's place in the tree
    (the texts themselves are read when it runs), so it is kept by those.
    """
    key = fragment_key(
        "report-texts-sql",
        connection.vendor,
        strategy.pk,
        strategy.organisation_id,
        strategy.organisation.path,
    )

    def compile_sql() -> tuple[str, tuple[object, ...]]:
        sql, params = report_text_rows(strategy).query.sql_with_params()
        return sql, tuple(params)

    return cached(key, compile_sql)


def report_fallback_counts(*, strategy: Strategy, language: str) -> dict[str, int]:
    """How many texts of ``strategy``'s report in ``language`` will be shown
    in another language, by that language, in the order of the fallback.

    The texts of ``translations.fallback.fallback_texts``, judged by the same
    rule (the first language of modeltranslation's order whose text is not
    empty) but counted by the database: one query, and no row per text
    comes back, however many there are.
    """
    language = language[:2]
    order = [code for code in resolution_order(language) if code in TEXT_LANGUAGES]
    sql, params = _report_texts_sql(strategy)
    shown = " ".join(f"WHEN texts.fallback_{code} <> '' THEN %s" for code in order)
    counted = (
        f"SELECT shown, COUNT(*) FROM (SELECT CASE {shown} ELSE '' END AS shown "
        f"FROM ({sql}) texts) judged WHERE shown NOT IN ('', %s) GROUP BY shown"
    )
    with connection.cursor() as cursor:
        cursor.execute(counted, [*order, *params, language])
        counts = dict(cursor.fetchall())
    return {code: counts[code] for code in order if code in counts}
