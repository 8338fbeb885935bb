"""Session lifetime and the second factor, enforced on every request.

``SessionTimeoutMiddleware`` signs a person out after
``SUUNTA_SESSION_IDLE_MINUTES`` without a request and, however active they
are, ``SUUNTA_SESSION_MAX_HOURS`` after their first request of the session.
``SecondFactorMiddleware`` keeps a person who still owes a one-time code (see
``accounts.second_factor``) on the code or setup page.

Both answer htmx requests with ``HX-Redirect``, so that the browser leaves
the page instead of swapping a login form into a fragment.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import ngettext
from django_htmx.http import HttpResponseClientRedirect

from strategy.security import security_event

from .second_factor import Pending, pending_second_factor

LAST_ACTIVITY_KEY = "suunta_last_activity"
STARTED_KEY = "suunta_session_started"
# Seconds between two writes of the last activity: a session is saved at most
# once a minute instead of on every request (the idle limit is in minutes).
ACTIVITY_WRITE_INTERVAL = 60


def now() -> float:
    """The clock the session limits are measured with (tests replace it)."""
    return time.time()


def _leave_to(request: HttpRequest, url: str) -> HttpResponse:
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _with_next(url: str, request: HttpRequest) -> str:
    # Only GET pages are worth coming back to; a POST would be lost anyway.
    if request.method != "GET" or getattr(request, "htmx", False):
        return url
    return f"{url}?{urlencode({'next': request.get_full_path()})}"


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            expired = self._expired(request)
            if expired:
                return expired
        return self.get_response(request)

    def _expired(self, request: HttpRequest) -> HttpResponse | None:
        session = request.session
        current = now()
        idle_limit = settings.SUUNTA_SESSION_IDLE_MINUTES * 60
        max_age = settings.SUUNTA_SESSION_MAX_HOURS * 3600
        last = session.get(LAST_ACTIVITY_KEY)
        started = session.get(STARTED_KEY)
        if last is not None and current - last > idle_limit:
            minutes = settings.SUUNTA_SESSION_IDLE_MINUTES
            message = ngettext(
                "You were signed out after %(minutes)d minute of inactivity. Please sign in again.",
                "You were signed out after %(minutes)d minutes of inactivity. Please sign in again.",
                minutes,
            ) % {"minutes": minutes}
            return self._end(request, "idle", message)
        if started is not None and current - started > max_age:
            hours = settings.SUUNTA_SESSION_MAX_HOURS
            message = ngettext(
                "Your session ended %(hours)d hour after signing in. Please sign in again.",
                "Your session ended %(hours)d hours after signing in. Please sign in again.",
                hours,
            ) % {"hours": hours}
            return self._end(request, "max_age", message)
        if last is None or current - last >= ACTIVITY_WRITE_INTERVAL:
            session[LAST_ACTIVITY_KEY] = current
        if started is None:
            session[STARTED_KEY] = current
        return None

    def _end(self, request: HttpRequest, reason: str, message: str) -> HttpResponse:
        security_event("session.expired", request=request, reason=reason)
        logout(request)
        messages.info(request, message)
        return _leave_to(request, _with_next(reverse(settings.LOGIN_URL), request))


# Pages a person who owes a code may still open: the code and setup pages,
# signing out and the language switcher.
OPEN_WHILE_PENDING = {
    "totp-verify",
    "account-security",
    "totp-start",
    "totp-confirm",
    "logout",
    "set_language",
}


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is not None and match.url_name in OPEN_WHILE_PENDING and not match.namespace:
            return None
        pending = pending_second_factor(request)
        if pending is Pending.NOTHING:
            return None
        if pending is Pending.SETUP:
            # The security page says why (accounts.views.security).
            return _leave_to(request, reverse("account-security"))
        return _leave_to(request, _with_next(reverse("totp-verify"), request))
