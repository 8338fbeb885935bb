from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# --- single sign-on (OpenID Connect) ---


class ExternalIdentity(models.Model):
    """A person as an OpenID Connect provider knows them: the issuer and the
    ``sub`` claim, which the provider promises never to reassign.

    Stored on first sign-in so that later sign-ins find the person even after
    their email address has changed at the provider.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="external_identities",
    )
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(_("first signed in"), auto_now_add=True)
    last_login = models.DateTimeField(_("last signed in"), null=True, blank=True)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="external_identity_unique_subject"
            ),
            # One account per person and provider: a second subject for the
            # same account would be a different person at the provider.
            models.UniqueConstraint(
                fields=["user", "issuer"], name="external_identity_one_per_issuer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.issuer}"


class OidcGrant(models.Model):
    """Marks a Membership that single sign-on gave, from the person's groups.

    Only these are taken away when the groups no longer give the role;
    memberships that someone added by hand have no grant and are never touched.
    """

    membership = models.OneToOneField(
        "strategy.Membership",
        verbose_name=_("membership"),
        on_delete=models.CASCADE,
        related_name="oidc_grant",
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role from single sign-on")
        verbose_name_plural = _("roles from single sign-on")

    def __str__(self) -> str:
        return str(self.membership)
