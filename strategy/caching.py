"""Caching of public pages: shared caches may keep them for five minutes.

A newspaper's link can bring thousands of readers in an hour; every one of
them reads the same page. An anonymous answer is therefore marked
``Cache-Control: public, max-age=300`` and carries an ETag of its bytes, so
that a reader (or a proxy) asking again with ``If-None-Match`` gets a 304
without the page being sent. The ETag is of the rendered bytes rather than of
the data: it can never claim a page is unchanged when any figure on it
changed. The pages carry no CSRF token and no CSP nonce, so equal data gives
equal bytes.

Signed-in people keep ``private, no-store`` (``accounts.middleware_headers``
replaces the header): they may be reading on a shared computer.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)

PUBLIC_MAX_AGE = 300


def public_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or request.user.is_authenticated:
            return response
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        # The language comes from the cookie or from the browser's header;
        # an htmx request gets a fragment, which a cache must not hand to a page load.
        patch_vary_headers(response, ("Cookie", "Accept-Language", "HX-Request"))
        if not response.streaming and not response.has_header("ETag"):
            set_response_etag(response)
        conditional = get_conditional_response(
            request, etag=response.get("ETag"), response=response
        )
        return conditional if conditional is not None else response

    return wrapped
