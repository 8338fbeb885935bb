"""Creating and revoking personal API tokens."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from .models import VISIBLE_CHARS, ApiToken, token_hash

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def api_token_create(
    *, user: AbstractBaseUser, name: str, valid_days: int | None
) -> tuple[ApiToken, str]:
    """A new token of ``user`` and its secret. The secret is not stored (only
    its SHA-256): the caller shows it once and forgets it."""
    secret = ApiToken.new_secret()
    expires_at = timezone.now() + datetime.timedelta(days=valid_days) if valid_days else None
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[:VISIBLE_CHARS],
        key_hash=token_hash(secret),
        expires_at=expires_at,
    )
    return token, secret


def api_token_revoke(*, token: ApiToken) -> None:
    """The token stops working at once; nothing of it is kept."""
    token.delete()
