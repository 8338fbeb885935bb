"""PostgreSQL finds matching texts from an index, not by reading every row's
texts at each search: the migration's GIN indexes are built on the very
expression the search matches (``search.services.pg_document``)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from search.services import KINDS, pg_search_indexes, text_match

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL"),
]


def test_every_kind_held_in_one_table_has_an_index() -> None:
    indexed = {kind.key for kind, _index in pg_search_indexes()}
    # Plan items take their title from their action: a join no index of one table holds.
    assert indexed == {kind.key for kind in KINDS} - {"plan-item"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'search\\_%%\\_gin'")
        existing = {name for (name,) in cursor.fetchall()}
    assert existing == {index.name for _kind, index in pg_search_indexes()}


@pytest.mark.parametrize("kind", [kind for kind, _index in pg_search_indexes()], ids=lambda kind: kind.key)
def test_the_search_can_use_its_index(kind) -> None:  # type: ignore[no-untyped-def]
    [index] = [index for indexed, index in pg_search_indexes() if indexed is kind]
    with transaction.atomic():
        # With reading every row made to look dear, an index the query's
        # expression matches is chosen; one that matches nothing cannot be.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = text_match(kind.model._default_manager.all(), kind, "kirjastot palvelut").explain()
    assert f"Bitmap Index Scan on {index.name}" in plan, plan
