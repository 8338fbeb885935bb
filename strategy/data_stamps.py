"""The database triggers of the data stamps (``strategy.models.DataStamp``).

A data stamp is one value for a group of tables, such as ``maturity`` (every
maturity table) or ``plans`` (the annual plans and their items). Each table
of a group gets a trigger that writes a new random value into the group's
row in the same transaction as any change to the table, whatever made it (a
form, a queryset update, a bulk create, a cascade, a repair in the admin).
A region cached by the stamp (``strategy.fragments.data_stamp``) is
therefore never stale.

The triggers write the row even when it is missing (an upsert), so a
database emptied without deleting row by row (``TRUNCATE``, as a test flush
or a restore does) gets its stamp back with the next change. On PostgreSQL
they run when the writing transaction commits (``immediate`` makes them run
at once in a transaction that reads its own writes, as a test does).

The group migrations call ``create_triggers`` and ``drop_triggers``: keep
what they write the same, or write a new migration that replaces it.
"""

from __future__ import annotations

from typing import Any

STAMPS = "strategy_datastamp"
SQLITE_NEW = "lower(hex(randomblob(16)))"
POSTGRES_NEW = "md5(random()::text || clock_timestamp()::text)"
POSTGRES_FUNCTION = "suunta_data_stamp_fn"
SQLITE_EVENTS = ("insert", "update", "delete")


def trigger_name(table: str, part: str = "") -> str:
    """The trigger's name on PostgreSQL, and its prefix on SQLite (one per
    event); ``part`` tells apart the triggers of a second group on a table."""
    return f"{table}{part}_data_stamp"


def _changed_name(table: str, part: str) -> str:
    """The PostgreSQL trigger of the updates that change a watched column."""
    return trigger_name(table, f"{part}_changed")


def create_triggers(
    schema_editor: Any,
    group: str,
    tables: list[str],
    *,
    update_of: list[str] | None = None,
    changed: list[str] | None = None,
    part: str = "",
) -> None:
    """Triggers on ``tables`` that renew the stamp ``group`` (its row made
    unless it is there: a group may take several calls). With ``update_of``,
    an update renews it only when it writes one of those columns (a sign-in
    writes the person's last login, not their name); with ``changed``, only
    when it gives one of those columns another value (a model's ``save``
    writes every column, changed or not). ``part`` names the triggers of a
    group on a table that already has another group's (``trigger_name``)."""
    vendor = schema_editor.connection.vendor
    columns = f" OF {', '.join(update_of)}" if update_of else ""
    if vendor == "sqlite":
        renew = (
            f"INSERT INTO {STAMPS} (name, value) VALUES ('{group}', {SQLITE_NEW}) "
            f"ON CONFLICT (name) DO UPDATE SET value = excluded.value"
        )
        statements = [f"INSERT INTO {STAMPS} (name, value) VALUES ('{group}', {SQLITE_NEW}) ON CONFLICT (name) DO NOTHING"]
        when = f" WHEN {_any_changed(changed, 'IS NOT')}" if changed else ""
        for table in tables:
            statements += [
                f"CREATE TRIGGER {trigger_name(table, part)}_{event} AFTER {event.upper()}{columns if event == 'update' else ''} "
                f"ON {table} FOR EACH ROW{when if event == 'update' else ''} BEGIN {renew}; END"
                for event in SQLITE_EVENTS
            ]
    elif vendor == "postgresql":
        statements = [
            f"INSERT INTO {STAMPS} (name, value) VALUES ('{group}', {POSTGRES_NEW}) ON CONFLICT (name) DO NOTHING",
            # One function for every group: the group's name is the trigger's argument.
            f"""CREATE OR REPLACE FUNCTION {POSTGRES_FUNCTION}() RETURNS trigger AS $$
            BEGIN
                INSERT INTO {STAMPS} (name, value) VALUES (TG_ARGV[0], {POSTGRES_NEW})
                ON CONFLICT (name) DO UPDATE SET value = excluded.value;
                RETURN NULL;
            END;
            $$ LANGUAGE plpgsql""",
        ]
        # Deferred to the commit: the stamp's row is locked only while the
        # writing transaction commits, not from its first write on, so that
        # people saving plan items at once do not wait on each other. A
        # reader still reads the stamp and the data the commit wrote
        # together, or both from before it.
        deferred = "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
        renew = f"EXECUTE FUNCTION {POSTGRES_FUNCTION}('{group}')"
        for table in tables:
            if changed:  # an insert has no OLD row to compare with: updates apart
                statements += [
                    f"CREATE CONSTRAINT TRIGGER {trigger_name(table, part)} AFTER INSERT OR DELETE ON {table} "
                    f"{deferred} {renew}",
                    f"CREATE CONSTRAINT TRIGGER {_changed_name(table, part)} AFTER UPDATE ON {table} "
                    f"{deferred} WHEN ({_any_changed(changed, 'IS DISTINCT FROM')}) {renew}",
                ]
            else:
                statements.append(
                    f"CREATE CONSTRAINT TRIGGER {trigger_name(table, part)} AFTER INSERT OR UPDATE{columns} OR DELETE "
                    f"ON {table} {deferred} {renew}"
                )
            statements.append(
                f"CREATE TRIGGER {trigger_name(table, part)}_truncate AFTER TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {POSTGRES_FUNCTION}('{group}')"
            )
    else:
        raise NotImplementedError(f"Data stamps need triggers on {vendor}")
    for sql in statements:
        schema_editor.execute(sql, params=None)


