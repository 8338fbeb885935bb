"""Response headers for signed-in people, and refusals in the security log.

``PrivateCacheMiddleware`` marks every response to a signed-in person
``Cache-Control: private, no-store``: pages, htmx fragments and downloads
(reports, exports) show what only that person may see, so neither a shared
proxy nor the browser's disk or back/forward cache may keep a copy (a library
computer after the session ended). Public static files never reach it:
WhiteNoise answers them earlier in the chain, with their long caching.

``AccessDeniedLogMiddleware`` writes ``access.denied`` to the security log
for every 403, and for every 404 a view answers a signed-in person. A 404
for an address that matched no view is a typo, not a refusal; a 404 from a
view is how Suunta refuses an object the person may not see (another unit's
draft plan), so that its existence is not revealed.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from strategy.security import security_event

PRIVATE_CACHE_CONTROL = "private, no-store"


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class PrivateCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Replaced, not merged: a view's own max-age must not let a private
        # page be kept.
        if _signed_in(request):
            response.headers["Cache-Control"] = PRIVATE_CACHE_CONTROL
        return response


class AccessDeniedLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        status = response.status_code
        match = getattr(request, "resolver_match", None)
        if status == 403 or (status == 404 and match is not None and _signed_in(request)):
            security_event(
                "access.denied",
                request=request,
                status=status,
                path=request.path,
                view=match.view_name if match is not None else "",
            )
        return response
