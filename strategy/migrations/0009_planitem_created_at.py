"""Plan items learn when they were added to their plan, so that an item
nobody has updated has a "last update" that is not the row's technical
modification time. Existing items take the time of their first history
record (simple_history), else their modification time."""

from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce

import strategy.clock
import strategy.db


def backfill_created_at(apps, schema_editor):  # type: ignore[no-untyped-def]
    PlanItem = apps.get_model("strategy", "PlanItem")
    HistoricalPlanItem = apps.get_model("strategy", "HistoricalPlanItem")
    first = HistoricalPlanItem.objects.filter(id=OuterRef("pk")).order_by("history_date").values("history_date")[:1]
    PlanItem.objects.update(created_at=Coalesce(Subquery(first), F("updated_at")))


class Migration(migrations.Migration):
    dependencies = [
        ("strategy", "0008_public_and_translator"),
    ]

    operations = [
        # SQLite rebuilds the table for this; the cross-table triggers are set aside meanwhile.
        strategy.db.SqliteTriggersAside(),
        migrations.AddField(
            model_name="historicalplanitem",
            name="created_at",
            field=models.DateTimeField(default=strategy.clock.now, editable=False, verbose_name="created at"),
        ),
        migrations.AddField(
            model_name="planitem",
            name="created_at",
            field=models.DateTimeField(default=strategy.clock.now, editable=False, verbose_name="created at"),
        ),
        strategy.db.SqliteTriggersBack(),
        migrations.RunPython(backfill_created_at, migrations.RunPython.noop),
    ]
