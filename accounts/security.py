"""The security event log: one structured line per event that an auditor asks about.

Sign-ins, failed sign-ins, lockouts, permission refusals, exports and report
downloads are written to the ``suunta.security`` logger as one JSON object
per line: who, what, when (UTC, ISO 8601), from where, and the event's own
fields. JSON escapes newlines and control characters in user data, so a
username such as ``"alice\\n{...}"`` cannot forge a second line.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

logger = logging.getLogger("suunta.security")


def client_address(request: HttpRequest | None) -> str:
    """The client's address as Django sees it (REMOTE_ADDR; a reverse proxy
    is trusted only through gunicorn's FORWARDED_ALLOW_IPS)."""
    if request is None:
        return ""
    return request.META.get("REMOTE_ADDR", "")


def security_event(
    event: str,
    *,
    request: HttpRequest | None = None,
    user: Any = None,
    username: str = "",
    level: int = logging.INFO,
    **fields: Any,
) -> dict[str, Any]:
    """Write one security event and return the record (tests read it back).

    ``event`` is a short dotted name such as ``"login.failed"``,
    ``"report.download"`` or ``"export.plan"``. ``user`` defaults to the
    request's user; ``username`` names a person who is not signed in (a
    failed sign-in).
    """
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        username = username or user.get_username()
        user_id: int | None = user.pk
    else:
        user_id = None
    record: dict[str, Any] = {
        "event": event,
        "at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "user_id": user_id,
        "username": username,
        "ip": client_address(request),
    }
    if request is not None:
        record["method"] = request.method
        record["path"] = request.path
    record.update(fields)
    logger.log(level, json.dumps(record, ensure_ascii=False, default=str, sort_keys=False))
    return record
