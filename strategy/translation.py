"""Fields people write, stored per language (fi/sv/en) with a fallback."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as history_register

from .models import (
    Action,
    FocusArea,
    Goal,
    Membership,
    Objective,
    Organisation,
    Perspective,
    Principle,
    Section,
    SpearheadProgramme,
    Stakeholder,
    StrategicChoice,
    Strategy,
    SustainableDevelopmentGoal,
    TargetState,
    TradeOff,
    Vision,
)

# Links whose changes belong in the history too.
_HISTORY_M2M = {
    Action: ("responsible_units", "sdgs"),
    SpearheadProgramme: ("goals", "focus_areas", "actions"),
    Stakeholder: ("goals", "actions"),
}


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name", "short_name")


@register(Strategy)
class StrategyTranslation(TranslationOptions):
    fields = ("title", "motto", "purpose", "introduction", "decision_body")


@register(Section)
class SectionTranslation(TranslationOptions):
    fields = ("title", "body")


@register(TargetState)
class TargetStateTranslation(TranslationOptions):
    fields = ("title", "body")


@register(StrategicChoice)
class StrategicChoiceTranslation(TranslationOptions):
    fields = ("theme", "question", "invest_in", "more_than", "summary")


@register(TradeOff)
class TradeOffTranslation(TranslationOptions):
    fields = ("invest_in", "more_than")


@register(Perspective)
class PerspectiveTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Goal)
class GoalTranslation(TranslationOptions):
    fields = ("title", "description")


@register(SpearheadProgramme)
class SpearheadProgrammeTranslation(TranslationOptions):
    fields = ("name", "description")


@register(FocusArea)
class FocusAreaTranslation(TranslationOptions):
    fields = ("title", "description")


@register(SustainableDevelopmentGoal)
class SustainableDevelopmentGoalTranslation(TranslationOptions):
    fields = ("name",)


@register(Action)
class ActionTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Vision)
class VisionTranslation(TranslationOptions):
    fields = ("label", "text")


@register(Principle)
class PrincipleTranslation(TranslationOptions):
    fields = ("title", "description", "points")


@register(Objective)
class ObjectiveTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Stakeholder)
class StakeholderTranslation(TranslationOptions):
    fields = ("name", "role")


# History of every change to a strategy and its parts, organisations and
# memberships. Registered here, after the translation fields exist, so that the
# history tables keep each language's text (a model's own HistoricalRecords
# would be built before modeltranslation adds the per-language columns).
for _model in (
    Organisation,
    Membership,
    Strategy,
    Section,
    Vision,
    Principle,
    TargetState,
    StrategicChoice,
    TradeOff,
    Perspective,
    Goal,
    Objective,
    SpearheadProgramme,
    FocusArea,
    Action,
    Stakeholder,
):
    history_register(_model, app="strategy", m2m_fields=_HISTORY_M2M.get(_model, ()))
