"""One status policy on the report pages: 404 for what a person may not
see, 403 for what they see but may not do; a refused request changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from reports.models import Report
from strategy.models import Organisation, Role, Strategy
from tests.factories import MembershipFactory, OrganisationFactory, StrategyFactory, UserFactory

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def state() -> list[tuple[object, ...]]:
    return list(Report.objects.order_by("pk").values_list("pk", "version", "status", "published"))


@pytest.fixture
def reports(world) -> dict[str, Report]:
    done = {"status": Report.Status.DONE, "file": "reports/x.pdf", "sha256": "0" * 64}
    return {
        "strategy": Report.objects.create(strategy=world.strategy, year=2024, language="fi", **done),
        "library": Report.objects.create(strategy=world.strategy, unit=world.unit_a, year=2024, language="fi", **done),
    }


@pytest.fixture
def outsider(world):
    """The owner of another city's draft strategy, who sees nothing of the world's drafts."""
    city = OrganisationFactory(kind=Organisation.Kind.CITY, name="Muukaupunki", slug="muukaupunki")
    StrategyFactory(organisation=city, status=Strategy.Status.DRAFT, slug="muu")
    user = UserFactory(username="outsider")
    MembershipFactory(user=user, organisation=city, role=Role.OWNER)
    return user


def test_ordering_is_404_for_the_unseeing_and_403_for_readers(world, outsider) -> None:
    Strategy.objects.filter(pk=world.strategy.pk).update(status=Strategy.Status.DRAFT)
    url = reverse("report-order", args=[world.strategy.slug])
    payload = {"year": 2024, "to_year": "", "language": "fi", "unit": ""}
    assert client_for(outsider).post(url, payload).status_code == 404
    # Staff read the strategy's reports but order none.
    assert client_for(world.staff).post(url, payload).status_code == 403
    assert client_for(world.viewer).post(url, payload).status_code == 403
    assert state() == []


def test_render_again_is_404_for_another_unit_and_403_for_readers(world, reports) -> None:
    before = state()
    library = reverse("report-reorder", args=[world.strategy.slug, reports["library"].pk])
    whole = reverse("report-reorder", args=[world.strategy.slug, reports["strategy"].pk])
    assert client_for(world.otherhead).post(library).status_code == 404
    assert client_for(world.staff).post(library).status_code == 403
    assert client_for(world.viewer).post(whole).status_code == 403
    assert client_for(world.head).post(whole).status_code == 403
    assert state() == before
    # The library's head renders the library's report again.
    assert client_for(world.head).post(library).status_code == 302
    assert Report.objects.filter(unit=world.unit_a).count() == 2


def test_publishing_is_404_for_another_unit_and_403_for_readers(world, reports) -> None:
    before = state()
    library = reverse("report-publish", args=[world.strategy.slug, reports["library"].pk])
    whole = reverse("report-publish", args=[world.strategy.slug, reports["strategy"].pk])
    assert client_for(world.otherhead).post(library, {"published": "1"}).status_code == 404
    assert client_for(world.head).post(library, {"published": "1"}).status_code == 403
    assert client_for(world.viewer).post(whole, {"published": "1"}).status_code == 403
    assert state() == before
    assert client_for(world.owner).post(whole, {"published": "1"}).status_code == 302
    assert Report.objects.get(pk=reports["strategy"].pk).published


def test_report_querysets_answer_who_publishes(world, reports, outsider) -> None:
    def ids(user: object) -> set[int]:
        return set(Report.objects.publishable_by(user).values_list("pk", flat=True))

    assert ids(world.owner) == {reports["strategy"].pk, reports["library"].pk}
    assert ids(world.head) == set()
    assert ids(world.viewer) == set()
    assert ids(outsider) == set()
