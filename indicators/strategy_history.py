"""The indicators' tables in a strategy's history tab: their scales, targets
and measured values, values read as people read them (qualitative levels by
label). ``register`` adds them from ``IndicatorsConfig.ready()``; the
indicator itself is listed as a kind of the editor (``indicators.editor``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from strategy.history import (
    Source,
    ValueReader,
    history_ids,
    register_group,
    register_named,
    register_sources,
    register_value_reader,
)
from strategy.models import Strategy

from .models import Indicator, Measurement, ScaleLevel, Target
from .services import indicator_value_display


def _indicator_ids(strategy: Strategy) -> QuerySet[Any]:
    return history_ids(Indicator, strategy_id=strategy.pk)


def _cell(record: Any) -> str:
    """A target or measured value's cell: "Visitors 2024, Library"."""
    text = f"{record.indicator} {record.year}"
    return f"{text}, {record.unit}" if record.unit_id else text


SOURCES: list[Source] = [
    Source(
        "scale-level",
        ScaleLevel,
        ScaleLevel._meta.verbose_name,
        "indicators",
        lambda s: ScaleLevel.history.filter(indicator_id__in=_indicator_ids(s)),  # type: ignore[attr-defined]
        lambda record: f"{record.indicator}: {record.label}",
    ),
    Source(
        "target",
        Target,
        gettext_lazy("target"),
        "values",
        lambda s: Target.history.filter(indicator_id__in=_indicator_ids(s)),  # type: ignore[attr-defined]
        _cell,
        value_fields=("value",),
    ),
    Source(
        "measurement",
        Measurement,
        gettext_lazy("measured value"),
        "values",
        lambda s: Measurement.history.filter(indicator_id__in=_indicator_ids(s)),  # type: ignore[attr-defined]
        _cell,
        value_fields=("value",),
    ),
]


def register() -> None:
    register_group("indicators", gettext_lazy("Indicators and their scales"))
    register_group("values", gettext_lazy("Targets and measured values"))
    register_sources(*SOURCES)
    # An indicator's values read through its decimals or its scale's levels.
    register_value_reader(Target, ValueReader("value", Indicator, "indicator_id", indicator_value_display))
    register_value_reader(Measurement, ValueReader("value", Indicator, "indicator_id", indicator_value_display))
    register_value_reader(Indicator, ValueReader("baseline_value", Indicator, "id", indicator_value_display))
    register_named(Indicator, prefetch=("levels",))
