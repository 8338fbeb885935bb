"""The maturity models' tables in a strategy's history tab: models, levels,
dimensions, criteria, and the agreed and target levels (self-assessment
ratings are people's own answers and are not listed). ``register`` adds them
from ``MaturityConfig.ready()``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from strategy.history import Source, history_ids, register_group, register_named, register_sources
from strategy.models import Strategy

from .models import (
    AgreedLevel,
    AssessmentRound,
    Criterion,
    Dimension,
    Level,
    MaturityModel,
    TargetLevel,
)


def _model_ids(strategy: Strategy) -> QuerySet[Any]:
    return history_ids(MaturityModel, strategy_id=strategy.pk)


def _dimension_ids(strategy: Strategy) -> QuerySet[Any]:
    return history_ids(Dimension, model_id__in=_model_ids(strategy))


def _level_place(record: Any) -> str:
    unit = record.unit if record.unit_id else _("the whole organisation")
    year = record.round.year if isinstance(record, AgreedLevel) else record.year
    return f"{record.dimension}: {unit} {year}"


SOURCES: list[Source] = [
    Source(
        "maturity-model",
        MaturityModel,
        MaturityModel._meta.verbose_name,
        "maturity",
        lambda s: MaturityModel.history.filter(strategy_id=s.pk),  # type: ignore[attr-defined]
    ),
    Source(
        "level",
        Level,
        gettext_lazy("maturity level"),
        "maturity",
        lambda s: Level.history.filter(model_id__in=_model_ids(s)),  # type: ignore[attr-defined]
    ),
    Source(
        "dimension",
        Dimension,
        Dimension._meta.verbose_name,
        "maturity",
        lambda s: Dimension.history.filter(model_id__in=_model_ids(s)),  # type: ignore[attr-defined]
    ),
    Source(
        "criterion",
        Criterion,
        gettext_lazy("criterion"),
        "maturity",
        lambda s: Criterion.history.filter(dimension_id__in=_dimension_ids(s)),  # type: ignore[attr-defined]
    ),
    Source(
        "agreed-level",
        AgreedLevel,
        AgreedLevel._meta.verbose_name,
        "levels",
        lambda s: AgreedLevel.history.filter(dimension_id__in=_dimension_ids(s)),  # type: ignore[attr-defined]
        _level_place,
        value_fields=("level",),
    ),
    Source(
        "target-level",
        TargetLevel,
        TargetLevel._meta.verbose_name,
        "levels",
        lambda s: TargetLevel.history.filter(dimension_id__in=_dimension_ids(s)),  # type: ignore[attr-defined]
        _level_place,
        value_fields=("level",),
    ),
]


def register() -> None:
    register_group("maturity", gettext_lazy("Maturity models"))
    register_group("levels", gettext_lazy("Agreed and target levels"))
    register_sources(*SOURCES)
    # An agreed level names its round by the round's model.
    register_named(AssessmentRound, select=("model",))
