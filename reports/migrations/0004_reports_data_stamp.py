"""The ``reports`` data stamp (``strategy.data_stamps``): renewed with any
change to a report (ordered, taken up by a worker, done, failed, published),
whatever writes it. The report list is cached by it.

Test ``tests/reports/test_report_list_cache.py`` checks it.
"""

from django.db import migrations

from strategy.data_stamps import create_triggers, drop_triggers

GROUP = "reports"
TABLES = ["reports_report"]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    create_triggers(schema_editor, GROUP, TABLES)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    drop_triggers(schema_editor, GROUP, TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_public_and_translator"),
        ("strategy", "0014_data_stamp"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
