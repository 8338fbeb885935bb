"""The ``plans`` data stamp (``strategy.data_stamps``): renewed by triggers
with any change to the annual plans, their items, the items' progress
updates and the plans' comments, whatever writes it. The plan list and the
overview's progress section are cached by it.

Test ``tests/strategy/test_plans_data_stamp.py`` checks that every table
of the group has its trigger.
"""

from django.db import migrations

from strategy.data_stamps import operation

GROUP = "plans"
TABLES = ["strategy_annualplan", "strategy_planitem", "strategy_progressupdate", "strategy_plancomment"]


class Migration(migrations.Migration):
    dependencies = [
        ("strategy", "0014_data_stamp"),
    ]

    operations = [
        operation(GROUP, TABLES),
    ]
