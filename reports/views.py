"""Report pages: the list with the ordering form, a report's status, the download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from strategy.models import Strategy
from strategy.views.overview import get_strategy_for_user

from .forms import ReportOrderForm
from .models import Report
from .services import report_filename, report_order, report_reorder


def _get_report_for_user(request: HttpRequest, strategy: Strategy, pk: int) -> Report:
    """The one way views fetch a report by a user-supplied id: 404 if unseen."""
    return get_object_or_404(
        Report.objects.visible_to(request.user).select_related("strategy", "unit", "requested_by"),
        pk=pk,
        strategy=strategy,
    )


def _list_context(request: HttpRequest, strategy: Strategy, form: ReportOrderForm | None = None) -> dict[str, object]:
    reports = (
        Report.objects.visible_to(request.user)
        .filter(strategy=strategy)
        .select_related("unit", "requested_by", "strategy")
        .defer("snapshot")
    )
    form = form or ReportOrderForm(strategy=strategy, user=request.user)
    return {
        "strategy": strategy,
        "reports": reports,
        "form": form if form.can_order else None,
        "reorderable": _reorderable(request, strategy),
    }


def _reorderable(request: HttpRequest, strategy: Strategy) -> set[int]:
    """Ids of this strategy's reports the user may render again (one query);
    the row template shows the "Render again" button for these."""
    return set(Report.objects.orderable_by(request.user).filter(strategy=strategy).values_list("pk", flat=True))


@require_GET
@login_required
def report_list(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = get_strategy_for_user(request, slug)
    return render(request, "reports/report_list.html", _list_context(request, strategy))


@require_POST
@login_required
def report_order_view(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = get_strategy_for_user(request, slug)
    form = ReportOrderForm(request.POST, strategy=strategy, user=request.user)
    if not form.can_order:
        raise Http404
    template = "reports/report_list.html"
    if not form.is_valid():
        return render(
            request, template + ("#report-area" if request.htmx else ""), _list_context(request, strategy, form), status=400
        )
    report = report_order(
        strategy=strategy,
        user=request.user,
        year=form.cleaned_data["year"],
        to_year=form.cleaned_data["to_year"],
        unit=form.cleaned_data["unit"],
        language=form.cleaned_data["language"],
    )
    message = _("Report %(report)s ordered. It is rendered in the background.") % {"report": report}
    if request.htmx:
        context = _list_context(request, strategy)
        context["announcement"] = message
        return render(request, template + "#report-area", context)
    messages.success(request, message)
    return redirect("report-list", slug=strategy.slug)


@require_GET
@login_required
def report_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A report's page; for htmx its table row, which polls while the report is pending."""
    strategy = get_strategy_for_user(request, slug)
    report = _get_report_for_user(request, strategy, pk)
    template = "reports/report_detail.html" + ("#report-row" if request.htmx else "")
    return render(request, template, _detail_context(request, strategy, report))


def _detail_context(request: HttpRequest, strategy: Strategy, report: Report) -> dict[str, object]:
    reorderable = set(Report.objects.orderable_by(request.user).filter(pk=report.pk).values_list("pk", flat=True))
    return {"strategy": strategy, "report": report, "reorderable": reorderable}


@require_POST
@login_required
def report_reorder_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The "Render again" button: a new version of a finished or failed report.

    404 for people who may not order this report, as for ordering. A report
    still pending is not ordered twice: the person is shown its status.
    """
    strategy = get_strategy_for_user(request, slug)
    report = get_object_or_404(
        Report.objects.orderable_by(request.user).select_related("strategy", "unit", "requested_by"),
        pk=pk,
        strategy=strategy,
    )
    if report.is_pending:
        return redirect("report-status", slug=strategy.slug, pk=report.pk)
    new = report_reorder(report=report, user=request.user)
    messages.success(request, _("Report %(report)s ordered. It is rendered in the background.") % {"report": new})
    # A plain form (also in htmx-swapped rows): the new version has a page of its own.
    return redirect("report-status", slug=strategy.slug, pk=new.pk)


@require_GET
@login_required
def report_download(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    strategy = get_strategy_for_user(request, slug)
    report = _get_report_for_user(request, strategy, pk)
    if report.status != Report.Status.DONE or not report.file:
        raise Http404
    return FileResponse(
        report.file.open("rb"), as_attachment=True, filename=report_filename(report), content_type="application/pdf"
    )
