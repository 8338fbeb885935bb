"""The statement's texts per language (fi/sv/en), and their history."""

from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as history_register

from .models import KnownProblem, Statement


@register(Statement)
class StatementTranslation(TranslationOptions):
    fields = ("assessment",)


@register(KnownProblem)
class KnownProblemTranslation(TranslationOptions):
    fields = ("title", "reason", "workaround")


# Registered after the translation fields exist, so that the history keeps
# each language's text (as in strategy.translation).
for _model in (Statement, KnownProblem):
    history_register(_model, app="accessibility")
