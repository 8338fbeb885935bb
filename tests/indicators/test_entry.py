"""Entering values in the years-by-units grid: who may, what is accepted, with and without htmx."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from indicators.models import Indicator, Measurement, Target

pytestmark = pytest.mark.django_db


def _client(username: str) -> Client:

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _url(world: object, indicator: Indicator, year: int, unit: str, name: str = "measurement-edit") -> str:
    return reverse(name, args=[world.strategy.slug, indicator.pk, year, unit])  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1 234,5", Decimal("1234.5")), ("1\u00a0234,5", Decimal("1234.5")), ("1234.5", Decimal("1234.5")), ("2\u202f000", Decimal(2000))],
)
def test_head_enters_a_finnish_number_for_their_unit(world, visitors, typed: str, stored: Decimal) -> None:
    response = _client("head").post(_url(world, visitors, 2024, str(world.unit_a.pk)), {"value": typed})
    assert response.status_code == 302
    measurement = Measurement.objects.get(indicator=visitors, year=2024, unit=world.unit_a)
    assert measurement.value == stored
    assert measurement.entered_by == world.head
    assert measurement.entered_at is not None


def test_htmx_post_returns_the_indicator_body_with_new_status(world, visitors) -> None:
    client = _client("head")
    url = _url(world, visitors, 2025, str(world.unit_a.pk))
    response = client.post(url, {"value": "1600"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="indicator-body"')
    assert "<html" not in html
    assert "<svg" in html and "<title" in html
    assert "Entered by head" in html
    assert 'id="indicator-announce"' in html and 'hx-swap-oob="true"' in html and "2025" in html
    assert Measurement.objects.get(indicator=visitors, year=2025, unit=world.unit_a).value == Decimal(1600)


def test_saving_again_keeps_who_entered_unchanged_values(world, visitors) -> None:
    _client("head").post(_url(world, visitors, 2022, str(world.unit_a.pk)), {"value": "1 100,000"})
    assert Measurement.objects.get(indicator=visitors, year=2022, unit=world.unit_a).entered_by is None


def test_empty_value_removes_the_measurement(world, visitors) -> None:
    _client("head").post(_url(world, visitors, 2022, str(world.unit_a.pk)), {"value": "", "version": "1"})
    assert not Measurement.objects.filter(indicator=visitors, year=2022, unit=world.unit_a).exists()


@pytest.mark.parametrize("typed", ["abc", "12,3,4", "=1+1", "1e9"])
def test_bad_number_is_refused_with_a_message_next_to_the_field(world, visitors, typed: str) -> None:
    response = _client("head").post(_url(world, visitors, 2024, str(world.unit_a.pk)), {"value": typed})
    assert response.status_code == 422
    assert "Enter a number" in response.content.decode() or "Syötä luku" in response.content.decode()
    assert not Measurement.objects.filter(indicator=visitors, year=2024).exists()


def test_bad_number_over_htmx_shows_the_error_in_the_grid(world, visitors) -> None:
    response = _client("head").post(
        _url(world, visitors, 2024, str(world.unit_a.pk)), {"value": "lots"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 422  # invalid input; htmx swaps it in by configuration
    assert 'aria-invalid="true"' in html and 'value="lots"' in html
    assert not Measurement.objects.filter(indicator=visitors, year=2024).exists()


@pytest.mark.parametrize("typed", ["100,1", "-1"])
def test_percentage_outside_0_to_100_is_refused(world, satisfaction, typed: str) -> None:
    response = _client("owner").post(_url(world, satisfaction, 2024, "total"), {"value": typed})
    assert response.status_code == 422
    assert "0" in response.content.decode() and "100" in response.content.decode()
    assert not Measurement.objects.filter(indicator=satisfaction, year=2024).exists()


def test_percentage_inside_range_is_saved(world, satisfaction) -> None:
    _client("owner").post(_url(world, satisfaction, 2024, "total"), {"value": "99,5 %"})
    assert Measurement.objects.get(indicator=satisfaction, year=2024).value == Decimal("99.5")


def test_owner_enters_totals_and_targets(world, satisfaction) -> None:
    client = _client("owner")
    client.post(_url(world, satisfaction, 2023, "total"), {"value": "75"})
    client.post(_url(world, satisfaction, 2024, "total", "target-edit"), {"value": "80"})
    assert Measurement.objects.get(indicator=satisfaction, year=2023, unit=None).value == 75
    assert Target.objects.get(indicator=satisfaction, year=2024, unit=None).value == 80


def test_head_may_not_enter_totals_or_targets(world, satisfaction, visitors) -> None:
    client = _client("head")
    assert client.post(_url(world, satisfaction, 2023, "total"), {"value": "75"}).status_code == 403
    assert client.post(_url(world, visitors, 2024, str(world.unit_a.pk), "target-edit"), {"value": "9"}).status_code == 403
    assert not Measurement.objects.filter(indicator=satisfaction, year=2023).exists()
    assert not Target.objects.filter(indicator=visitors, year=2024).exists()


def test_head_of_other_unit_is_refused_and_nothing_changes(world, visitors) -> None:
    response = _client("otherhead").post(_url(world, visitors, 2022, str(world.unit_a.pk)), {"value": "5"})
    assert response.status_code == 403
    assert Measurement.objects.get(indicator=visitors, year=2022, unit=world.unit_a).value == 1100


@pytest.mark.parametrize("username", ["staff", "viewer"])
def test_staff_and_viewers_may_not_enter_values(world, visitors, username: str) -> None:
    response = _client(username).post(_url(world, visitors, 2024, str(world.unit_a.pk)), {"value": "5"})
    assert response.status_code == 403
    assert not Measurement.objects.filter(indicator=visitors, year=2024).exists()


def test_unseen_draft_strategy_gives_404(world, visitors) -> None:
    world.strategy.status = "draft"
    world.strategy.save()
    from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

    stranger = UserFactory(username="stranger")
    MembershipFactory(user=stranger, organisation=OrganisationFactory(slug="muu"), role="head")
    response = _client("stranger").post(_url(world, visitors, 2024, str(world.unit_a.pk)), {"value": "5"})
    assert response.status_code == 404
    assert not Measurement.objects.filter(indicator=visitors, year=2024).exists()


def test_year_outside_period_and_foreign_unit_give_404(world, visitors) -> None:
    from tests.factories import OrganisationFactory

    client = _client("owner")
    assert client.post(_url(world, visitors, 2030, "total"), {"value": "5"}).status_code == 404
    elsewhere = OrganisationFactory(slug="elsewhere")
    assert client.post(_url(world, visitors, 2024, str(elsewhere.pk)), {"value": "5"}).status_code == 404
    assert client.post(_url(world, visitors, 2024, "abc"), {"value": "5"}).status_code == 404
    assert not Measurement.objects.filter(indicator=visitors, year__in=[2024, 2030]).exists()


def test_form_page_works_without_javascript(world, visitors) -> None:
    client = _client("head")
    url = _url(world, visitors, 2022, str(world.unit_a.pk))
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="1100"' in page.content.decode()
    assert 'for="id_value"' in page.content.decode()
