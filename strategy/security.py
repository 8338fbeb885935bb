"""The security event log: one structured line per event that an auditor asks about.

Sign-ins, failed sign-ins, lockouts, permission refusals, exports and report
downloads are written to the ``suunta.security`` logger as one JSON object
per line: who, what, when (UTC, ISO 8601), from where, and the event's own
fields. JSON escapes newlines and control characters in user data, so a
username such as ``"alice\\n{...}"`` cannot forge a second line.
"""

from __future__ import annotations

import ipaddress
import json
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    from django.http import HttpRequest

logger = logging.getLogger("suunta.security")


def client_address(request: HttpRequest | None) -> str:
    """The client's address: REMOTE_ADDR, or behind ``SUUNTA_PROXY_HOPS``
    reverse proxies the address the outermost of them saw.

    gunicorn never rewrites REMOTE_ADDR from X-Forwarded-For (its
    FORWARDED_ALLOW_IPS only concerns the scheme), so behind a proxy every
    request would come from the proxy's address. Each proxy appends the
    address it saw to X-Forwarded-For; counting ``hops`` entries from the
    right skips only what our own proxies wrote, so a client cannot choose
    its address by sending the header itself. Sign-in throttling
    (AXES_CLIENT_IP_CALLABLE) and this log use this one answer.
    """
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "")
    hops = getattr(settings, "SUUNTA_PROXY_HOPS", 0)
    if hops > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops:
            try:
                return str(ipaddress.ip_address(forwarded[-hops]))
            except ValueError:
                pass
    return remote


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
