"""Rendered fragments cached by the version of what they show.

The long lists (the roadmap's actions, the indicator list's rows) cost tens
of milliseconds to render at city scale, yet most readers see the same
slice of unchanged data. A template wraps such a region in Django's
``{% cache FRAGMENT_SECONDS name fragment_key %}``; the view computes
``fragment_key`` from what the region shows: the strategy's content stamp
(``ContentStamp``, replaced by database triggers on any change to the working
copy), a stamp of the organisations (their names are shown), whatever else
the page adds (indicator values, a person's reach), the filters and page,
and the language. A change gives a new key, so nothing is ever deleted from
the cache and nothing stale is read; the timeout only bounds how long an
unused entry takes room.

The view reads the stamps before the region's data, in one query: content
that changed in between is then stored under the older key, which no later
reader asks for.

Long tables whose rows change one at a time (the plan page) cache each row
instead (``cached_rows``); forms in a cached row get the reader's CSRF token
when the page is put together (``with_csrf``).

The caches are ``template_fragments`` and ``fragment_rows`` (settings): in
the process's memory, so that a test's ``clear()`` never reaches a shared
server.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from .access import access_for
from .models import ContentStamp, DataStamp, Organisation, Strategy

FRAGMENT_SECONDS = 600

# Where a cached row's forms take the reader's CSRF token (``with_csrf``).
CSRF_SLOT = "csrf-token-slot"

# A part of a stamp: a query of one row, and its parameters.
StampPart = tuple[str, list[Any]]


def rows_stamp(table: str) -> StampPart:
    """A part that changes whenever a row of ``table`` is added, removed or
    saved through a path that raises its ``version``: the count, the highest
    id and the sum of versions. Plain SQL: the stamp is read on every
    request, and building the same query through the ORM costs more than
    running it."""
    return f"SELECT COUNT(*), MAX(id), SUM(version) FROM {table}", []


def history_stamp(*models: Any) -> StampPart:
    """A part that changes whenever a row of any of ``models`` (each keeping a
    django-simple-history history) is added, saved or deleted, in the whole
    table: the highest id of the table and of its history, both read off the
    primary key's index. Cheaper than ``rows_stamp`` on big tables; a change
    anywhere in the table renews every key built with it."""
    columns = []
    for model in models:
        columns.append(f"(SELECT MAX(id) FROM {model._meta.db_table})")
        columns.append(f"(SELECT MAX(history_id) FROM {model.history.model._meta.db_table})")
    return "SELECT " + ", ".join(columns), []


def data_stamp(name: str) -> StampPart:
    """A part that changes whenever a row of the tables of the data stamp
    ``name`` changes (``DataStamp``; its triggers are in the migration of
    the group, e.g. ``maturity`` for every maturity table)."""
    return f"SELECT (SELECT value FROM {DataStamp._meta.db_table} WHERE name = %s)", [name]


def stamp_for(strategy: Strategy, *parts: StampPart) -> str:
    """The strategy's content stamp, a stamp of the organisations and
    ``parts``, read in one query."""
    return stamp_of([strategy.pk], *parts)


def stamp_of(strategy_ids: Sequence[int], *parts: StampPart) -> str:
    """The content stamps of the strategies, a stamp of the organisations
    and ``parts``, read in one query (what a region drawn from several
    strategies, such as search results, is keyed by)."""
    return "-".join(stamp_parts(strategy_ids, *parts))


def stamp_parts(strategy_ids: Sequence[int], *parts: StampPart) -> list[str]:
    """``stamp_of`` part by part, read in the same one query: the strategies'
    stamp, the organisations' and one for each of ``parts``, so that regions
    keyed by different parts of it need not read it twice."""
    stamps = ", ".join(
        f"(SELECT value FROM {ContentStamp._meta.db_table} WHERE strategy_id = %s)" for _pk in strategy_ids
    )
    queries = [
        (f"SELECT {stamps or 'NULL'}", list(strategy_ids)),
        rows_stamp(Organisation._meta.db_table),
        *parts,
    ]
    # Each part's columns, then a marker column that ends them.
    columns = ", ".join(f"part{number}.*, NULL AS end_of_part" for number in range(len(queries)))
    sources = ", ".join(f"({query}) part{number}" for number, (query, _) in enumerate(queries))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {sources}", [param for _, params in queries for param in params])
        row = cursor.fetchone()
        names = [column[0] for column in cursor.description]
    stamps_by_part: list[str] = []
    values: list[str] = []
    for name, value in zip(names, row, strict=True):
        if name == "end_of_part":
            stamps_by_part.append("-".join(values))
            values = []
        else:
            values.append(str(value))
    return stamps_by_part


def fragment_key(*parts: object) -> str:
    """A key for ``{% cache %}`` from what a fragment shows, with the language."""
    text = "|".join(str(part) for part in (translation.get_language(), *parts))
    return hashlib.sha256(text.encode()).hexdigest()


def cached[T](key: str, compute: Callable[[], T], *, cache: str = "template_fragments") -> T:
    """The value kept in the fragment cache (or the named ``cache``) under
    ``key``, computed and kept there first if it is not (a region, or several
    values a view needs)."""
    fragments = caches[cache]
    value = fragments.get(key)
    if value is None:
        value = compute()
        fragments.set(key, value, FRAGMENT_SECONDS)
    return value


def reach_key(memberships: Iterable[Any]) -> str:
    """What a person may see, for a fragment that depends on it: their
    memberships (organisation and role)."""
    return ",".join(sorted(f"{m.organisation_id}:{m.role}" for m in memberships))


def reader_key(user: Any) -> str:
    """Everything a person's reach is, for a fragment that shows what they
    may see or do: whether they are a superuser, and their memberships."""
    access = access_for(user)
    return f"{access.is_superuser}|{reach_key(access.memberships)}"


def cached_rows[T](rows: Sequence[T], *, key: Callable[[T], Sequence[object]], render: Callable[[T], str]) -> list[str]:
    """The HTML of each of ``rows``: from the ``fragment_rows`` cache by
    ``key(row)`` (what the row shows), else ``render(row)``, which is then
    stored. A list where one row changed renders that row only."""
    cache = caches["fragment_rows"]
    keyed = {fragment_key("row", *key(row)): row for row in rows}
    found = cache.get_many(list(keyed))
    missing = {name: render(row) for name, row in keyed.items() if name not in found}
    if missing:
        cache.set_many(missing, FRAGMENT_SECONDS)
    return [found[name] if name in found else missing[name] for name in keyed]


def with_csrf(html: str, request: HttpRequest) -> SafeString:
    """Rendered HTML (already escaped) whose forms were rendered with
    ``csrf_token`` set to ``CSRF_SLOT``, with the reader's own token in its
    place: the cached rows are the same for everyone who may do the same."""
    return mark_safe(html.replace(CSRF_SLOT, get_token(request)))
