"""Signing a browser in without the login form, for tests about something else."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client


def sign_in_context(context: Any, username: str, base_url: str) -> None:
    """Give the browser ``context`` a session of ``username`` on ``base_url``.

    The session is made the way the login view makes it
    (``django.contrib.auth.login``, so the sign-in is logged as usual); the
    middleware then treats the browser like one that used the form, and still
    asks for a second factor where one is owed.
    """
    client = Client()
    client.force_login(
        get_user_model().objects.get(username=username),
        backend="django.contrib.auth.backends.ModelBackend",
    )
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])


def set_language(context: Any, base_url: str, language: str) -> None:
    """What the language form leaves behind: Django's language cookie."""
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}]
    )
