from modeltranslation.translator import TranslationOptions, register
from simple_history import register as history_register

from .models import Indicator, ScaleLevel


@register(Indicator)
class IndicatorTranslation(TranslationOptions):
    fields = ("name", "description", "unit_of_measure")


@register(ScaleLevel)
class ScaleLevelTranslation(TranslationOptions):
    fields = ("label",)


# The history of an indicator's definition and of its scale. Registered here,
# after the translation fields exist, so that the history keeps each
# language's text (HistoricalRecords on the model would be built before
# modeltranslation adds the per-language columns, and saving would then fail).
history_register(Indicator)
history_register(ScaleLevel)
