from modeltranslation.translator import TranslationOptions, register
from simple_history import register as history_register

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


# The history of the model editor's changes. Registered here, after the
# translation fields exist, so that the history keeps each language's text
# (HistoricalRecords on the models would be built before modeltranslation adds
# the per-language columns, and saving would then fail).
for _model in (MaturityModel, Level, Dimension, Criterion):
    history_register(_model)
