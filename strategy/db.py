"""Database-enforced rules that span tables.

A CHECK constraint sees one row only; rules such as "a plan's year lies
within its strategy's period" need the parent row, so they are triggers.
``CheckTrigger`` is a migration operation that installs one on SQLite and on
PostgreSQL; a violating INSERT or UPDATE fails with an IntegrityError.
"""

from __future__ import annotations

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import ProjectState


class CheckTrigger(migrations.operations.base.Operation):
    """Refuse rows of ``table`` for which ``condition`` (SQL on ``NEW``) is false."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, name: str, table: str, condition: str, message: str) -> None:
        self.name = name
        self.table = table
        self.condition = condition
        self.message = message

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        pass

    def deconstruct(self) -> tuple[str, list[object], dict[str, object]]:
        return (
            "strategy.db.CheckTrigger",
            [],
            {"name": self.name, "table": self.table, "condition": self.condition, "message": self.message},
        )

    def _create_sql(self, vendor: str) -> list[str]:
        message = self.message.replace("'", "''")
        if vendor == "postgresql":
            return [
                f"""CREATE OR REPLACE FUNCTION {self.name}_fn() RETURNS trigger AS $$
                BEGIN
                    IF NOT ({self.condition}) THEN
                        RAISE EXCEPTION '{message}' USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NEW;
                END;
                $$ LANGUAGE plpgsql""",
                f"""CREATE TRIGGER {self.name} BEFORE INSERT OR UPDATE ON {self.table}
                FOR EACH ROW EXECUTE FUNCTION {self.name}_fn()""",
            ]
        if vendor == "sqlite":
            return [
                f"""CREATE TRIGGER {self.name}_{event.lower()} BEFORE {event} ON {self.table}
                FOR EACH ROW WHEN NOT ({self.condition})
                BEGIN SELECT RAISE(ABORT, '{message}'); END"""
                for event in ("INSERT", "UPDATE")
            ]
        raise NotImplementedError(f"CheckTrigger does not support {vendor}")

    def _drop_sql(self, vendor: str) -> list[str]:
        if vendor == "postgresql":
            return [
                f"DROP TRIGGER IF EXISTS {self.name} ON {self.table}",
                f"DROP FUNCTION IF EXISTS {self.name}_fn()",
            ]
        return [f"DROP TRIGGER IF EXISTS {self.name}_{event}" for event in ("insert", "update")]

    def database_forwards(
        self, app_label: str, schema_editor: BaseDatabaseSchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        for sql in self._create_sql(schema_editor.connection.vendor):
            schema_editor.execute(sql, params=None)

    def database_backwards(
        self, app_label: str, schema_editor: BaseDatabaseSchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        for sql in self._drop_sql(schema_editor.connection.vendor):
            schema_editor.execute(sql, params=None)

    def describe(self) -> str:
        return f"Create check trigger {self.name} on {self.table}"


# SQLite cannot add a NOT NULL column or change a column in place: Django
# rebuilds the table (create new, copy, drop old, rename). Renaming re-checks
# every trigger of the schema, and a trigger on another table that names the
# dropped one stops the migration ("no such table"). A migration that alters
# a table referred to by a CheckTrigger therefore sets the triggers aside
# first and puts them back last; on PostgreSQL both steps do nothing.
_SET_ASIDE: dict[str, list[tuple[str, str]]] = {}


class _SqliteTriggerStep(migrations.operations.base.Operation):
    """A step that changes only SQLite's triggers, never the migration state."""

    reduces_to_sql = False
    reversible = True

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        pass

    def deconstruct(self) -> tuple[str, list[object], dict[str, object]]:
        return (f"strategy.db.{type(self).__name__}", [], {})

    def database_forwards(
        self, app_label: str, schema_editor: BaseDatabaseSchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        if schema_editor.connection.vendor == "sqlite":
            self.apply(schema_editor)

    def database_backwards(
        self, app_label: str, schema_editor: BaseDatabaseSchemaEditor, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        if schema_editor.connection.vendor == "sqlite":
            self.undo(schema_editor)

    def apply(self, schema_editor: BaseDatabaseSchemaEditor) -> None:
        raise NotImplementedError

    def undo(self, schema_editor: BaseDatabaseSchemaEditor) -> None:
        raise NotImplementedError


def _set_triggers_aside(schema_editor: BaseDatabaseSchemaEditor) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL")
        triggers = cursor.fetchall()
    _SET_ASIDE[connection.alias] = triggers
    for name, _sql in triggers:
        schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}"', params=None)


def _put_triggers_back(schema_editor: BaseDatabaseSchemaEditor) -> None:
    for _name, sql in _SET_ASIDE.pop(schema_editor.connection.alias, []):
        schema_editor.execute(sql, params=None)


class SqliteTriggersAside(_SqliteTriggerStep):
    """Drop SQLite's triggers, remembering their SQL for ``SqliteTriggersBack``."""

    def apply(self, schema_editor: BaseDatabaseSchemaEditor) -> None:
        _set_triggers_aside(schema_editor)

    def undo(self, schema_editor: BaseDatabaseSchemaEditor) -> None:
        _put_triggers_back(schema_editor)


class SqliteTriggersBack(_SqliteTriggerStep):
    """Recreate the triggers that ``SqliteTriggersAside`` set aside."""

    def apply(self, schema_editor: BaseDatabaseSchemaEditor) -> None:
        _put_triggers_back(schema_editor)

    def undo(self, schema_editor: BaseDatabaseSchemaEditor) -> None:
        _set_triggers_aside(schema_editor)
