"""The ``plan-texts`` data stamp (``strategy.data_stamps``): renewed when a
plan item is added or removed, or its searched texts, its plan or its
action change; and when a plan is added or removed, or changes its
strategy, unit, year or status (which plans a reader sees). A status or
progress saved on an item does not renew it: the search's plan-item
results are cached by it, so that a busy morning of saves does not search
every plan again at each search.

Test ``tests/search/test_plan_texts_stamp.py`` checks it.
"""

from django.db import migrations

from strategy.data_stamps import operation

GROUP = "plan-texts"
PART = "_plan_texts"  # the plan tables have the ``plans`` group's triggers too


class Migration(migrations.Migration):
    dependencies = [
        ("strategy", "0017_people_data_stamp"),
    ]

    operations = [
        operation(
            GROUP,
            ["strategy_planitem"],
            changed=["plan_id", "action_id", "description", "year_end_assessment"],
            part=PART,
        ),
        operation(GROUP, ["strategy_annualplan"], changed=["strategy_id", "unit_id", "year", "status"], part=PART),
    ]
