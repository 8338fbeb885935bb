"""A superuser keeps the statement and reads the feedback in Suunta's own
pages; nobody else can (403 signed in, the sign-in page when not)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accessibility.models import Compliance, Feedback, KnownProblem, Statement
from strategy import clock
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):  # type: ignore[no-untyped-def]
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def _form_data(**overrides: str) -> dict[str, str]:
    problems = list(KnownProblem.objects.all())
    data = {
        "compliance": "partial",
        "prepared_on": "2026-11-29",
        "reviewed_on": "2026-12-01",
        "assessment_fi": "Arvioitu itse.",
        "assessment_sv": "Självbedömd.",
        "assessment_en": "Self-assessed.",
        "problems-TOTAL_FORMS": str(len(problems) + 1),
        "problems-INITIAL_FORMS": str(len(problems)),
        "problems-MIN_NUM_FORMS": "0",
        "problems-MAX_NUM_FORMS": "50",
    }
    for index, problem in enumerate(problems):
        data[f"problems-{index}-id"] = str(problem.pk)
        data[f"problems-{index}-order"] = str(problem.order)
        for name in ("title", "reason", "workaround"):
            for language in ("fi", "sv", "en"):
                data[f"problems-{index}-{name}_{language}"] = (
                    getattr(problem, f"{name}_{language}") or ""
                )
    # A browser sends the new (empty) form's order as it was shown.
    data[f"problems-{len(problems)}-order"] = "0"
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "url",
    [reverse("accessibility-edit"), reverse("accessibility-feedback-list")],
)
def test_only_a_superuser_opens_the_keeping_pages(client, world, superuser, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    for persona in (world.owner, world.head, world.viewer):
        client.force_login(persona)
        assert client.get(url).status_code == 403
    client.force_login(superuser)
    assert client.get(url).status_code == 200


def test_owner_cannot_change_the_statement(client, world) -> None:
    client.force_login(world.owner)
    response = client.post(reverse("accessibility-edit"), _form_data(compliance="full"))
    assert response.status_code == 403
    assert Statement.objects.current().compliance == Compliance.PARTIAL


def test_superuser_changes_status_dates_and_adds_a_problem(client, superuser) -> None:
    client.force_login(superuser)
    count = KnownProblem.objects.count()
    data = _form_data(compliance="full")
    data.update(
        {
            f"problems-{count}-order": "9",
            f"problems-{count}-title_fi": "Videot",
            f"problems-{count}-title_sv": "Videor",
            f"problems-{count}-reason_fi": "Ei tekstityksiä.",
        }
    )
    response = client.post(reverse("accessibility-edit"), data)
    assert response.status_code == 302
    statement = Statement.objects.current()
    assert statement.compliance == Compliance.FULL
    assert statement.reviewed_on == datetime.date(2026, 12, 1)
    assert KnownProblem.objects.filter(title_sv="Videor").exists()
    assert statement.history.count() >= 1
    assert (
        "Videor" in client.get(reverse("accessibility"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    )


def test_superuser_removes_a_fixed_problem(client, superuser) -> None:
    client.force_login(superuser)
    first = KnownProblem.objects.first()
    response = client.post(reverse("accessibility-edit"), _form_data(**{"problems-0-DELETE": "on"}))
    assert response.status_code == 302, response.context["problems"].errors
    assert not KnownProblem.objects.filter(pk=first.pk).exists()


def test_review_before_preparation_is_refused_and_nothing_changes(client, superuser) -> None:
    client.force_login(superuser)
    before = Statement.objects.current().reviewed_on
    response = client.post(
        reverse("accessibility-edit"), _form_data(reviewed_on="2020-01-01", compliance="full")
    )
    assert response.status_code == 422
    assert (
        "The review date cannot be before the date the statement was prepared."
        in response.content.decode()
    )
    statement = Statement.objects.current()
    assert (statement.reviewed_on, statement.compliance) == (before, Compliance.PARTIAL)


def test_problem_without_a_title_in_any_language_is_refused(client, superuser) -> None:
    client.force_login(superuser)
    count = KnownProblem.objects.count()
    data = _form_data()
    data[f"problems-{count}-reason_fi"] = "Syy ilman otsikkoa"
    response = client.post(reverse("accessibility-edit"), data)
    assert response.status_code == 422
    assert "Name the non-accessible content in at least one language." in response.content.decode()
    assert KnownProblem.objects.count() == count


def test_superuser_marks_feedback_answered_and_sees_the_date(client, superuser) -> None:
    feedback = Feedback.objects.create(message="Contrast is low", language="fi")
    client.force_login(superuser)
    response = client.post(reverse("accessibility-feedback-answered", args=[feedback.pk]))
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.answered_on == clock.today()
    html = client.get(reverse("accessibility-feedback-list")).content.decode()
    assert "Contrast is low" in html and "Not answered" in html


def test_owner_cannot_mark_feedback_answered(client, world) -> None:
    feedback = Feedback.objects.create(message="Contrast is low", language="fi")
    client.force_login(world.owner)
    assert (
        client.post(reverse("accessibility-feedback-answered", args=[feedback.pk])).status_code
        == 403
    )
    feedback.refresh_from_db()
    assert feedback.answered_on is None


def test_feedback_list_query_count_does_not_grow_with_the_feedback(
    client, superuser, django_assert_max_num_queries
) -> None:
    client.force_login(superuser)
    client.get(reverse("accessibility-feedback-list"))  # the session's first-request work
    Feedback.objects.create(message="One", language="fi")
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("accessibility-feedback-list")).status_code == 200
    Feedback.objects.bulk_create(Feedback(message=f"M{n}", language="sv") for n in range(40))
    with django_assert_max_num_queries(len(one)):
        assert client.get(reverse("accessibility-feedback-list")).status_code == 200
    assert len(one) <= 10
