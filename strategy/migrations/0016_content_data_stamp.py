"""The ``content`` data stamp (``strategy.data_stamps``): renewed with any
change to any strategy's content stamp (``ContentStamp``), that is with any
change to any strategy's working copy or to an organisation. Pages that
show several strategies' content at once (My units) are cached by it
instead of reading every strategy's own stamp.

Test ``tests/strategy/test_content_stamp.py`` checks it.
"""

from django.db import migrations

from strategy.data_stamps import create_triggers, drop_triggers

GROUP = "content"
TABLES = ["strategy_contentstamp"]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    create_triggers(schema_editor, GROUP, TABLES)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    drop_triggers(schema_editor, GROUP, TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("strategy", "0015_plans_data_stamp"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
