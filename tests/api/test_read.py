"""Who reads what through the API: the pages' querysets, persona by persona."""

from __future__ import annotations

import pytest

from .conftest import PERSONAS

pytestmark = pytest.mark.django_db

LIST_URLS = [
    "/api/v1/organisations/",
    "/api/v1/strategies/",
    "/api/v1/plans/",
    "/api/v1/indicators/",
    "/api/v1/maturity-models/",
    "/api/v1/reports/",
]


@pytest.mark.parametrize("url", LIST_URLS)
def test_anonymous_gets_401_with_a_bearer_challenge(api_world, as_persona, url):
    response = as_persona("anonymous").get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"]


@pytest.mark.parametrize("url", LIST_URLS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_reads_every_list_as_json_pages(api_world, as_persona, url, persona):
    response = as_persona(persona).get(url)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}


def _slugs(client, url):
    return {row.get("slug") or row.get("id") for row in client.get(url).json()["results"]}


@pytest.mark.parametrize(
    ("persona", "sees_draft"),
    [("owner", True), ("head", True), ("staff", True), ("viewer", True), ("otherhead", False)],
)
def test_a_units_draft_strategy_is_listed_only_for_its_readers(
    api_world, as_persona, persona, sees_draft
):
    client = as_persona(persona)
    slugs = _slugs(client, "/api/v1/strategies/")
    assert "kulttuuristrategia" in slugs
    assert ("kirjasto-draft" in slugs) is sees_draft
    detail = client.get("/api/v1/strategies/kirjasto-draft/")
    assert detail.status_code == (200 if sees_draft else 404)


def test_head_of_other_unit_gets_404_on_draft_strategy(api_world, as_persona):
    assert as_persona("otherhead").get("/api/v1/strategies/kirjasto-draft/").status_code == 404


def test_strategy_detail_carries_every_kind_of_part(api_world, as_persona):
    body = as_persona("head").get("/api/v1/strategies/kulttuuristrategia/").json()
    for kind in [
        "visions",
        "principles",
        "sections",
        "target_states",
        "choices",
        "perspectives",
        "goals",
        "focus_areas",
        "actions",
        "stakeholders",
    ]:
        assert body[kind], kind
    assert body["goals"][0]["objectives"][0]["title"] == "Osatavoite 0 en"
    assert body["choices"][0]["trade_offs"][0]["invest_in"] == "Uuteen 0 en"
    action = next(a for a in body["actions"] if a["title"] == "Toimi 0 en")
    assert action["goal"] == body["goals"][0]["id"] and len(action["responsible_units"]) == 1
    assert body["shown_version"] is None  # never approved through the lifecycle: the working copy


def test_readers_outside_the_organisation_see_the_approved_version_not_later_edits(
    api_world, as_persona
):
    import datetime

    from strategy import versions
    from strategy.models import Organisation, Role, Vision
    from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

    from .conftest import token_client

    strategy = api_world.world.strategy
    strategy.refresh_from_db()
    versions.strategy_approve(
        strategy=strategy,
        user=api_world.world.owner,
        expected_version=strategy.version,
        expected_content=versions.content_sha256(versions.strategy_snapshot(strategy)),
        approved_on=datetime.date(2022, 6, 14),
        decision_body={"fi": "Kaupunginvaltuusto"},
        decision_reference="14.6.2022 § 57",
    )
    Vision.objects.filter(strategy=strategy).update(text_en="Unapproved wording")
    # A viewer of another sector reads approved strategies but none of this sector's drafts.
    other_sector = OrganisationFactory(
        name="Sivistys", slug="sivistys", kind=Organisation.Kind.SECTOR, parent=api_world.world.city
    )
    outsider = UserFactory(username="outsider")
    MembershipFactory(user=outsider, organisation=other_sector, role=Role.VIEWER)
    outside = token_client(outsider).get("/api/v1/strategies/kulttuuristrategia/").json()
    inside = as_persona("head").get("/api/v1/strategies/kulttuuristrategia/").json()
    assert outside["shown_version"] == 1
    assert [v["text"] for v in outside["visions"]] == ["Visio 0 en"]
    assert [v["text"] for v in inside["visions"]] == ["Unapproved wording"]
    assert inside["shown_version"] is None


@pytest.mark.parametrize(
    ("persona", "sees_a", "sees_b"),
    [
        ("owner", True, True),
        ("head", True, False),
        ("staff", True, False),
        ("otherhead", False, True),
        ("viewer", False, True),  # a viewer reads approved plans only
    ],
)
def test_plans_are_those_of_the_plan_pages(api_world, as_persona, persona, sees_a, sees_b):
    client = as_persona(persona)
    ids = _slugs(client, "/api/v1/plans/")
    assert (api_world.plan_a.pk in ids) is sees_a
    assert (api_world.plan_b.pk in ids) is sees_b
    assert client.get(f"/api/v1/plans/{api_world.plan_a.pk}/").status_code == (
        200 if sees_a else 404
    )
    assert client.get(f"/api/v1/plan-items/{api_world.item_a.pk}/").status_code == (
        200 if sees_a else 404
    )


