"""Drop-downs with an empty choice show Suunta's own, translatable label,
not Django's "- Select an option -" (which has no Finnish or Swedish
translation and showed in English in those interfaces)."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation
from django.utils.translation import pgettext

from strategy.models import Organisation

pytestmark = pytest.mark.django_db

DJANGO_LABEL = "- Select an option -"


def _ours(language: str) -> str:
    with translation.override(language):
        return pgettext("empty choice of a drop-down list", "– Choose –")


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_model_choice_empty_label_is_suuntas_own(language: str) -> None:
    field = forms.ModelChoiceField(queryset=Organisation.objects.all(), required=False)
    with translation.override(language):
        first = str(next(iter(field.choices))[1])
    assert first == _ours(language)
    assert first != DJANGO_LABEL


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_model_field_blank_choice_is_suuntas_own(language: str) -> None:
    field = Organisation._meta.get_field("kind")
    with translation.override(language):
        choices = field.get_choices(include_blank=True)
        assert str(choices[0][1]) == _ours(language)


def test_plan_create_form_in_finnish_has_no_english_empty_choice(client, world) -> None:
    from django.urls import reverse

    client.force_login(world.owner)
    html = client.get(
        reverse("plan-create", args=[world.strategy.slug]), HTTP_ACCEPT_LANGUAGE="fi"
    ).content.decode()
    assert DJANGO_LABEL not in html
    assert _ours("fi") in html
