from django.db import migrations

from strategy.db import CheckTrigger


class Migration(migrations.Migration):
    dependencies = [("strategy", "0001_initial")]

    operations = [
        CheckTrigger(
            name="annualplan_year_in_period",
            table="strategy_annualplan",
            condition=(
                "NEW.year BETWEEN (SELECT period_start FROM strategy_strategy WHERE id = NEW.strategy_id)"
                " AND (SELECT period_end FROM strategy_strategy WHERE id = NEW.strategy_id)"
            ),
            message="annualplan_year_in_period: the plan year lies outside the strategy period",
        ),
    ]
