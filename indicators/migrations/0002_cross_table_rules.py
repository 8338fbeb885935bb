from django.db import migrations

from strategy.db import CheckTrigger

PERIOD = (
    "(SELECT s.{column} FROM strategy_strategy s JOIN indicators_indicator i ON i.strategy_id = s.id"
    " WHERE i.id = NEW.indicator_id)"
)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial"), ("strategy", "0002_cross_table_rules")]

    operations = [
        CheckTrigger(
            name="measurement_year_in_period",
            table="indicators_measurement",
            condition=f"NEW.year BETWEEN {PERIOD.format(column='period_start')} AND {PERIOD.format(column='period_end')}",
            message="measurement_year_in_period: the measurement year lies outside the strategy period",
        ),
    ]
