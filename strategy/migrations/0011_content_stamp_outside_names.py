"""The content stamp also changes when a name that a strategy's pages show
from outside the strategy changes: an organisation's name (the units
responsible for actions) renews every strategy's stamp, and a goal's title
renews the stamps of the strategies whose goals contribute to it. Cached
fragments of the overview are keyed by the stamp, so they show the new name.
"""

from django.db import migrations

STAMPS = "strategy_contentstamp"
SQLITE_NEW = "lower(hex(randomblob(16)))"
POSTGRES_NEW = "md5(random()::text || clock_timestamp()::text)"

# table: (the name columns, which strategies' stamps to renew; "{new}" is the random value)
NAMES: dict[str, tuple[list[str], str]] = {
    "strategy_organisation": (
        ["name", "name_fi", "name_sv", "name_en"],
        "UPDATE {stamps} SET value = {new}",
    ),
    "strategy_goal": (
        ["title", "title_fi", "title_sv", "title_en"],
        "UPDATE {stamps} SET value = {new} WHERE strategy_id IN "
        "(SELECT strategy_id FROM strategy_goal WHERE contributes_to_id = NEW.id)",
    ),
}


def create_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    for table, (columns, update) in NAMES.items():
        if vendor == "sqlite":
            changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
            statements = [
                f"CREATE TRIGGER {table}_names_stamp AFTER UPDATE ON {table} FOR EACH ROW WHEN ({changed}) "
                f"BEGIN {update.format(stamps=STAMPS, new=SQLITE_NEW)}; END"
            ]
        elif vendor == "postgresql":
            changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)
            statements = [
                f"""CREATE OR REPLACE FUNCTION {table}_names_stamp_fn() RETURNS trigger AS $$
                BEGIN
                    {update.format(stamps=STAMPS, new=POSTGRES_NEW)};
                    RETURN NULL;
                END;
                $$ LANGUAGE plpgsql""",
                f"""CREATE TRIGGER {table}_names_stamp AFTER UPDATE ON {table}
                FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {table}_names_stamp_fn()""",
            ]
        else:
            raise NotImplementedError(f"Content stamps need triggers on {vendor}")
        for sql in statements:
            schema_editor.execute(sql, params=None)


def drop_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    for table in NAMES:
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_names_stamp", params=None)
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_names_stamp ON {table}", params=None)
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_names_stamp_fn()", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("strategy", "0010_content_stamp"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers),
    ]
