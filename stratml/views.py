"""StratML: download a strategy, and import a file as a new strategy."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from strategy.htmx import render_page, wants_fragment
from strategy.security import security_event
from strategy.views.overview import get_strategy_for_user

from .forms import StratmlUploadForm
from .models import StratmlImportJob
from .services import (
    StratmlUploadError,
    importable_organisations,
    message_for,
    stratml_export,
    stratml_import_cancel,
    stratml_import_create,
    stratml_import_start_apply,
)


@require_GET
@login_required
def stratml_download(request: HttpRequest, slug: str) -> HttpResponse:
    """The strategy as the reader sees it (approved version for outsiders), as StratML."""
    strategy = get_strategy_for_user(request, slug)
    document, filename = stratml_export(strategy=strategy, user=request.user)
    security_event("export.stratml", request=request, strategy=strategy.slug)
    response = HttpResponse(document, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Language"] = strategy.main_language
    return response


def _organisations(request: HttpRequest) -> Any:
    """The organisations the person may import into; none at all is a 404, as on the new-strategy page."""
    organisations = importable_organisations(request.user)
    if not organisations.exists():
        raise Http404
    return organisations


@require_http_methods(["GET", "POST"])
@login_required
def stratml_import(request: HttpRequest) -> HttpResponse:
    organisations = _organisations(request)
    chosen = request.POST.get("organisation", "")
    if chosen and not (chosen.isdigit() and organisations.filter(pk=int(chosen)).exists()):
        # Someone else's organisation (or one that does not exist) is not found for this person.
        raise Http404
    form = StratmlUploadForm(
        request.POST or None, request.FILES or None, organisations=organisations
    )
    if request.method == "GET":
        form.fields["main_language"].initial = (
            request.LANGUAGE_CODE if request.LANGUAGE_CODE in dict(settings.LANGUAGES) else "fi"
        )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = stratml_import_create(
                organisation=form.cleaned_data["organisation"],
                user=request.user,
                upload=upload,
                main_language=form.cleaned_data["main_language"],
            )
        except StratmlUploadError as exc:
            security_event(
                "import.stratml.refused",
                request=request,
                reason=exc.code,
                name=upload.name[:100],
                size=upload.size,
            )
            form.add_error("file", exc.message)
        else:
            return redirect("stratml-import-job", job.pk)
    jobs = (
        StratmlImportJob.objects.of_user(request.user)
        .select_related("organisation")
        .defer("plan", "preview")[:10]
    )
    megabytes = max(settings.SUUNTA_STRATML_MAX_BYTES // (1024 * 1024), 1)
    return render(
        request,
        "stratml/import_upload.html",
        {"form": form, "jobs": jobs, "megabytes": megabytes},
        status=422 if form.errors else 200,
    )


def _get_job(request: HttpRequest, pk: int) -> StratmlImportJob:
    # Jobs are private to their uploader: another person's job is a 404.
    return get_object_or_404(
        StratmlImportJob.objects.of_user(request.user)
        .select_related("organisation", "strategy")
        .defer("plan"),
        pk=pk,
    )


def _job_context(job: StratmlImportJob) -> dict[str, Any]:
    preview = job.preview or {}
    return {
        "job": job,
        "preview": preview,
        "errors": [message_for(error) for error in job.errors],
        "warnings": [message_for(warning) for warning in preview.get("warnings", [])],
    }


@require_GET
@login_required
def stratml_import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _get_job(request, pk)
    template = "stratml/import_job.html"
    return render_page(request, template, _job_context(job), fragment="import-status")


def _job_response(request: HttpRequest, job: StratmlImportJob) -> HttpResponse:
    if wants_fragment(request):
        job.refresh_from_db()
        return render(request, "stratml/import_job.html#import-status", _job_context(job))
    return redirect("stratml-import-job", job.pk)


@require_POST
@login_required
def stratml_import_apply_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Create the previewed strategy; a worker writes it."""
    job = _get_job(request, pk)
    if not stratml_import_start_apply(job=job):
        messages.error(request, _("This import cannot be started: check its status."))
    return _job_response(request, job)


@require_POST
@login_required
def stratml_import_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = _get_job(request, pk)
    if not stratml_import_cancel(job=job):
        messages.error(request, _("This import cannot be cancelled: check its status."))
    return _job_response(request, job)
