"""The ``maturity`` data stamp (``strategy.data_stamps``): renewed by
triggers with any change to a maturity table (the models, their levels,
dimensions and criteria, the rounds and their units, the self-assessments,
ratings, agreed and target levels). The heat map, the overview's matrices
and the self-assessment's matrix are cached by it.

Test ``tests/maturity/test_data_stamp.py`` checks that every maturity table
has its trigger; a new table (or a SQLite migration that rebuilds one
without setting the triggers aside) fails it.
"""

from django.db import migrations

from strategy.data_stamps import operation

GROUP = "maturity"
TABLES = [
    "maturity_maturitymodel",
    "maturity_level",
    "maturity_dimension",
    "maturity_dimension_actions",
    "maturity_criterion",
    "maturity_assessmentround",
    "maturity_assessmentround_units",
    "maturity_selfassessment",
    "maturity_rating",
    "maturity_agreedlevel",
    "maturity_targetlevel",
]


class Migration(migrations.Migration):
    dependencies = [
        ("maturity", "0003_ratings_agreed_levels_and_matrix_history"),
        ("strategy", "0014_data_stamp"),
    ]

    operations = [
        operation(GROUP, TABLES),
    ]
