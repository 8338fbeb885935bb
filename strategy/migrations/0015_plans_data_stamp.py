"""The ``plans`` data stamp (``strategy.data_stamps``): renewed by triggers
with any change to the annual plans, their items, the items' progress
updates and the plans' comments, whatever writes it. The plan list and the
overview's progress section are cached by it.

Test ``tests/strategy/test_plans_data_stamp.py`` checks that every table
of the group has its trigger.
"""

from django.db import migrations

from strategy.data_stamps import create_triggers, drop_triggers

GROUP = "plans"
TABLES = ["strategy_annualplan", "strategy_planitem", "strategy_progressupdate", "strategy_plancomment"]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    create_triggers(schema_editor, GROUP, TABLES)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    drop_triggers(schema_editor, GROUP, TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("strategy", "0014_data_stamp"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
