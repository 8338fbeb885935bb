"""Any change to an organisation renews the strategies' content stamps, not
only a new name: a unit moved under another service area, dissolved, given
another slug, kind or short name changes what the overview, the roadmap, the
heat map and the indicator list show. The organisation pages of Suunta raise
the organisation's ``version`` (which the fragment keys also read), but a
repair in Django's admin or a queryset update does not; the trigger covers
every way. Setting the path of a new organisation (an update right after its
insert, from an empty path) changes nothing that is shown and renews nothing.
"""

from django.db import migrations

STAMPS = "strategy_contentstamp"
TABLE = "strategy_organisation"
SQLITE_NEW = "lower(hex(randomblob(16)))"
POSTGRES_NEW = "md5(random()::text || clock_timestamp()::text)"

NAMES = ["name", "name_fi", "name_sv", "name_en"]
SHOWN = [*NAMES, "short_name", "short_name_fi", "short_name_sv", "short_name_en", "slug", "kind", "parent_id", "is_active", "dissolved_on"]


def _changed(columns: list[str], differs: str) -> str:
    return " OR ".join(f"OLD.{column} {differs} NEW.{column}" for column in columns)


def _create(schema_editor, columns: list[str], path_too: bool) -> None:  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    differs = "IS NOT" if vendor == "sqlite" else "IS DISTINCT FROM"
    changed = _changed(columns, differs)
    if path_too:
        changed += f" OR (OLD.path <> '' AND OLD.path {differs} NEW.path)"
    if vendor == "sqlite":
        statements = [
            f"DROP TRIGGER IF EXISTS {TABLE}_names_stamp",
            f"CREATE TRIGGER {TABLE}_names_stamp AFTER UPDATE ON {TABLE} FOR EACH ROW WHEN ({changed}) "
            f"BEGIN UPDATE {STAMPS} SET value = {SQLITE_NEW}; END",
        ]
    elif vendor == "postgresql":
        statements = [
            f"DROP TRIGGER IF EXISTS {TABLE}_names_stamp ON {TABLE}",
            f"""CREATE OR REPLACE FUNCTION {TABLE}_names_stamp_fn() RETURNS trigger AS $$
            BEGIN
                UPDATE {STAMPS} SET value = {POSTGRES_NEW};
                RETURN NULL;
            END;
            $$ LANGUAGE plpgsql""",
            f"""CREATE TRIGGER {TABLE}_names_stamp AFTER UPDATE ON {TABLE}
            FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {TABLE}_names_stamp_fn()""",
        ]
    else:
        raise NotImplementedError(f"Content stamps need triggers on {vendor}")
    for sql in statements:
        schema_editor.execute(sql, params=None)


def every_change(apps, schema_editor):  # type: ignore[no-untyped-def]
    _create(schema_editor, SHOWN, path_too=True)


def names_only(apps, schema_editor):  # type: ignore[no-untyped-def]
    _create(schema_editor, NAMES, path_too=False)


class Migration(migrations.Migration):
    dependencies = [
        ("strategy", "0012_sortable_paths"),
    ]

    operations = [
        migrations.RunPython(every_change, names_only),
    ]
