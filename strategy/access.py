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

Every signed-in page reads the memberships, so they are read in plain SQL
(``_MembershipRead``): building the same query through the ORM cost ten
times as much as running it. The SQL is written once per database from the
models' fields, and the rows become the same objects the ORM would give (a
membership with its organisation), converted by the same converters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.core.signals import request_finished, request_started
from django.db import connections, router
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
        return _membership_read(router.db_for_read(Membership)).run(self.user.pk)

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


@dataclass(frozen=True)
class _MembershipRead:
    """The query of ``Access.memberships`` on one database, written once:
    ``Membership.objects.filter(user=…, organisation__is_active=True)
    .select_related("organisation").order_by("organisation__path", "role")``."""

    alias: str
    sql: str
    membership_fields: list[str]
    organisation_fields: list[str]
    # Per column: the converters the ORM would apply, and the column they take.
    converters: list[tuple[int, list[Callable[..., Any]], Any]]

    @classmethod
    def build(cls, alias: str) -> _MembershipRead:
        from strategy.models import Membership, Organisation

        connection = connections[alias]
        quote = connection.ops.quote_name
        membership, organisation = Membership._meta, Organisation._meta
        columns = [(membership.db_table, field) for field in membership.concrete_fields]
        columns += [(organisation.db_table, field) for field in organisation.concrete_fields]
        user_column = membership.get_field("user").column
        link_column = membership.get_field("organisation").column
        sql = (
            "SELECT "
            + ", ".join(f"{quote(table)}.{quote(field.column)}" for table, field in columns)
            + f" FROM {quote(membership.db_table)} INNER JOIN {quote(organisation.db_table)}"
            + f" ON {quote(membership.db_table)}.{quote(link_column)} = {quote(organisation.db_table)}.{quote(organisation.pk.column)}"
            + f" WHERE {quote(membership.db_table)}.{quote(user_column)} = %s"
            + f" AND {quote(organisation.db_table)}.{quote(organisation.get_field('is_active').column)} = %s"
            + f" ORDER BY {quote(organisation.db_table)}.{quote(organisation.get_field('path').column)},"
            + f" {quote(membership.db_table)}.{quote(membership.get_field('role').column)}"
        )
        converters = []
        for index, (table, field) in enumerate(columns):
            column = field.get_col(table)
            found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            if found:
                converters.append((index, found, column))
        return cls(
            alias=alias,
            sql=sql,
            membership_fields=[field.attname for field in membership.concrete_fields],
            organisation_fields=[field.attname for field in organisation.concrete_fields],
            converters=converters,
        )

    def run(self, user_id: int) -> list[Membership]:
        from strategy.models import Membership, Organisation

        connection = connections[self.alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [user_id, True])
            rows = cursor.fetchall()
        split = len(self.membership_fields)
        found = []
        for fetched in rows:
            row = list(fetched)
            for index, converters, column in self.converters:
                for converter in converters:
                    row[index] = converter(row[index], column, connection)
            membership = Membership.from_db(self.alias, self.membership_fields, row[:split])
            # Where select_related keeps the organisation: membership.organisation reads no more.
            membership._state.fields_cache["organisation"] = Organisation.from_db(
                self.alias, self.organisation_fields, row[split:]
            )
            found.append(membership)
        return found


_membership_reads: dict[str, _MembershipRead] = {}


def _membership_read(alias: str) -> _MembershipRead:
    read = _membership_reads.get(alias)
    if read is None:
        read = _membership_reads[alias] = _MembershipRead.build(alias)
    return read


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
        post_save.connect(
            _forget, sender=model, dispatch_uid=f"suunta-access-save-{model.__name__}"
        )
        post_delete.connect(
            _forget, sender=model, dispatch_uid=f"suunta-access-delete-{model.__name__}"
        )
