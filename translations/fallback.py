"""Which texts of a strategy's report will be shown in another language.

Content fields are stored per language and read with modeltranslation's
fallback: a Swedish page shows the Finnish text when the Swedish one is
empty. A report should say beforehand how many of its texts will fall back.
Each text is judged by the one rule of ``strategy.fallback.text_in``
(modeltranslation's own fallback order), so that pages, reports and the
translation overview agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import CharField, F, Q, QuerySet, Value

from indicators.models import Indicator, ScaleLevel
from maturity.models import Dimension, Level, MaturityModel
from strategy.fallback import text_in
from strategy.models import (
    Action,
    AnnualPlan,
    FocusArea,
    Goal,
    Objective,
    Organisation,
    Perspective,
    Principle,
    Section,
    SpearheadProgramme,
    Stakeholder,
    StrategicChoice,
    Strategy,
    TargetState,
    TradeOff,
    Vision,
)

if TYPE_CHECKING:
    from django.db.models import Model

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


@dataclass(frozen=True)
class FallbackText:
    """A text of a strategy's report that is missing in the language asked
    for and will be shown in ``lang`` instead."""

    model: str  # "app_label.modelname"
    pk: int
    field: str
    lang: str
    value: str


# The translated texts a strategy's council report prints: the model, how its
# rows are reached from the strategy, and the fields printed. Organisations are
# added separately (see ``report_text_rows``). Actions print only their title; maturity criteria
# and short names are not in the report.
_REPORT_TEXTS: list[tuple[type[Model], str, tuple[str, ...]]] = [
    (Strategy, "pk", ("title", "motto", "purpose", "introduction", "decision_body")),
    (Vision, "strategy", ("label", "text")),
    (Principle, "strategy", ("title", "description", "points")),
    (TargetState, "strategy", ("title", "body")),
    (StrategicChoice, "strategy", ("theme", "question", "invest_in", "more_than", "summary")),
    (TradeOff, "choice__strategy", ("invest_in", "more_than")),
    (Perspective, "strategy", ("name", "description")),
    (Goal, "strategy", ("title", "description")),
    (Objective, "goal__strategy", ("title", "description")),
    (SpearheadProgramme, "strategy", ("name", "description")),
    (FocusArea, "strategy", ("title", "description")),
    (Action, "strategy", ("title",)),
    (Stakeholder, "strategy", ("name", "role")),
    (Section, "strategy", ("title", "body")),
    (Indicator, "strategy", ("name", "description", "unit_of_measure")),
    (ScaleLevel, "indicator__strategy", ("label",)),
    (MaturityModel, "strategy", ("name", "description")),
    (Level, "model__strategy", ("name", "description")),
    (Dimension, "model__strategy", ("title",)),
]


def report_text_rows(strategy: Strategy) -> QuerySet[Any]:
    """Every translated text a report of ``strategy`` prints, as rows of
    (model, pk, field, fi, sv, en): one UNION ALL query.

    Besides the strategy's own parts: the organisations (its own and those
    above it on the cover, the units with action plans for it) and the goals
    of the strategy above that its goals contribute to.
    """
    ancestor_ids = [int(part) for part in strategy.organisation.path.split("/") if part]
    organisations = Organisation.objects.filter(
        Q(pk__in=ancestor_ids)
        | Q(pk=strategy.organisation_id)
        | Q(pk__in=AnnualPlan.objects.filter(strategy=strategy).values("unit_id"))
    )
    sources = [
        *(
            (model.objects.filter(**{lookup: strategy.pk}), fields)
            for model, lookup, fields in _REPORT_TEXTS
        ),
        (organisations, ("name",)),
        # The goals of the strategy above that its goals contribute to.
        (
            Goal.objects.filter(
                pk__in=Goal.objects.filter(strategy=strategy).values("contributes_to_id")
            ),
            ("title",),
        ),
    ]
    parts = [
        queryset.order_by()
        .annotate(
            fallback_model=Value(queryset.model._meta.label_lower, output_field=CharField()),
            fallback_pk=F("pk"),
            fallback_field=Value(field, output_field=CharField()),
            **{f"fallback_{code}": F(f"{field}_{code}") for code in LANGUAGE_CODES},
        )
        .values_list(
            "fallback_model",
            "fallback_pk",
            "fallback_field",
            *[f"fallback_{code}" for code in LANGUAGE_CODES],
        )
        for queryset, fields in sources
        for field in fields
    ]
    # No ORDER BY: a compound query may not order by a model's default fields.
    return parts[0].union(*parts[1:], all=True).order_by()


def fallback_texts(strategy: Strategy, language: str) -> list[FallbackText]:
    """The texts of ``strategy``'s report that are not written in ``language``
    and will be shown in another one, in the order the report is built.

    One query, whatever the amount of data. Texts empty in every language
    are not listed: nothing is shown.
    """
    language = language[:2]
    order = {
        model._meta.label_lower: (index, fields)
        for index, (model, _lookup, fields) in enumerate(_REPORT_TEXTS)
    }
    result = []
    for label, pk, field, *values in report_text_rows(strategy):
        text = text_in(
            {f"fallback_{code}": value for code, value in zip(LANGUAGE_CODES, values, strict=True)},
            "fallback",
            language,
        )
        if text.is_fallback:
            result.append(FallbackText(label, pk, field, text.lang, text.value))

    def position(text: FallbackText) -> tuple[int, int, int]:
        # Organisations (not in the list) come last.
        index, fields = order.get(text.model, (len(order), (text.field,)))
        return (index, text.pk, fields.index(text.field))

    return sorted(result, key=position)
