"""The accessibility statement shows everything the Act on the Provision of
Digital Services asks for, read from settings and the database, in Finnish
and in Swedish."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import formats, translation

from accessibility.models import Compliance, KnownProblem, Statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def configured(settings):  # type: ignore[no-untyped-def]
    settings.SUUNTA_ACCESSIBILITY_OPERATOR = "Testikaupungin kulttuuritoimiala"
    settings.SUUNTA_ACCESSIBILITY_FEEDBACK_EMAIL = "saavutettavuus@testikaupunki.fi"
    settings.SUUNTA_ACCESSIBILITY_AUTHORITY_URL = "https://valvonta.example.fi/saavutettavuus/"
    settings.SUUNTA_ACCESSIBILITY_AUTHORITY_NAME = "Valvontavirasto"
    return settings


def test_seeded_statement_is_partially_compliant_with_known_problems() -> None:
    statement = Statement.objects.current()
    assert statement.compliance == Compliance.PARTIAL
    problems = list(KnownProblem.objects.all())
    assert len(problems) >= 3
    assert all(problem.title_fi and problem.title_sv and problem.title_en for problem in problems)
    assert all(
        problem.reason_fi and problem.reason_sv and problem.workaround_sv for problem in problems
    )


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_statement_shows_every_element_the_law_asks_for(client, configured, language: str) -> None:
    Statement.objects.filter(pk=1).update(
        compliance=Compliance.NOT,
        prepared_on=datetime.date(2025, 3, 4),
        reviewed_on=datetime.date(2026, 10, 15),
    )
    response = client.get(reverse("accessibility"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    statement = Statement.objects.current()
    with translation.override(language):
        assert str(Compliance.NOT.label) in html
        assert formats.date_format(statement.prepared_on, "DATE_FORMAT") in html
        assert formats.date_format(statement.reviewed_on, "DATE_FORMAT") in html
    assert "Testikaupungin kulttuuritoimiala" in html
    for problem in KnownProblem.objects.all():
        for name in ("title", "reason", "workaround"):
            text = getattr(problem, f"{name}_{language}")
            assert text in html, f"{name} of {problem.pk} in {language}"
    assert getattr(statement, f"assessment_{language}") in html
    assert 'href="mailto:saavutettavuus@testikaupunki.fi"' in html
    assert 'href="https://valvonta.example.fi/saavutettavuus/"' in html
    assert "Valvontavirasto" in html
    assert "14" in html
    assert f'action="{reverse("accessibility-feedback-send")}"' in html


def test_statement_shows_a_problem_a_superuser_added_in_the_asked_language(client) -> None:
    KnownProblem.objects.create(
        title_fi="Karttanäkymä", title_sv="Kartvyn", reason_fi="Ei tekstiä", reason_sv="Ingen text"
    )
    html_sv = client.get(reverse("accessibility"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Kartvyn" in html_sv and "Ingen text" in html_sv
    assert "Karttanäkymä" not in html_sv


def test_statement_names_the_page_the_footer_link_came_from(client) -> None:
    response = client.get(reverse("accessibility") + "?page=/strategies/kulttuuristrategia/")
    assert 'value="/strategies/kulttuuristrategia/"' in response.content.decode()


def test_statement_page_query_count_does_not_grow_with_the_problems(
    client, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(2):
        client.get(reverse("accessibility"))
    for number in range(20):
        KnownProblem.objects.create(title_fi=f"Ongelma {number}", reason_fi="Syy")
    with django_assert_max_num_queries(2):
        client.get(reverse("accessibility"))
