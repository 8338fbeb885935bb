from modeltranslation.translator import TranslationOptions, register

from .models import Criterion, Dimension, Level, MaturityModel


@register(MaturityModel)
class MaturityModelTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Level)
class LevelTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Dimension)
class DimensionTranslation(TranslationOptions):
    fields = ("title",)


@register(Criterion)
class CriterionTranslation(TranslationOptions):
    fields = ("text",)