def _any_changed(columns: list[str], differs: str) -> str:
    return " OR ".join(f"OLD.{column} {differs} NEW.{column}" for column in columns)


def drop_triggers(schema_editor: Any, group: str, tables: list[str], *, part: str = "") -> None:
    vendor = schema_editor.connection.vendor
    for table in tables:
        name = trigger_name(table, part)
        if vendor == "sqlite":
            for event in SQLITE_EVENTS:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_{event}", params=None)
        else:
            for pg_name in (name, f"{name}_truncate", _changed_name(table, part)):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {pg_name} ON {table}", params=None)
    schema_editor.execute(f"DELETE FROM {STAMPS} WHERE name = '{group}'", params=None)


def immediate(connection: Any) -> None:
    """Renew the data stamps at each write instead of at the commit, for the
    rest of the current transaction (PostgreSQL; SQLite always does): a test
    runs in one transaction that is never committed, and reads its own writes."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgconstraint <> 0 AND tgname LIKE %s", ["%\\_data\\_stamp"])
        names = [row[0] for row in cursor.fetchall()]
        if names:
            cursor.execute(f"SET CONSTRAINTS {', '.join(connection.ops.quote_name(name) for name in names)} IMMEDIATE")


def operation(
    group: str,
    tables: list[str],
    *,
    update_of: list[str] | None = None,
    changed: list[str] | None = None,
    part: str = "",
) -> Any:
    """The migration operation that gives ``tables`` the triggers of the
    stamp ``group`` (and takes them away when migrated back); the keywords
    are ``create_triggers``'s."""
    from django.db import migrations

    def forwards(apps: Any, schema_editor: Any) -> None:
        create_triggers(schema_editor, group, tables, update_of=update_of, changed=changed, part=part)

    def backwards(apps: Any, schema_editor: Any) -> None:
        drop_triggers(schema_editor, group, tables, part=part)

    return migrations.RunPython(forwards, backwards)


def stamped_tables(connection: Any, part: str = "") -> set[str]:
    """The tables that have a data-stamp trigger, or with ``part`` one of the
    group named by it (for the tests that check every group's tables)."""
    name = trigger_name("%", part).replace("_", "\\_")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s ESCAPE '\\'", [f"{name}\\_%"]
            )
        else:
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND t.tgname LIKE %s",
                [name],
            )
        return {row[0] for row in cursor.fetchall()}
