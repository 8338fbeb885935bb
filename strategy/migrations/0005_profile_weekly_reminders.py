import strategy.db
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('strategy', '0004_strategy_parts_history'),
    ]

    operations = [
        # SQLite rebuilds the table to add a NOT NULL column; the cross-table
        # triggers would point at the old table meanwhile.
        strategy.db.SqliteTriggersAside(),
        migrations.AddField(
            model_name='profile',
            name='weekly_reminders',
            field=models.BooleanField(db_default=True, default=True, help_text='A unit head gets at most one email a week listing the plan items nobody has updated.', verbose_name='weekly reminders about stale plan items'),
        ),
        strategy.db.SqliteTriggersBack(),
    ]
