"""What one person may reach: their memberships, read once per request.

Every scoping queryset (``visible_to``, ``owned_by``, ``editable_by``…) and
every permission check asks the person's ``Access``: the memberships in
organisations still in use, with each organisation's materialised path, read
in one query the first time a request needs them. Within a request the same
object answers again without a query; outside a request (a worker task, a
management command, a test calling a queryset directly) each call reads the
memberships afresh, so nothing stale is ever kept between requests.

A membership reaches its organisation and everything below it; a role in a
city reaches the city's sectors and units.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.core.signals import request_finished, request_started
from django.db.models import Q
from django.db.models.signals import post_delete, post_save

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from strategy.models import Membership, Organisation

# The access objects of the request being served, by user id; None outside requests.
_request_cache: ContextVar[dict[int, Access] | None] = ContextVar("suunta_access", default=None)


@dataclass
class Access:
    """One person's reach. Build it with ``access_for(user)``."""

    user: Any

    @property
    def is_authenticated(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False))

    @property
    def is_superuser(self) -> bool:
        return self.is_authenticated and bool(getattr(self.user, "is_superuser", False))

    @cached_property
    def memberships(self) -> list[Membership]:
        """The person's memberships in organisations still in use, by organisation path."""
        from strategy.models import Membership

        if not self.is_authenticated:
            return []
        return list(
            Membership.objects.filter(user=self.user, organisation__is_active=True)
            .select_related("organisation")
            .order_by("organisation__path", "role")
        )

    def roles(self) -> set[str]:
        return {membership.role for membership in self.memberships}

    def has_role(self, *roles: str) -> bool:
        """Whether the person holds any of ``roles`` anywhere."""
        return any(membership.role in roles for membership in self.memberships)

    def paths(self, roles: Iterable[str] | None = None) -> list[str]:
        """Paths of the organisations where the person holds one of ``roles`` (all roles if None)."""
        wanted = None if roles is None else set(roles)
        return sorted(
            {m.organisation.path for m in self.memberships if wanted is None or m.role in wanted}
        )

    def organisations(self, roles: Iterable[str] | None = None) -> list[Organisation]:
        """The organisations themselves where the person holds one of ``roles``."""
        wanted = None if roles is None else set(roles)
        seen: dict[int, Organisation] = {}
        for membership in self.memberships:
            if wanted is None or membership.role in wanted:
                seen.setdefault(membership.organisation_id, membership.organisation)
        return list(seen.values())

    def q(self, field: str, roles: Iterable[str] | None = None) -> Q:
        """A Q matching rows whose organisation path ``field`` (e.g. ``"unit__path"``)
        lies at or under one of the person's memberships with one of ``roles``."""
        query = Q(pk__in=[])
        for path in self.paths(roles):
            query |= Q(**{f"{field}__startswith": path})
        return query

    def ancestor_ids(self) -> set[int]:
        """Primary keys of the organisations at and above each membership."""
        return {
            int(part)
            for membership in self.memberships
            for part in membership.organisation.path.split("/")
            if part
        }

    def reaches(self, organisation: Organisation, roles: Iterable[str] | None = None) -> bool:
        """Whether a membership with one of ``roles`` lies at or above ``organisation``."""
        if self.is_superuser:
            return True
        return any(organisation.path.startswith(path) for path in self.paths(roles))


def access_for(user: AbstractBaseUser | AnonymousUser | Any) -> Access:
    """The person's ``Access``: one per request, a fresh one outside requests."""
    cache = _request_cache.get()
    key = getattr(user, "pk", None)
    if cache is None or key is None:
        return Access(user)
    access = cache.get(key)
    if access is None:
        access = cache[key] = Access(user)
    return access


def _start_request(**_: object) -> None:
    _request_cache.set({})


def _finish_request(**_: object) -> None:
    _request_cache.set(None)


def _forget(**_: object) -> None:
    """Memberships or organisations changed during the request: read them again."""
    cache = _request_cache.get()
    if cache:
        cache.clear()


def connect_signals() -> None:
    from strategy.models import Membership, Organisation

    request_started.connect(_start_request, dispatch_uid="suunta-access-start")
    request_finished.connect(_finish_request, dispatch_uid="suunta-access-finish")
    for model in (Membership, Organisation):
        post_save.connect(_forget, sender=model, dispatch_uid=f"suunta-access-save-{model.__name__}")
        post_delete.connect(_forget, sender=model, dispatch_uid=f"suunta-access-delete-{model.__name__}")
