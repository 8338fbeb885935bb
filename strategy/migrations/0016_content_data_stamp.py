"""The ``content`` data stamp (``strategy.data_stamps``): renewed with any
change to any strategy's content stamp (``ContentStamp``), that is with any
change to any strategy's working copy or to an organisation. Pages that
show several strategies' content at once (My units) are cached by it
instead of reading every strategy's own stamp.

Test ``tests/strategy/test_content_stamp.py`` checks it.
"""

from django.db import migrations

from strategy.data_stamps import operation

GROUP = "content"
TABLES = ["strategy_contentstamp"]


class Migration(migrations.Migration):
    dependencies = [
        ("strategy", "0015_plans_data_stamp"),
    ]

    operations = [
        operation(GROUP, TABLES),
    ]
