from django.db import migrations

from strategy.db import CheckTrigger

ROUND_MODEL = (
    "(SELECT r.model_id FROM maturity_assessmentround r JOIN maturity_selfassessment a ON a.round_id = r.id"
    " WHERE a.id = NEW.assessment_id)"
)


class Migration(migrations.Migration):
    dependencies = [("maturity", "0001_initial"), ("strategy", "0002_cross_table_rules")]

    operations = [
        CheckTrigger(
            name="rating_level_of_round_model",
            table="maturity_rating",
            condition=(
                f"(SELECT model_id FROM maturity_level WHERE id = NEW.level_id) = {ROUND_MODEL}"
                f" AND (SELECT model_id FROM maturity_dimension WHERE id = NEW.dimension_id) = {ROUND_MODEL}"
            ),
            message="rating_level_of_round_model: the level or dimension belongs to another maturity model",
        ),
        CheckTrigger(
            name="agreedlevel_level_of_round_model",
            table="maturity_agreedlevel",
            condition=(
                "(SELECT model_id FROM maturity_level WHERE id = NEW.level_id)"
                " = (SELECT model_id FROM maturity_assessmentround WHERE id = NEW.round_id)"
                " AND (SELECT model_id FROM maturity_dimension WHERE id = NEW.dimension_id)"
                " = (SELECT model_id FROM maturity_assessmentround WHERE id = NEW.round_id)"
            ),
            message="agreedlevel_level_of_round_model: the level or dimension belongs to another maturity model",
        ),
        CheckTrigger(
            name="targetlevel_level_of_model",
            table="maturity_targetlevel",
            condition=(
                "(SELECT model_id FROM maturity_level WHERE id = NEW.level_id)"
                " = (SELECT model_id FROM maturity_dimension WHERE id = NEW.dimension_id)"
            ),
            message="targetlevel_level_of_model: the level belongs to another maturity model",
        ),
    ]
