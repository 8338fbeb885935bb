"""GIN indexes for PostgreSQL's full-text search (other databases search
without them): one per searched kind, on the expression the search matches.

The expression comes from ``search.services.pg_document``, so that index and
query cannot drift apart; ``tests/search/test_search_indexes.py`` checks on
PostgreSQL that the planner uses them. When ``pg_document`` changes, that test
fails until a new migration drops these indexes (``DROP INDEX IF EXISTS``) and
builds them again.
"""

from django.db import migrations


def _indexes(apps):  # type: ignore[no-untyped-def]
    from search.services import pg_search_indexes

    for kind, index in pg_search_indexes():
        model = kind.model
        yield apps.get_model(model._meta.app_label, model._meta.model_name), index


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.add_index(model, index)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [
        ("strategy", "0013_organisation_changes_renew_stamps"),
        ("indicators", "0006_qualitative_scales_links_and_versions"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
