"""Organisations (city → sector → service area → unit) and who belongs where."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from strategy.access import access_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def active(self) -> OrganisationQuerySet:
        return self.filter(is_active=True)

    def units(self) -> OrganisationQuerySet:
        return self.filter(kind=Organisation.Kind.UNIT)

    def below(self, organisation: Organisation) -> OrganisationQuerySet:
        """The organisation itself and everything under it (one query)."""
        return self.filter(path__startswith=organisation.path)


PATH_DIGITS = 10


def path_step(pk: int) -> str:
    """One organisation's step of a materialised path: its key, zero-padded."""
    return f"{pk:0{PATH_DIGITS}d}/"


class Organisation(models.Model):
    """A node of the organisation tree: a city, a sector, a service area or a unit.

    ``path`` is a materialised path of primary keys, each written with the
    same number of digits ("0000000001/0000000004/0000000009/", see
    ``path_step``), so that a subtree is one ``startswith`` query, the
    ancestors are read off the path without a query, and ordering by path
    lists the tree depth first with siblings in the order they were added
    (unpadded, unit 10 would sort before unit 9).
    """

    class Kind(models.TextChoices):
        CITY = "city", _("City")
        MUNICIPALITY = "municipality", _("Municipality")
        JOINT_AUTHORITY = "joint_authority", _("Joint municipal authority")
        STATE_AGENCY = "state_agency", _("State agency")
        SECTOR = "sector", _("Sector")
        SERVICE_AREA = "service_area", _("Service area")
        UNIT = "unit", _("Unit")
        ASSOCIATION = "association", _("Association or foundation")
        COMPANY = "company", _("Company")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick when the organisation is dissolved.")
    )
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    path = models.CharField(_("path"), max_length=255, editable=False, db_index=True, default="")
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        old_path = self.path
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        new_path = f"{self.parent.path if self.parent_id else ''}{path_step(self.pk)}"
        if new_path != old_path:
            Organisation.objects.filter(pk=self.pk).update(path=new_path)
            if old_path:
                # Moving a node moves its subtree with it.
                for child in Organisation.objects.filter(path__startswith=old_path).exclude(
                    pk=self.pk
                ):
                    child.path = new_path + child.path[len(old_path) :]
                    Organisation.objects.filter(pk=child.pk).update(path=child.path)
            self.path = new_path

    @property
    def ancestor_ids(self) -> list[int]:
        """Primary keys from the root down to and including this node."""
        return [int(part) for part in self.path.split("/") if part]

    @property
    def depth(self) -> int:
        return len(self.ancestor_ids) - 1


class Role(models.TextChoices):
    OWNER = "owner", _("Strategy owner")
    HEAD = "head", _("Unit head")
    STAFF = "staff", _("Staff member")
    VIEWER = "viewer", _("Viewer")
    TRANSLATOR = "translator", _("Translator")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def for_user(self, user: AbstractBaseUser | AnonymousUser) -> MembershipQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user, organisation__is_active=True)


class Membership(models.Model):
    """A user's role in an organisation node; it reaches every node below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    title = models.CharField(_("job title"), max_length=200, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"


def scope_q(
    user: AbstractBaseUser | AnonymousUser,
    field: str,
    roles: tuple[str, ...] | None = None,
) -> Q:
    """A Q that matches rows whose organisation ``field`` lies under one of the
    user's memberships (optionally only memberships with one of ``roles``).

    ``field`` names the path of the organisation, for example
    ``"unit__path"``. An anonymous user or a user without memberships matches
    nothing.
    """
    return access_for(user).q(field, roles)
