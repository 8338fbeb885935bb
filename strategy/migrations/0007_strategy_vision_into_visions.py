"""One home for visions: the legacy ``Strategy.vision`` text becomes a
``Vision`` row (order 0, no label) and the field goes away.

Every language column is copied. A strategy whose visions already hold the
same text (an owner copied it by hand, or the migration ran backwards and
forwards again) gets no second copy.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

import strategy.db

LANGUAGES = ("fi", "sv", "en")


def _texts(row: Any, prefix: str) -> dict[str, str]:
    return {code: getattr(row, f"{prefix}_{code}") or "" for code in LANGUAGES}


def copy_visions(apps: Any, schema_editor: Any) -> None:
    """Copy each strategy's non-empty legacy vision into a ``Vision`` row."""
    Strategy = apps.get_model("strategy", "Strategy")
    Vision = apps.get_model("strategy", "Vision")
    alias = schema_editor.connection.alias
    existing: dict[int, list[dict[str, str]]] = {}
    for vision in Vision.objects.using(alias).all():
        existing.setdefault(vision.strategy_id, []).append(_texts(vision, "text"))
    new = []
    for row in Strategy.objects.using(alias).order_by("pk"):
        texts = _texts(row, "vision")
        if not any(texts.values()) and row.vision:
            # Written without modeltranslation: only the base column holds it.
            texts["fi"] = row.vision
        if not any(texts.values()) or texts in existing.get(row.pk, []):
            continue
        new.append(
            Vision(
                strategy_id=row.pk,
                order=0,
                label="",
                # The base column mirrors the default language, as modeltranslation writes it.
                text=row.vision or next(text for text in texts.values() if text),
                **{f"text_{code}": text or None for code, text in texts.items()},
            )
        )
    Vision.objects.using(alias).bulk_create(new)


def copy_visions_back(apps: Any, schema_editor: Any) -> None:
    """Backwards: the first vision without a label fills the legacy field again.
    The rows stay, so no text is lost either way."""
    Strategy = apps.get_model("strategy", "Strategy")
    Vision = apps.get_model("strategy", "Vision")
    alias = schema_editor.connection.alias
    first: dict[int, Any] = {}
    for vision in Vision.objects.using(alias).filter(label="").order_by("strategy_id", "order", "pk"):
        first.setdefault(vision.strategy_id, vision)
    for strategy_id, vision in first.items():
        Strategy.objects.using(alias).filter(pk=strategy_id).update(
            vision=vision.text, **{f"vision_{code}": getattr(vision, f"text_{code}") for code in LANGUAGES}
        )


class Migration(migrations.Migration):

    dependencies = [
        ("strategy", "0006_strategy_versions"),
    ]

    operations = [
        # SQLite rebuilds the strategy table to drop the columns; the
        # cross-table triggers would point at the old table meanwhile.
        strategy.db.SqliteTriggersAside(),
        migrations.RunPython(copy_visions, copy_visions_back),
        migrations.RemoveField(model_name="historicalstrategy", name="vision"),
        migrations.RemoveField(model_name="historicalstrategy", name="vision_en"),
        migrations.RemoveField(model_name="historicalstrategy", name="vision_fi"),
        migrations.RemoveField(model_name="historicalstrategy", name="vision_sv"),
        migrations.RemoveField(model_name="strategy", name="vision"),
        migrations.RemoveField(model_name="strategy", name="vision_en"),
        migrations.RemoveField(model_name="strategy", name="vision_fi"),
        migrations.RemoveField(model_name="strategy", name="vision_sv"),
        strategy.db.SqliteTriggersBack(),
    ]
