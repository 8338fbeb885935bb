"""Report pages: the list with the ordering form, a report's status, the download."""

from __future__ import annotations

import hashlib
import hmac
import logging
import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from strategy import clock
from strategy.fragments import (
    CSRF_SLOT,
    FRAGMENT_SECONDS,
    cached,
    data_stamp,
    fragment_key,
    reader_key,
    stamp_for,
    with_csrf,
)
from strategy.htmx import INVALID, render_page, wants_fragment
from strategy.models import Strategy
from strategy.security import security_event
from strategy.views.overview import get_strategy_for_user

from .forms import ReportOrderForm
from .models import Report
from .services import (
    LANGUAGE_CODES,
    report_fallback_counts,
    report_filename,
    report_order,
    report_reorder,
)


def _get_report_for_user(
    request: HttpRequest, strategy: Strategy, pk: int, allowed: QuerySet[Report] | None = None
) -> Report:
    """The one way views fetch a report by a user-supplied id: 404 if unseen;
    with ``allowed`` (what the user may do with it), 403 if seen but not allowed."""
    report = get_object_or_404(
        Report.objects.visible_to(request.user).select_related("strategy", "unit", "requested_by"),
        pk=pk,
        strategy=strategy,
    )
    if allowed is not None and not allowed.filter(pk=report.pk).exists():
        raise PermissionDenied
    return report


def _list_context(
    request: HttpRequest, strategy: Strategy, form: ReportOrderForm | None = None
) -> dict[str, object]:
    # Whether each report may be rendered again is read with the list (one query).
    orderable = Report.objects.orderable_by(request.user).filter(pk=OuterRef("pk"))
    reports = list(
        Report.objects.visible_to(request.user)
        .filter(strategy=strategy)
        .annotate(reorderable=Exists(orderable))
        .select_related("unit", "requested_by", "strategy")
        .defer("snapshot")
    )
    form = form or ReportOrderForm(strategy=strategy, user=request.user)
    can_order = form.can_order
    language = form.chosen_language(request.GET.get("language"))
    if not form.is_bound:
        # "Check another language" (without JavaScript) also chooses it in the form.
        form.fields["language"].initial = language
    return {
        "strategy": strategy,
        "reports": reports,
        "form": form if can_order else None,
        "order_fields_key": _order_fields_key(form) if can_order and not form.is_bound else None,
        "fragment_seconds": FRAGMENT_SECONDS,
        "language_note": _language_note(strategy, language) if can_order else None,
        # Ids of the reports the user may render again: the row shows "Render again".
        "reorderable": {report.pk for report in reports if report.reorderable},
    }


def _order_fields_key(form: ReportOrderForm) -> str:
    """The key of the order form's cached fields: everything they show (each
    field's label, help text, choices, initial value, requiredness and
    attributes) and the language (``fragment_key``). Only an unbound form's
    fields are cached; a form with errors is rendered afresh.

    The units are read once, here: the cached fields or, on a miss, the
    widget renders the same list instead of asking the database again.
    """
    unit = form.fields["unit"]
    unit.widget.choices = [(str(value), str(label)) for value, label in unit.choices]
    shown = [
        (
            name,
            str(field.label),
            str(field.help_text),
            [(str(value), str(label)) for value, label in field.widget.choices],
            str(form[name].initial),
            field.required,
            sorted(field.widget.attrs.items()),
        )
        for name, field in form.fields.items()
    ]
    return fragment_key("report-order-fields", shown)


def _language_name(code: str, *, in_sentence: bool = False) -> str:
    """The language's name in the reader's language; inside a sentence in
    small letters where the reader's language writes it so (Django's
    Swedish names start with a capital, as in a menu: "på Svenska")."""
    name = translation.get_language_info(code)["name_translated"]
    if in_sentence and translation.get_language() in ("fi", "sv"):
        return name.lower()
    return name


