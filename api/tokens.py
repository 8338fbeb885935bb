"""The profile page's section for personal API tokens: create and revoke."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from strategy.htmx import wants_fragment
from strategy.security import security_event

from .forms import ApiTokenForm
from .models import ApiToken
from .services import api_token_create, api_token_revoke

TEMPLATE = "api/token_section.html"


def token_context(
    request: HttpRequest, form: ApiTokenForm | None = None, **extra: Any
) -> dict[str, Any]:
    """What the token section of the profile page shows."""
    return {
        "api_tokens": ApiToken.objects.filter(user=request.user),
        "api_token_form": form or ApiTokenForm(),
        "api_docs_url": reverse("api:docs"),
        **extra,
    }


def _section(request: HttpRequest, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    """The section alone for htmx; else the whole profile page around it."""
    if wants_fragment(request):
        return render(request, f"{TEMPLATE}#api-tokens", context, status=status)
    from strategy.views.profile import profile_page  # the page the section lives on

    return profile_page(request, extra=context, status=status)


@require_POST
@login_required
def api_token_create_view(request: HttpRequest) -> HttpResponse:
    """Create a token and show its secret once, in this answer only: it is
    not stored, so a redirect could not show it."""
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _section(request, token_context(request, form), status=422)
    token, secret = api_token_create(
        user=request.user,
        name=form.cleaned_data["name"],
        valid_days=form.cleaned_data["valid_days"],
    )
    security_event("api_token.created", request=request, token=token.pk, prefix=token.prefix)
    return _section(request, token_context(request, new_token=token, new_secret=secret))


@require_POST
@login_required
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=pk)
    security_event("api_token.revoked", request=request, token=token.pk, prefix=token.prefix)
    api_token_revoke(token=token)
    message = _("Token “%(name)s” revoked: it no longer works.") % {"name": token.name}
    if wants_fragment(request):
        return _section(request, token_context(request, announcement=message))
    messages.success(request, message)
    return redirect(reverse("profile") + "#api-tokens")
