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
