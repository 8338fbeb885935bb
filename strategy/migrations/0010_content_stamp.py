"""A content stamp per strategy: a random value that database triggers
replace in the same transaction as any change to the strategy's working copy
(its own row, every kind of part of the editor's registry, and the links
between parts), so that caches keyed by it are never stale.

Triggers rather than Django signals: bulk creates, queryset updates and the
``SET_NULL`` of a deletion send no signals but change the content all the same.

Test ``tests/strategy/test_content_stamp.py`` checks that every table of the
registry has its trigger; a new kind of part (or a SQLite migration that
rebuilds a part's table without setting the triggers aside) fails it.
"""

from django.db import migrations, models
from django.db.models.deletion import CASCADE

STAMPS = "strategy_contentstamp"

# Each table whose rows are content, and how a row names its strategy ("{row}"
# is NEW or OLD). The strategy's own row is handled apart: its stamp row is
# created with it.
PARTS: dict[str, str] = {
    "strategy_vision": "{row}.strategy_id",
    "strategy_principle": "{row}.strategy_id",
    "strategy_section": "{row}.strategy_id",
    "strategy_targetstate": "{row}.strategy_id",
    "strategy_strategicchoice": "{row}.strategy_id",
    "strategy_tradeoff": "(SELECT strategy_id FROM strategy_strategicchoice WHERE id = {row}.choice_id)",
    "strategy_perspective": "{row}.strategy_id",
    "strategy_goal": "{row}.strategy_id",
    "strategy_objective": "(SELECT strategy_id FROM strategy_goal WHERE id = {row}.goal_id)",
    "strategy_spearheadprogramme": "{row}.strategy_id",
    "strategy_spearheadprogramme_goals": "(SELECT strategy_id FROM strategy_spearheadprogramme WHERE id = {row}.spearheadprogramme_id)",
    "strategy_spearheadprogramme_focus_areas": "(SELECT strategy_id FROM strategy_spearheadprogramme WHERE id = {row}.spearheadprogramme_id)",
    "strategy_spearheadprogramme_actions": "(SELECT strategy_id FROM strategy_spearheadprogramme WHERE id = {row}.spearheadprogramme_id)",
    "strategy_focusarea": "{row}.strategy_id",
    "strategy_action": "{row}.strategy_id",
    "strategy_action_responsible_units": "(SELECT strategy_id FROM strategy_action WHERE id = {row}.action_id)",
    "strategy_action_sdgs": "(SELECT strategy_id FROM strategy_action WHERE id = {row}.action_id)",
    "strategy_stakeholder": "{row}.strategy_id",
    "strategy_stakeholder_goals": "(SELECT strategy_id FROM strategy_stakeholder WHERE id = {row}.stakeholder_id)",
    "strategy_stakeholder_actions": "(SELECT strategy_id FROM strategy_stakeholder WHERE id = {row}.stakeholder_id)",
    "indicators_indicator": "{row}.strategy_id",
    "indicators_indicator_sdgs": "(SELECT strategy_id FROM indicators_indicator WHERE id = {row}.indicator_id)",
}

SQLITE_NEW = "lower(hex(randomblob(16)))"
POSTGRES_NEW = "md5(random()::text || clock_timestamp()::text)"


def _sqlite(table: str, strategy: str) -> list[str]:
    statements = []
    for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
        statements.append(
            f"CREATE TRIGGER {table}_stamp_{event.lower()} AFTER {event} ON {table} FOR EACH ROW "
            f"BEGIN UPDATE {STAMPS} SET value = {SQLITE_NEW} WHERE strategy_id = {strategy.format(row=row)}; END"
        )
    return statements


def _postgres(table: str, strategy: str) -> list[str]:
    return [
        f"""CREATE OR REPLACE FUNCTION {table}_stamp_fn() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                UPDATE {STAMPS} SET value = {POSTGRES_NEW} WHERE strategy_id = {strategy.format(row="OLD")};
            ELSE
                UPDATE {STAMPS} SET value = {POSTGRES_NEW} WHERE strategy_id = {strategy.format(row="NEW")};
            END IF;
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql""",
        f"""CREATE TRIGGER {table}_stamp AFTER INSERT OR UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION {table}_stamp_fn()""",
    ]


def _strategy_sql(vendor: str) -> list[str]:
    """The strategy's own row: a stamp row when it is created, a new value when it changes."""
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER strategy_strategy_stamp_insert AFTER INSERT ON strategy_strategy FOR EACH ROW "
            f"BEGIN INSERT INTO {STAMPS} (strategy_id, value) VALUES (NEW.id, {SQLITE_NEW}); END",
            f"CREATE TRIGGER strategy_strategy_stamp_update AFTER UPDATE ON strategy_strategy FOR EACH ROW "
            f"BEGIN UPDATE {STAMPS} SET value = {SQLITE_NEW} WHERE strategy_id = NEW.id; END",
        ]
    return [
        f"""CREATE OR REPLACE FUNCTION strategy_strategy_stamp_fn() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO {STAMPS} (strategy_id, value) VALUES (NEW.id, {POSTGRES_NEW});
            ELSE
                UPDATE {STAMPS} SET value = {POSTGRES_NEW} WHERE strategy_id = NEW.id;
            END IF;
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER strategy_strategy_stamp AFTER INSERT OR UPDATE ON strategy_strategy
        FOR EACH ROW EXECUTE FUNCTION strategy_strategy_stamp_fn()""",
    ]


def create_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise NotImplementedError(f"Content stamps need triggers on {vendor}")
    new = SQLITE_NEW if vendor == "sqlite" else POSTGRES_NEW
    schema_editor.execute(f"INSERT INTO {STAMPS} (strategy_id, value) SELECT id, {new} FROM strategy_strategy")
    statements = _strategy_sql(vendor)
    for table, strategy in PARTS.items():
        statements += _sqlite(table, strategy) if vendor == "sqlite" else _postgres(table, strategy)
    for sql in statements:
        schema_editor.execute(sql, params=None)


def drop_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    for table in ["strategy_strategy", *PARTS]:
        if vendor == "sqlite":
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_stamp_{event}", params=None)
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_stamp ON {table}", params=None)
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_stamp_fn()", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("strategy", "0009_planitem_created_at"),
        ("indicators", "0006_qualitative_scales_links_and_versions"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentStamp",
            fields=[
                (
                    "strategy",
                    models.OneToOneField(
                        on_delete=CASCADE,
                        primary_key=True,
                        related_name="content_stamp",
                        serialize=False,
                        to="strategy.strategy",
                        verbose_name="strategy",
                    ),
                ),
                ("value", models.CharField(editable=False, max_length=32, verbose_name="content stamp")),
            ],
            options={
                "verbose_name": "content stamp",
                "verbose_name_plural": "content stamps",
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
