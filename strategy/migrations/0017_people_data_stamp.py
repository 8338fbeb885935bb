"""The ``people`` data stamp (``strategy.data_stamps``): renewed when a
person is added or removed, their name changes or they are deactivated (not
when they sign in), and with any change to a membership or to a profile
(whether the person is named on the public pages). Pages that show who
entered or changed something (the indicator page, the plan page) or whom to
ask (the public strategy page) are cached by it.

Test ``tests/indicators/test_indicator_page_cache.py`` checks it.
"""

from django.conf import settings
from django.db import migrations

from strategy.data_stamps import create_triggers, drop_triggers

GROUP = "people"
NAMES = ["username", "first_name", "last_name", "is_active"]
TABLES = ["strategy_membership", "strategy_profile"]


def _table(apps) -> str:  # type: ignore[no-untyped-def]
    return apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    create_triggers(schema_editor, GROUP, [_table(apps)], update_of=NAMES)
    create_triggers(schema_editor, GROUP, TABLES)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    drop_triggers(schema_editor, GROUP, [_table(apps), *TABLES])


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("strategy", "0016_content_data_stamp"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
