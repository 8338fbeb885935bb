"""Write sign-in events to the security log. Nothing else happens here."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY

from strategy.security import security_event


def log_login_success(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # Which backend accepted the person: a password or single sign-on.
    backend = request.session.get(BACKEND_SESSION_KEY, "") if request is not None else ""
    security_event("login.success", request=request, user=user, backend=backend.rpartition(".")[2])


def log_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username") or "")
    security_event("login.failed", request=request, username=username, level=logging.WARNING)


def log_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    security_event("logout", request=request, user=user)


def log_locked_out(sender: Any, request: Any, username: str, ip_address: str, **kwargs: Any) -> None:
    security_event(
        "login.locked_out", request=request, username=str(username or ""), level=logging.WARNING
    )
