"""Personal API tokens: a person's scripts act with that person's roles."""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    import datetime

# Every token starts with this, so that a secret scanner (and a person) can
# tell a Suunta token from other strings.
TOKEN_PREFIX = "suunta_"
# Characters of the token kept in clear, so that the profile page can tell
# tokens apart without storing them.
VISIBLE_CHARS = len(TOKEN_PREFIX) + 6


def token_hash(secret: str) -> str:
    """The SHA-256 of a token. The secret is 256 random bits, so a plain
    (unsalted, fast) hash is enough: there is nothing to guess by brute force."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self, now: datetime.datetime | None = None) -> ApiTokenQuerySet:
        """Tokens that still authenticate: not expired, of an active person."""
        now = now or timezone.now()
        return self.filter(user__is_active=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the secret is shown
    once, when it is created. Revoking deletes the row."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("What the token is for, for example “weekly import”."),
    )
    prefix = models.CharField(_("beginning of the token"), max_length=20, editable=False)
    key_hash = models.CharField(
        _("SHA-256 of the token"), max_length=64, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @staticmethod
    def new_secret() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)
