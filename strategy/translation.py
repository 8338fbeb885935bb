"""Fields people write, stored per language (fi/sv/en) with a fallback."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    Action,
    FocusArea,
    Goal,
    Organisation,
    Perspective,
    Section,
    SpearheadProgramme,
    StrategicChoice,
    Strategy,
    SustainableDevelopmentGoal,
    TargetState,
    TradeOff,
)


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name", "short_name")


@register(Strategy)
class StrategyTranslation(TranslationOptions):
    fields = ("title", "motto", "purpose", "vision", "introduction")


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
