"""The ``reports`` data stamp (``strategy.data_stamps``): renewed with any
change to a report (ordered, taken up by a worker, done, failed, published),
whatever writes it. The report list is cached by it.

Test ``tests/reports/test_report_list_cache.py`` checks it.
"""

from django.db import migrations

from strategy.data_stamps import operation

GROUP = "reports"
TABLES = ["reports_report"]


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_public_and_translator"),
        ("strategy", "0014_data_stamp"),
    ]

    operations = [
        operation(GROUP, TABLES),
    ]