def test_head_of_other_unit_gets_404_on_draft_plan(api_world, as_persona):
    client = as_persona("otherhead")
    assert client.get(f"/api/v1/plans/{api_world.plan_a.pk}/").status_code == 404
    assert client.get(f"/api/v1/plan-items/{api_world.item_a.pk}/").status_code == 404


def test_plan_detail_lists_items_with_their_versions_and_a_rollup(api_world, as_persona):
    body = as_persona("head").get(f"/api/v1/plans/{api_world.plan_a.pk}/").json()
    assert body["unit"] == api_world.world.unit_a.pk and body["status"] == "draft"
    assert [(i["id"], i["action_title"], i["version"]) for i in body["items"]] == [
        (api_world.item_a.pk, "Lukupiirit", 1)
    ]
    assert body["rollup"]["total"] == 1 and body["rollup"]["light"] in {
        "green",
        "amber",
        "red",
        "grey",
    }


def test_plans_filter_by_year_and_unit(api_world, as_persona):
    client = as_persona("owner")
    unit_a = api_world.world.unit_a.pk
    assert _slugs(client, f"/api/v1/plans/?unit={unit_a}") == {api_world.plan_a.pk}
    assert _slugs(client, "/api/v1/plans/?year=2025") == {api_world.plan_a.pk, api_world.plan_b.pk}
    assert _slugs(client, "/api/v1/plans/?year=2024") == set()
    assert _slugs(client, "/api/v1/plans/?strategy=kulttuuristrategia&status=approved") == {
        api_world.plan_b.pk
    }


def test_page_size_is_bounded(api_world, as_persona, settings):
    body = as_persona("owner").get("/api/v1/organisations/?page_size=1").json()
    assert len(body["results"]) == 1 and body["next"]
    big = as_persona("owner").get("/api/v1/organisations/?page_size=100000").json()
    assert len(big["results"]) == big["count"] <= settings.SUUNTA_API_MAX_PAGE_SIZE


@pytest.mark.parametrize(
    ("persona", "sees_unit_a"),
    [("owner", True), ("head", True), ("staff", True), ("viewer", True), ("otherhead", False)],
)
def test_organisations_are_those_the_person_works_in_or_reads_strategies_of(
    api_world, as_persona, persona, sees_unit_a
):
    slugs = _slugs(as_persona(persona), "/api/v1/organisations/")
    assert ("kirjasto" in slugs) is sees_unit_a
    assert "kulttuuri" in slugs  # the owner of the approved strategy
    assert "testikaupunki" not in slugs


@pytest.mark.parametrize("persona", PERSONAS)
def test_indicators_come_with_targets_and_values(api_world, as_persona, persona):
    body = as_persona(persona).get("/api/v1/indicators/?strategy=kulttuuristrategia").json()
    [indicator] = body["results"]
    assert indicator["name"] == "Visitors"
    assert [(t["year"], t["unit"], t["value"]) for t in indicator["targets"]] == [
        (2025, None, "1500.000000")
    ]
    assert [(v["year"], v["unit"]) for v in indicator["values"]] == [
        (2024, api_world.world.unit_a.pk)
    ]


def test_indicators_of_an_unseen_draft_strategy_are_404(api_world, as_persona):
    from indicators.models import Indicator

    hidden = Indicator.objects.create(strategy=api_world.draft_strategy, name_fi="Lainat")
    assert as_persona("otherhead").get(f"/api/v1/indicators/{hidden.pk}/").status_code == 404
    assert as_persona("head").get(f"/api/v1/indicators/{hidden.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("persona", "sees_unit_report"),
    [("owner", True), ("head", True), ("staff", True), ("viewer", True), ("otherhead", False)],
)
def test_reports_are_those_of_the_report_pages(api_world, as_persona, persona, sees_unit_report):
    client = as_persona(persona)
    ids = _slugs(client, "/api/v1/reports/")
    assert api_world.report_all.pk in ids
    assert (api_world.report_a.pk in ids) is sees_unit_report
    assert client.get(f"/api/v1/reports/{api_world.report_a.pk}/download/").status_code == (
        200 if sees_unit_report else 404
    )


def test_lists_filter_by_strategy(api_world, as_persona):
    client = as_persona("head")
    assert client.get("/api/v1/reports/?strategy=kirjasto-draft").json()["count"] == 0
    assert client.get("/api/v1/maturity-models/?strategy=kulttuuristrategia").json()["count"] == 1


def test_a_404_names_no_model_and_speaks_the_persons_language(api_world, as_persona):
    from django.utils import translation
    from rest_framework.exceptions import NotFound

    from strategy.models import Profile

    Profile.objects.create(user=api_world.world.otherhead, language="sv")
    response = as_persona("otherhead").get(f"/api/v1/plans/{api_world.plan_a.pk}/")
    assert response.status_code == 404
    assert response["Content-Language"] == "sv"
    with translation.override("sv"):
        assert response.json() == {"detail": str(NotFound.default_detail)}