def _language_note(strategy: Strategy, language: str) -> dict[str, object]:
    """What a report in ``language`` will contain: how many of its texts are
    not written in that language and which language they will be shown in
    (``report_fallback_counts``), with a link to the page where they are
    translated."""
    counts = report_fallback_counts(strategy=strategy, language=language)
    lines = [
        ngettext(
            "%(count)s text is not in %(language)s and will be shown in %(fallback)s.",
            "%(count)s texts are not in %(language)s and will be shown in %(fallback)s.",
            count,
        )
        % {
            "count": count,
            "language": _language_name(language, in_sentence=True),
            "fallback": _language_name(code, in_sentence=True),
        }
        for code, count in counts.items()
    ]
    try:
        overview = reverse("translation-overview", kwargs={"slug": strategy.slug})
        translate_url = f"{overview}?language={language}"
    except NoReverseMatch:
        translate_url = ""
    return {
        "language": language,
        "language_name": _language_name(language, in_sentence=True),
        "count": sum(counts.values()),
        "lines": lines,
        "translate_url": translate_url,
        "others": [(code, _language_name(code)) for code in LANGUAGE_CODES if code != language],
    }


@require_GET
@login_required
def report_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The reports and the order form; for htmx (a language chosen in the
    form) only the note on what the report in that language will contain."""
    strategy = get_strategy_for_user(request, slug)
    template = "reports/report_list.html"
    if wants_fragment(request):
        return render_page(request, template, _list_context(request, strategy), fragment={"language-note": "language-note"})
    # The order form and the list are kept in the fragment cache by what they
    # show: the reports, the people who ordered them, the strategy's texts and
    # the organisations (the note on the report's language, the units), which
    # units have plans (their names are among the report's texts: not a
    # status or progress saved, ``plan-texts``), the maturity texts the report
    # prints, the day (the year offered), the language asked for and the
    # reader's reach.
    key = fragment_key(
        "report-list",
        strategy.pk,
        request.GET.get("language", ""),
        clock.today(),
        stamp_for(strategy, *(data_stamp(name) for name in ("reports", "people", "plan-texts", "maturity"))),
        reader_key(request.user),
    )
    area = cached(
        key,
        lambda: render_to_string(f"{template}#report-area", {**_list_context(request, strategy), "csrf_token": CSRF_SLOT}),
    )
    return render(request, template, {"strategy": strategy, "report_area": with_csrf(area, request)})


@require_POST
@login_required
def report_order_view(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = get_strategy_for_user(request, slug)
    form = ReportOrderForm(request.POST, strategy=strategy, user=request.user)
    if not form.can_order:
        # They see the strategy's reports but may order none.
        raise PermissionDenied
    template = "reports/report_list.html"
    if not form.is_valid():
        context = _list_context(request, strategy, form)
        return render_page(request, template, context, fragment="report-area", status=INVALID)
    report = report_order(
        strategy=strategy,
        user=request.user,
        year=form.cleaned_data["year"],
        to_year=form.cleaned_data["to_year"],
        unit=form.cleaned_data["unit"],
        language=form.cleaned_data["language"],
    )
    message = _("Report %(report)s ordered. It is rendered in the background.") % {"report": report}
    if wants_fragment(request):
        context = _list_context(request, strategy)
        context["announcement"] = message
        return render_page(request, template, context, fragment="report-area")
    messages.success(request, message)
    return redirect("report-list", slug=strategy.slug)


@require_GET
@login_required
def report_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A report's page; for htmx its table row, which polls while the report is pending."""
    strategy = get_strategy_for_user(request, slug)
    report = _get_report_for_user(request, strategy, pk)
    return render_page(
        request,
        "reports/report_detail.html",
        _detail_context(request, strategy, report),
        fragment="report-row",
    )


def _detail_context(request: HttpRequest, strategy: Strategy, report: Report) -> dict[str, object]:
    reorderable = set(
        Report.objects.orderable_by(request.user).filter(pk=report.pk).values_list("pk", flat=True)
    )
    return {
        "strategy": strategy,
        "report": report,
        "reorderable": reorderable,
        "can_publish": Report.objects.publishable_by(request.user).filter(pk=report.pk).exists(),
    }


