"""Suunta's one htmx policy: how a view answers a page and its fragment.

Every page works without JavaScript; htmx only enhances it. So one view serves
both, and it picks what to send in one way only, ``render_page``:

- an ordinary request gets the whole template;
- an htmx request gets one named partial of the same template
  (``template#fragment``), chosen by the caller — or by the request's
  ``HX-Target`` from a small table when one view serves several regions;
- a history restore (the browser's Back button after a pushed URL; htmx keeps
  no history cache, see ``templates/base.html``) always gets the whole page;
- the answer carries ``Vary: HX-Request`` so that no cache mixes the two.

Status codes (htmx's ``responseHandling`` in ``templates/base.html`` swaps
these into the page instead of dropping them):

- 422 — the input was invalid; the form comes back with its messages;
- 409 — someone else saved first; the form comes back with both values;
- 429 — too many tries;
- 403 — the person sees the thing but may not do this; 404 — they may not see it.

``redirect_page`` is the same for "done, go there": a redirect, or
``HX-Redirect`` for htmx so that the browser leaves the fragment.

When an htmx request gets something else than a partial of the page's own
template (the studio answers a form page's htmx post with the editor's
region), the view asks ``wants_fragment(request)``: views never read
``request.htmx`` themselves (a test greps for it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect

INVALID = 422
CONFLICT = 409

Fragment = str | Mapping[str, str] | None


def wants_fragment(request: HttpRequest) -> bool:
    """An htmx request that swaps part of a page (not a history restore)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def template_for(request: HttpRequest, template: str, fragment: Fragment = None) -> str:
    """``template`` or ``template#fragment`` by the policy above.

    ``fragment`` is a partial's name, or a mapping from ``HX-Target`` ids to
    partial names (key ``"*"`` for any other target; no match means the page).
    """
    if fragment is None or not wants_fragment(request):
        return template
    if isinstance(fragment, Mapping):
        name = fragment.get(request.htmx.target or "", fragment.get("*"))  # type: ignore[attr-defined]
        return f"{template}#{name}" if name else template
    return f"{template}#{fragment}"


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    fragment: Fragment = None,
    status: int = 200,
) -> HttpResponse:
    """The page, or the fragment an htmx request asked for (see the module doc)."""
    response = render(request, template_for(request, template, fragment), context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


def redirect_page(request: HttpRequest, url: str) -> HttpResponse:
    """Go to ``url``: a plain redirect, or ``HX-Redirect`` for htmx."""
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)
