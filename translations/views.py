"""The translation page of a strategy: coverage per language, a side-by-side
editor of the texts, files for translators and their import.

One view serves the page and its fragment: an htmx save gets the text's row
(``overview.html#text-row``), a plain one a redirect (or, when refused, the
text's own page). Refusals keep the editor's convention: 422 for invalid
input, 409 for a stale form.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from indicators.importing import ImportFileError
from strategy import spreadsheets
from strategy.htmx import render_page, wants_fragment
from strategy.models import Strategy
from strategy.services_editor import PartConflictError
from strategy.views.versions import archived_refusal

from . import exchange, services
from .access import get_translatable_strategy
from .models import TranslationImport
from .texts import MISSING, OUTDATED, Text, coverage, strategy_texts

LANGUAGE_NAMES: dict[str, Any] = dict(settings.LANGUAGES)
SHOWS = {
    "todo": (MISSING, OUTDATED),
    "missing": (MISSING,),
    "outdated": (OUTDATED,),
    "all": None,
}
PAGE_SIZE = 50
MAX_TEXT = 20_000


def _language(strategy: Strategy, code: str | None) -> str:
    """A target language of the strategy: not its main one."""
    others = [c for c, _name in settings.LANGUAGES if c != strategy.main_language]
    if code is None:
        return others[0]
    if code not in others:
        raise Http404
    return code


def _show(request: HttpRequest) -> str:
    show = request.GET.get("show") or request.POST.get("show") or "todo"
    return show if show in SHOWS else "todo"


def _filtered(texts: list[Text], show: str) -> list[Text]:
    statuses = SHOWS[show]
    return texts if statuses is None else [text for text in texts if text.status in statuses]


def _overview_url(
    strategy: Strategy, language: str, show: str, page: str | int | None = None
) -> str:
    query = {"language": language, "show": show}
    if page and str(page) != "1":
        query["page"] = str(page)
    return f"{reverse('translation-overview', args=[strategy.slug])}?{urlencode(query)}"


@require_GET
@login_required
def translation_overview(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = get_translatable_strategy(request.user, slug)
    language = _language(strategy, request.GET.get("language"))
    show = _show(request)
    texts = strategy_texts(strategy)
    page = Paginator(_filtered(texts[language], show), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "strategy": strategy,
        "language": language,
        "language_name": LANGUAGE_NAMES[language],
        "main_name": LANGUAGE_NAMES[strategy.main_language],
        "show": show,
        "shows": _show_choices(),
        "coverage": coverage(texts),
        "page": page,
        "next_url": _overview_url(strategy, language, show, page.number),
        "previous_url": _overview_url(strategy, language, show, page.number - 1)
        if page.has_previous()
        else "",
        "next_page_url": _overview_url(strategy, language, show, page.number + 1)
        if page.has_next()
        else "",
        "imports": TranslationImport.objects.filter(
            strategy=strategy, language=language
        ).select_related("created_by")[:5],
    }
    return render_page(
        request, "translations/overview.html", context, fragment={"translation-texts": "texts"}
    )


def _show_choices() -> list[tuple[str, str]]:
    return [
        ("todo", _("To translate (missing and outdated)")),
        ("missing", _("Missing")),
        ("outdated", _("Outdated")),
        ("all", _("All texts")),
    ]


def _text_context(strategy: Strategy, text: Text, show: str, **extra: Any) -> dict[str, Any]:
    return {
        "strategy": strategy,
        "text": text,
        "language": text.language,
        "language_name": LANGUAGE_NAMES[text.language],
        "main_name": LANGUAGE_NAMES[strategy.main_language],
        "show": show,
        **extra,
    }


@require_http_methods(["GET", "POST"])
@login_required
def translation_text(request: HttpRequest, slug: str, language: str, key: str) -> HttpResponse:
    """One text: its page (GET), or save its translation or confirm it is still valid (POST)."""
    strategy = get_translatable_strategy(request.user, slug)
    language = _language(strategy, language)
    text = services.find_text(strategy, language, key)
    if text is None:
        raise Http404
    show = _show(request)
    next_url = request.POST.get("next") or _overview_url(strategy, language, show)
    if not next_url.startswith(reverse("translation-overview", args=[strategy.slug])):
        next_url = _overview_url(strategy, language, show)
    if request.method == "GET":
        return _text_response(request, _text_context(strategy, text, show, next_url=next_url))
    if strategy.status == Strategy.Status.ARCHIVED:
        # An archived strategy is read-only until restored, for translators too.
        return archived_refusal(request, strategy)
    token = request.POST.get("token", "")
    value = request.POST.get("translation", "").replace("\r\n", "\n").strip()
    confirm = "confirm" in request.POST
    error = ""
    if not confirm and not value:
        error = _("Write the translation, or leave the text as it is.")
    elif len(value) > MAX_TEXT:
        error = _("The translation is longer than %(limit)s characters.") % {"limit": MAX_TEXT}
    if error:
        context = _text_context(
            strategy, text, show, error=error, attempted=value, next_url=next_url
        )
        return _text_response(request, context, status=422)
    try:
        if confirm:
            text = services.translation_confirm(
                strategy=strategy, text=text, token=token, user=request.user
            )
        else:
            text = services.translation_save(
                strategy=strategy, text=text, value=value, token=token, user=request.user
            )
    except PartConflictError as conflict:
        fresh = services.find_text(strategy, language, key)
        assert fresh is not None
        context = _text_context(
            strategy, fresh, show, conflict=conflict, attempted=value, next_url=next_url
        )
        return _text_response(request, context, status=409)
    if wants_fragment(request):
        return _text_response(
            request, _text_context(strategy, text, show, saved=True, next_url=next_url)
        )
    messages.success(request, _("Saved: %(text)s") % {"text": text.label})
    return redirect(next_url)


def _text_response(
    request: HttpRequest, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render_page(request, "translations/text.html", context, fragment="text-row", status=status)


@require_GET
@login_required
def translation_export(request: HttpRequest, slug: str, language: str, fmt: str) -> HttpResponse:
    strategy = get_translatable_strategy(request.user, slug)
    language = _language(strategy, language)
    show = _show(request)
    texts = _filtered(strategy_texts(strategy, [language])[language], show)
    filename = f"{strategy.slug}-{language}"
    if fmt == "xlsx":
        return spreadsheets.xlsx_response(
            exchange.export_table(strategy, language, texts), filename=f"{filename}.xlsx"
        )
    return spreadsheets.download(
        exchange.export_xliff(strategy, language, texts),
        filename=f"{filename}.xlf",
        content_type="application/xliff+xml",
    )


@require_http_methods(["GET", "POST"])
@login_required
def translation_import(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    strategy = get_translatable_strategy(request.user, slug)
    language = _language(strategy, language)
    context = {
        "strategy": strategy,
        "language": language,
        "language_name": LANGUAGE_NAMES[language],
        "error": "",
    }
    if request.method == "GET":
        return render(request, "translations/import.html", context)
    if strategy.status == Strategy.Status.ARCHIVED:
        return archived_refusal(request, strategy)
    upload = request.FILES.get("file")
    if upload is None:
        context["error"] = _("Choose a file to upload.")
        return render(request, "translations/import.html", context, status=422)
    try:
        job = services.import_create(
            strategy=strategy, language=language, user=request.user, upload=upload
        )
    except ImportFileError as refused:
        context["error"] = exchange.error_message(refused.code, refused.params)
        return render(request, "translations/import.html", context, status=422)
    return redirect("translation-import-detail", strategy.slug, job.pk)


def _job(strategy: Strategy, pk: int) -> TranslationImport:
    return get_object_or_404(
        TranslationImport.objects.filter(strategy=strategy).select_related("created_by"), pk=pk
    )


def _job_context(strategy: Strategy, job: TranslationImport, **extra: Any) -> dict[str, Any]:
    preview = job.preview or {}
    refused = [
        {**row, "message": exchange.REFUSALS.get(row["reason"], "")}
        for row in preview.get("refused", [])
    ]
    error = (
        exchange.error_message(preview["error"], preview.get("params"))
        if preview.get("error")
        else ""
    )
    return {
        "strategy": strategy,
        "job": job,
        "language": job.language,
        "language_name": LANGUAGE_NAMES[job.language],
        "changes": preview.get("changes", []),
        "refused": refused,
        "unchanged": preview.get("unchanged", 0),
        "error": error,
        **extra,
    }


@require_GET
@login_required
def translation_import_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    strategy = get_translatable_strategy(request.user, slug)
    job = _job(strategy, pk)
    return render_page(request, "translations/import_detail.html", _job_context(strategy, job), fragment="job")


@require_POST
@login_required
def translation_import_apply(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    strategy = get_translatable_strategy(request.user, slug)
    job = _job(strategy, pk)
    if strategy.status == Strategy.Status.ARCHIVED:
        return archived_refusal(request, strategy)
    result = services.import_apply(job=job, user=request.user)
    job.refresh_from_db()
    if result["applied"]:
        count = len(result["plan"]["changes"])
        messages.success(request, _("Saved %(count)s translations.") % {"count": count})
        return redirect(_overview_url(strategy, job.language, "todo"))
    return render(
        request, "translations/import_detail.html", _job_context(strategy, job), status=409
    )
