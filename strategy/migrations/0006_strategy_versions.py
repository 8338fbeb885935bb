import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# An approved version's snapshot is frozen: the model refuses to change it and
# so does the database, for writes that do not go through the model.
FROZEN_MESSAGE = "An approved version of a strategy is frozen: its snapshot cannot change."


def create_frozen_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            f"""CREATE TRIGGER strategy_version_frozen BEFORE UPDATE ON strategy_strategyversion
            FOR EACH ROW WHEN NEW.snapshot IS NOT OLD.snapshot OR NEW.snapshot_sha256 IS NOT OLD.snapshot_sha256
                OR NEW.strategy_id IS NOT OLD.strategy_id OR NEW.number IS NOT OLD.number
            BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE}'); END"""
        )
    elif vendor == "postgresql":
        schema_editor.execute(
            f"""CREATE OR REPLACE FUNCTION strategy_version_frozen_fn() RETURNS trigger AS $$
            BEGIN
                IF NEW.snapshot IS DISTINCT FROM OLD.snapshot OR NEW.snapshot_sha256 IS DISTINCT FROM OLD.snapshot_sha256
                   OR NEW.strategy_id IS DISTINCT FROM OLD.strategy_id OR NEW.number IS DISTINCT FROM OLD.number THEN
                    RAISE EXCEPTION '{FROZEN_MESSAGE}' USING ERRCODE = 'check_violation';
                END IF;
                RETURN NEW;
            END;
            $$ LANGUAGE plpgsql"""
        )
        schema_editor.execute(
            """CREATE TRIGGER strategy_version_frozen BEFORE UPDATE ON strategy_strategyversion
            FOR EACH ROW EXECUTE FUNCTION strategy_version_frozen_fn()"""
        )


def drop_frozen_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS strategy_version_frozen")
    elif vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS strategy_version_frozen ON strategy_strategyversion")
        schema_editor.execute("DROP FUNCTION IF EXISTS strategy_version_frozen_fn()")


class Migration(migrations.Migration):

    dependencies = [
        ('strategy', '0005_profile_weekly_reminders'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='StrategyVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField(verbose_name='version')),
                ('approved_on', models.DateField(verbose_name='approved on')),
                ('decision_body', models.JSONField(default=dict, help_text='The decision-making body per language (fi, sv, en).', verbose_name='approved by')),
                ('decision_reference', models.CharField(max_length=100, verbose_name='decision reference')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('snapshot', models.JSONField(editable=False, verbose_name='snapshot')),
                ('snapshot_sha256', models.CharField(editable=False, max_length=64, verbose_name='SHA-256 of the snapshot')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approved in Suunta by')),
                ('strategy', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='approved_versions', to='strategy.strategy', verbose_name='strategy')),
            ],
            options={
                'verbose_name': 'approved version',
                'verbose_name_plural': 'approved versions',
                'ordering': ['strategy', '-number'],
                'constraints': [models.UniqueConstraint(fields=('strategy', 'number'), name='strategy_version_unique_number'), models.CheckConstraint(condition=models.Q(('number__gte', 1)), name='strategy_version_number_positive')],
            },
        ),
        migrations.RunPython(create_frozen_trigger, drop_frozen_trigger),
    ]