@require_POST
@login_required
def report_reorder_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The "Render again" button: a new version of a finished or failed report.

    404 for people who may not see this report, 403 for those who see it but
    may not order it. A report still pending is not ordered twice: the
    person is shown its status.
    """
    strategy = get_strategy_for_user(request, slug)
    report = _get_report_for_user(
        request, strategy, pk, allowed=Report.objects.orderable_by(request.user)
    )
    if report.is_pending:
        return redirect("report-status", slug=strategy.slug, pk=report.pk)
    new = report_reorder(report=report, user=request.user)
    messages.success(
        request, _("Report %(report)s ordered. It is rendered in the background.") % {"report": new}
    )
    # A plain form (also in htmx-swapped rows): the new version has a page of its own.
    return redirect("report-status", slug=strategy.slug, pk=new.pk)


# A report is copied while it is hashed, and the copy is what is served, so
# that the bytes sent are exactly the bytes checked. Copies up to this size
# stay in memory (a report is a few megabytes); bigger ones go to a
# temporary file, so a large archive never sits in memory.
_DOWNLOAD_SPOOL_BYTES = 16 * 1024 * 1024
_DOWNLOAD_CHUNK_BYTES = 1024 * 1024


def _verified_report_file(report: Report) -> tempfile.SpooledTemporaryFile[bytes] | None:
    """The report's stored file, read once in chunks and checked against the
    SHA-256 recorded when it was rendered; None if it is gone or differs."""
    digest = hashlib.sha256()
    copy: tempfile.SpooledTemporaryFile[bytes] = tempfile.SpooledTemporaryFile(
        max_size=_DOWNLOAD_SPOOL_BYTES
    )
    try:
        with report.file.open("rb") as stored:
            for chunk in stored.chunks(_DOWNLOAD_CHUNK_BYTES):
                digest.update(chunk)
                copy.write(chunk)
    except FileNotFoundError:
        copy.close()
        return None
    if not report.sha256 or not hmac.compare_digest(digest.hexdigest(), report.sha256):
        copy.close()
        return None
    copy.seek(0)
    return copy


@require_GET
@login_required
def report_download(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The archived PDF, served only while it is byte for byte the file that was rendered.

    A file that no longer matches its SHA-256 (damaged, or changed on disk) is
    refused with 500: the fault is the server's and the reader cannot mend it
    by asking again. The page says so in the reader's language, and the
    security log records it at ERROR level for the administrators.
    """
    strategy = get_strategy_for_user(request, slug)
    report = _get_report_for_user(request, strategy, pk)
    if report.status != Report.Status.DONE or not report.file:
        raise Http404
    verified = _verified_report_file(report)
    if verified is None:
        security_event(
            "report.integrity_failed", request=request, report=report.pk, level=logging.ERROR
        )
        return render(
            request,
            "reports/report_integrity_failed.html",
            {"strategy": strategy, "report": report},
            status=500,
        )
    security_event("report.download", request=request, report=report.pk, sha256=report.sha256)
    return FileResponse(
        verified,
        as_attachment=True,
        filename=report_filename(report),
        content_type="application/pdf",
    )


@require_POST
@login_required
def report_publish(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """An owner's switch: a finished report is downloadable on the public
    pages (while its strategy is published), or no longer. Someone who sees
    the report but does not own the strategy is refused with 403; a report
    not yet done is refused with a message, and nothing changes."""
    strategy = get_strategy_for_user(request, slug)
    report = _get_report_for_user(
        request, strategy, pk, allowed=Report.objects.publishable_by(request.user)
    )
    publish = request.POST.get("published") == "1"
    if publish and (report.status != Report.Status.DONE or not report.file):
        messages.error(request, _("Only a finished report can be published."))
    elif Report.objects.filter(pk=report.pk).update(published=publish):
        security_event(
            "report.published" if publish else "report.unpublished",
            request=request,
            report=report.pk,
        )
        if publish:
            messages.success(request, _("The report can now be downloaded on the public pages."))
        else:
            messages.success(request, _("The report is no longer on the public pages."))
    return redirect("report-status", slug=strategy.slug, pk=report.pk)
