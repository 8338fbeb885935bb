"""Approval, versions, archiving and restoring of a strategy (owners only).

Every view fetches the strategy through ``Strategy.objects.owned_by``: anyone
else gets 404, whatever the method. POSTs redirect plain requests and send
htmx ones to the same place with ``HX-Redirect``; a refused form comes back
with 422 (invalid) or 409 (the strategy moved on, or cannot be changed now),
like the editor's.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import reswap, retarget

from strategy.htmx import redirect_page, render_page, wants_fragment

from .. import versions
from ..models import Strategy, StrategyVersion
from ..security import security_event

LANGUAGE_NAMES: dict[str, Any] = dict(settings.LANGUAGES)


def get_owned_strategy(request: HttpRequest, slug: str) -> Strategy:
    """The strategy if the user owns it; 404 otherwise (as in the editor)."""
    return get_object_or_404(Strategy.objects.owned_by(request.user).select_related("organisation"), slug=slug)


def _done(request: HttpRequest, url: str) -> HttpResponse:
    return redirect_page(request, url)


# Archived strategies are read-only ----------------------------------------------------------


def archived_refusal(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    """409 with the reason: an archived strategy is read-only until restored."""
    template = "strategy/versions/archived.html"
    context = {"strategy": strategy}
    if wants_fragment(request):
        response = render(request, f"{template}#refusal", context, status=409)
        return reswap(retarget(response, "#main"), "innerHTML")  # type: ignore[arg-type]
    return render(request, template, context, status=409)


def refuse_while_archived(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse every POST of an editor view while the strategy is archived.

    Non-owners still get the editor's 404: the strategy is fetched through
    ``owned_by`` before its status says anything."""

    @wraps(view)
    def wrapped(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            strategy = get_owned_strategy(request, slug)
            if strategy.status == Strategy.Status.ARCHIVED:
                return archived_refusal(request, strategy)
        return view(request, slug, *args, **kwargs)

    return wrapped


# Versions and changes -----------------------------------------------------------------


@require_GET
@login_required
def version_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Every approved version, newest first, and whether the working copy has changed since."""
    strategy = get_owned_strategy(request, slug)
    rows = list(
        StrategyVersion.objects.filter(strategy=strategy)
        .select_related("created_by")
        .defer("snapshot")
        .order_by("-number")
    )
    latest = versions.latest_version(strategy) if rows else None
    pending = latest is not None and versions.has_changes_since(latest, versions.strategy_snapshot(strategy))
    context = {"strategy": strategy, "versions": rows, "latest": latest, "pending": pending}
    template = "strategy/versions/version_list.html"
    return render_page(request, template, context, fragment="version-table")


@require_GET
@login_required
def version_changes(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """What changed since version ``number`` (in the working copy), or with
    ``?previous=1`` what version ``number`` changed from the one before."""
    strategy = get_owned_strategy(request, slug)
    version = get_object_or_404(StrategyVersion.objects.filter(strategy=strategy), number=number)
    against_previous = request.GET.get("previous") == "1"
    if against_previous:
        previous = StrategyVersion.objects.filter(strategy=strategy, number__lt=number).order_by("-number").first()
        old = previous.snapshot if previous is not None else versions.EMPTY_SNAPSHOT
        new = version.snapshot
    else:
        previous = None
        old, new = version.snapshot, versions.strategy_snapshot(strategy)
    groups = versions.describe_changes(versions.snapshot_diff(old, new), old, new)
    context = {
        "strategy": strategy,
        "version": version,
        "previous": previous,
        "against_previous": against_previous,
        "groups": groups,
    }
    template = "strategy/versions/changes.html"
    return render_page(request, template, context, fragment="changes")


# Approving ------------------------------------------------------------------------------


class ApproveForm(forms.Form):
    """The decision that approves the working copy: date, body (per language,
    the main language required), reference and an optional note."""

    # A date input reads and writes ISO dates, whatever the page's language.
    approved_on = forms.DateField(
        label=gettext_lazy("Approved on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    decision_reference = forms.CharField(
        label=gettext_lazy("Decision reference"),
        max_length=100,
        help_text=gettext_lazy("For example “14.6.2022 § 57”."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Optional: what this version changes, in a sentence or two."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    content = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        main = strategy.main_language or "fi"
        languages = [main, *[code for code in versions.LANGUAGES if code != main]]
        bodies = {}
        for code in languages:
            bodies[f"decision_body_{code}"] = forms.CharField(
                label=_("Approved by (%(language)s)") % {"language": LANGUAGE_NAMES.get(code, code)},
                max_length=200,
                required=code == main,
                help_text=_("For example “Kaupunginvaltuusto”.") if code == main else "",
                widget=forms.TextInput(attrs={"lang": code}),
            )
        # The body goes right after the date, as the minutes say it.
        fields = list(self.fields.items())
        self.fields = dict([fields[0], *bodies.items(), *fields[1:]])

    def decision_body(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"decision_body_{code}", "").strip() for code in versions.LANGUAGES}


def _approve_context(strategy: Strategy, form: ApproveForm, live: dict[str, Any], **extra: Any) -> dict[str, Any]:
    latest = versions.latest_version(strategy)
    old = latest.snapshot if latest is not None else versions.EMPTY_SNAPSHOT
    groups = versions.describe_changes(versions.snapshot_diff(old, live), old, live)
    return {"strategy": strategy, "form": form, "latest": latest, "groups": groups, **extra}


def _approve_page(
    request: HttpRequest, strategy: Strategy, form: ApproveForm, live: dict[str, Any], *, status: int = 200, **extra: Any
) -> HttpResponse:
    template = "strategy/versions/approve.html"
    return render_page(request, template, _approve_context(strategy, form, live, **extra), status=status, fragment="approve-form")


def _fresh_form(strategy: Strategy, live: dict[str, Any], data: Any = None) -> ApproveForm:
    """The approval form for the strategy as it is now: the user's entries
    (if any) on top of the current version and content fingerprint."""
    initial = {
        "approved_on": versions.today(),
        "version": strategy.version,
        "content": versions.content_sha256(live),
        **{f"decision_body_{code}": getattr(strategy, f"decision_body_{code}") or "" for code in versions.LANGUAGES},
    }
    if data is None:
        return ApproveForm(initial=initial, strategy=strategy)
    data = data.copy()
    data["version"], data["content"] = str(initial["version"]), initial["content"]
    form = ApproveForm(data, strategy=strategy)
    form.is_valid()
    return form


@require_http_methods(["GET", "POST"])
@login_required
def strategy_approve(request: HttpRequest, slug: str) -> HttpResponse:
    """Approve the working copy as the next version, showing what it changes."""
    strategy = get_owned_strategy(request, slug)
    if strategy.status == Strategy.Status.ARCHIVED:
        return archived_refusal(request, strategy)
    live = versions.strategy_snapshot(strategy)
    if request.method == "GET":
        return _approve_page(request, strategy, _fresh_form(strategy, live), live)
    form = ApproveForm(request.POST, strategy=strategy)
    if not form.is_valid():
        return _approve_page(request, strategy, form, live, status=422)
    try:
        version = versions.strategy_approve(
            strategy=strategy,
            user=request.user,
            expected_version=form.cleaned_data["version"],
            expected_content=form.cleaned_data["content"],
            approved_on=form.cleaned_data["approved_on"],
            decision_body=form.decision_body(),
            decision_reference=form.cleaned_data["decision_reference"].strip(),
            note=form.cleaned_data["note"].strip(),
        )
    except versions.LifecycleError as error:
        strategy.refresh_from_db()
        live = versions.strategy_snapshot(strategy)
        return _approve_page(
            request, strategy, _fresh_form(strategy, live, request.POST), live, status=409, error=error.message
        )
    security_event("strategy.approved", request=request, strategy=strategy.slug, version=version.number)
    messages.success(request, _("Approved: version %(number)s is now frozen.") % {"number": version.number})
    return _done(request, reverse("strategy-detail", args=[strategy.slug]))


# Archiving and restoring ------------------------------------------------------------------


class LifecycleForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def _lifecycle_view(request: HttpRequest, slug: str, *, archive: bool) -> HttpResponse:
    strategy = get_owned_strategy(request, slug)
    status = 200
    error = ""
    if request.method == "POST":
        form = LifecycleForm(request.POST)
        if form.is_valid():
            action = versions.strategy_archive if archive else versions.strategy_restore
            try:
                action(strategy=strategy, user=request.user, expected_version=form.cleaned_data["version"])
            except versions.LifecycleError as refused:
                error, status = refused.message, 409
                strategy.refresh_from_db()
            else:
                latest = versions.latest_version(strategy)
                security_event(
                    "strategy.archived" if archive else "strategy.restored",
                    request=request,
                    strategy=strategy.slug,
                    version=latest.number if latest is not None else None,
                )
                if archive:
                    messages.success(request, _("Archived: the strategy is kept, read-only."))
                else:
                    messages.success(request, _("Restored: the strategy is approved again."))
                return _done(request, reverse("strategy-detail", args=[strategy.slug]))
        else:
            error, status = _("The form is out of date: open it again."), 422
    form = LifecycleForm(initial={"version": strategy.version})
    allowed = strategy.status == (Strategy.Status.APPROVED if archive else Strategy.Status.ARCHIVED)
    if not allowed and not error:
        error = _("The strategy is %(status)s: this cannot be done now.") % {
            "status": strategy.get_status_display().lower()
        }
    context = {
        "strategy": strategy,
        "form": form,
        "archive": archive,
        "allowed": allowed,
        "error": error,
        "heading": capfirst(_("archive the strategy") if archive else _("restore the strategy")),
    }
    template = "strategy/versions/lifecycle.html"
    return render_page(request, template, context, status=status, fragment="lifecycle-form")


@require_http_methods(["GET", "POST"])
@login_required
def strategy_archive(request: HttpRequest, slug: str) -> HttpResponse:
    """Archive an approved strategy (asks first): read-only, no new plans."""
    return _lifecycle_view(request, slug, archive=True)


@require_http_methods(["GET", "POST"])
@login_required
def strategy_restore(request: HttpRequest, slug: str) -> HttpResponse:
    """Bring an archived strategy back to approved (asks first)."""
    return _lifecycle_view(request, slug, archive=False)
