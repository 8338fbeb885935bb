"""Strategy owners keep the organisation tree below their node without the
admin: add, rename, move (with the whole subtree) and dissolve nodes, under an
optimistic lock and with history."""

from __future__ import annotations

import datetime

import pytest
from django.db.models.query import QuerySet
from django.test import Client
from django.urls import reverse

from strategy import services_people as services
from strategy.models import AnnualPlan, Membership, Organisation
from strategy.models.organisation import path_step
from tests.factories import AnnualPlanFactory, OrganisationFactory

HTMX = {"HX-Request": "true"}


@pytest.fixture
def owner_client(world) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.owner)
    return client


def names(**values: str) -> dict[str, str]:
    data = {"name_fi": "", "name_sv": "", "name_en": "", "short_name_fi": "", "short_name_sv": "", "short_name_en": ""}
    data.update(values)
    return data


def test_tree_shows_the_subtree_with_kinds_status_and_people(world, owner_client, django_assert_max_num_queries) -> None:
    Organisation.objects.filter(pk=world.unit_b.pk).update(is_active=False, dissolved_on=datetime.date(2025, 1, 31))
    for n in range(5):
        OrganisationFactory(name=f"Lähikirjasto {n}", parent=world.unit_a)
    with django_assert_max_num_queries(12):
        response = owner_client.get(reverse("organisation-tree", args=[world.sector.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kulttuurin edistäminen" in html and "Service area" in html and "Lähikirjasto 4" in html
    assert "Testikaupunki" not in html  # the owner's parent is not theirs
    assert "2 people" in html  # head and staff of the library
    assert "Dissolved" in html
    # The nodes nest as the tree does.
    assert html.index("Kirjasto") < html.index("Lähikirjasto 0")
    only_active = owner_client.get(reverse("organisation-tree", args=[world.sector.slug]) + "?active=1", headers=HTMX)
    assert 'id="organisation-tree"' in only_active.content.decode()
    assert "Museo" not in only_active.content.decode() and "<html" not in only_active.content.decode()


def test_query_count_does_not_grow_with_the_tree(world, owner_client, django_assert_max_num_queries) -> None:
    for n in range(30):
        OrganisationFactory(name=f"Yksikkö {n}", parent=world.service_area)
    with django_assert_max_num_queries(12):
        assert owner_client.get(reverse("organisation-tree", args=[world.sector.slug])).status_code == 200


def test_owner_adds_a_unit_with_names_per_language_and_a_unique_slug(world, owner_client) -> None:
    OrganisationFactory(name="Nuorisotyö", slug="nuorisotyo")
    url = reverse("organisation-create", args=[world.sector.slug])
    response = owner_client.post(url, {**names(name_fi="Nuorisotyö", name_sv="Ungdomsarbete"), "kind": "service_area"})
    assert response.status_code == 302
    created = Organisation.objects.get(name_fi="Nuorisotyö", parent=world.sector)
    assert created.slug == "nuorisotyo-2"
    assert (created.name_sv, created.kind, created.is_active) == ("Ungdomsarbete", "service_area", True)
    assert created.path == world.sector.path + path_step(created.pk)
    history = created.history.get()
    assert history.history_type == "+" and history.history_user == world.owner


def test_a_unit_needs_a_name_in_some_language_and_htmx_gets_the_form_back(world, owner_client) -> None:
    url = reverse("organisation-create", args=[world.sector.slug])
    before = Organisation.objects.count()
    response = owner_client.post(url, {**names(), "kind": "unit"}, headers=HTMX)
    assert response.status_code == 422
    assert "at least one language" in response.content.decode() and "<html" not in response.content.decode()
    response = owner_client.post(url, {**names(name_sv="Bibliotek"), "kind": "unit"}, headers=HTMX)
    assert response.status_code == 200 and response["HX-Redirect"].startswith(reverse("organisation-tree", args=["kulttuuri"]))
    assert Organisation.objects.count() == before + 1
    assert Organisation.objects.get(name_sv="Bibliotek").slug == "bibliotek"


def test_no_unit_is_added_under_a_dissolved_one(world, owner_client) -> None:
    Organisation.objects.filter(pk=world.unit_b.pk).update(is_active=False)
    response = owner_client.post(reverse("organisation-create", args=[world.unit_b.slug]), {**names(name_fi="X"), "kind": "unit"})
    assert response.status_code == 409
    assert not Organisation.objects.filter(name_fi="X").exists()


def test_owner_renames_their_own_node_but_not_its_kind(world, owner_client) -> None:
    url = reverse("organisation-edit", args=[world.sector.slug])
    assert 'name="kind"' not in owner_client.get(url).content.decode()
    response = owner_client.post(url, {**names(name_fi="Kulttuuri- ja vapaa-aikapalvelut"), "kind": "city", "version": "1"})
    assert response.status_code == 302
    sector = Organisation.objects.get(pk=world.sector.pk)
    assert (sector.name_fi, sector.kind, sector.version) == ("Kulttuuri- ja vapaa-aikapalvelut", "sector", 2)
    assert sector.slug == "kulttuuri"  # addresses stay
    record = sector.history.first()
    assert record.history_user == world.owner and record.name_fi == "Kulttuuri- ja vapaa-aikapalvelut"


def test_owner_changes_the_kind_of_a_node_below(world, owner_client) -> None:
    url = reverse("organisation-edit", args=[world.unit_a.slug])
    response = owner_client.post(url, {**names(name_fi="Kaupunginkirjasto"), "kind": "service_area", "version": "1"})
    assert response.status_code == 302
    assert Organisation.objects.get(pk=world.unit_a.pk).kind == "service_area"


def test_stale_edit_is_refused_with_who_saved_and_when(world, owner_client) -> None:
    url = reverse("organisation-edit", args=[world.unit_a.slug])
    coowner = Client()
    other = Membership.objects.create(user=world.otherhead, organisation=world.sector, role="owner").user
    coowner.force_login(other)
    assert coowner.post(url, {**names(name_fi="Pääkirjasto"), "kind": "unit", "version": "1"}).status_code == 302
    response = owner_client.post(url, {**names(name_fi="Kaupunginkirjasto"), "kind": "unit", "version": "1"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "someone else changed this" in html and "otherhead" in html
    assert "Pääkirjasto" in html and "Kaupunginkirjasto" in html
    assert 'name="version" value="2"' in html  # saving again replaces theirs knowingly
    library = Organisation.objects.get(pk=world.unit_a.pk)
    assert (library.name_fi, library.version) == ("Pääkirjasto", 2)
    htmx = owner_client.post(url, {**names(name_fi="Kaupunginkirjasto"), "kind": "unit", "version": "1"}, headers=HTMX)
    assert htmx.status_code == 409 and "<html" not in htmx.content.decode()


def test_move_carries_the_whole_subtree_and_updates_every_path(world, owner_client) -> None:
    branch = OrganisationFactory(name="Lähikirjasto", parent=world.unit_a)
    corner = OrganisationFactory(name="Lukunurkka", parent=branch)
    sport = OrganisationFactory(name="Liikunta", kind="service_area", parent=world.sector)
    response = owner_client.post(
        reverse("organisation-move", args=[world.unit_a.slug]), {"parent": sport.pk, "version": "1"}
    )
    assert response.status_code == 302
    library, branch, corner = (Organisation.objects.get(pk=o.pk) for o in (world.unit_a, branch, corner))
    assert library.parent_id == sport.pk
    assert library.path == sport.path + path_step(library.pk)
    assert branch.path == library.path + path_step(branch.pk)
    assert corner.path == branch.path + path_step(corner.pk)
    assert library.version == 2 and library.history.first().history_user == world.owner
    # The people of the subtree come along: the head still heads the library.
    assert Organisation.objects.below(sport).filter(memberships__user=world.head).exists()


def test_move_under_itself_or_its_own_descendant_is_refused(world, owner_client) -> None:
    branch = OrganisationFactory(name="Lähikirjasto", parent=world.unit_a)
    url = reverse("organisation-move", args=[world.service_area.slug])
    form = owner_client.get(url).content.decode()
    assert f'value="{branch.pk}"' not in form and f'value="{world.unit_a.pk}"' not in form
    for target in (world.service_area, world.unit_a, branch):
        assert owner_client.post(url, {"parent": target.pk, "version": "1"}).status_code == 422
    with pytest.raises(services.PeopleError):
        services.organisation_move(organisation=world.service_area, parent=branch, expected_version=1, user=world.owner)
    assert Organisation.objects.get(pk=world.service_area.pk).parent_id == world.sector.pk


def test_move_only_inside_the_owners_scope(world, owner_client) -> None:
    elsewhere = OrganisationFactory(name="Muu sektori", kind="sector", parent=world.city)
    url = reverse("organisation-move", args=[world.unit_a.slug])
    assert owner_client.post(url, {"parent": elsewhere.pk, "version": "1"}).status_code == 422
    assert owner_client.post(url, {"parent": world.city.pk, "version": "1"}).status_code == 422
    assert Organisation.objects.get(pk=world.unit_a.pk).parent_id == world.service_area.pk


def test_a_failure_midway_through_a_move_changes_no_path(world, monkeypatch) -> None:
    for n in range(3):
        OrganisationFactory(name=f"Lähikirjasto {n}", parent=world.unit_a)
    sport = OrganisationFactory(name="Liikunta", kind="service_area", parent=world.sector)
    before = list(Organisation.objects.order_by("pk").values_list("pk", "path", "parent_id", "version"))
    real_update = QuerySet.update
    calls = {"n": 0}

    def failing_update(self, **kwargs):  # type: ignore[no-untyped-def]
        if "path" in kwargs:
            calls["n"] += 1
            if calls["n"] == 3:  # the node and one child moved already
                raise RuntimeError("the database went away")
        return real_update(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", failing_update)
    with pytest.raises(RuntimeError):
        services.organisation_move(organisation=world.unit_a, parent=sport, expected_version=1, user=world.owner)
    monkeypatch.setattr(QuerySet, "update", real_update)
    assert calls["n"] == 3
    assert list(Organisation.objects.order_by("pk").values_list("pk", "path", "parent_id", "version")) == before


def test_stale_move_is_refused(world, owner_client) -> None:
    Organisation.objects.filter(pk=world.unit_a.pk).update(version=2)
    response = owner_client.post(
        reverse("organisation-move", args=[world.unit_a.slug]), {"parent": world.sector.pk, "version": "1"}
    )
    assert response.status_code == 409 and "someone else changed it" in response.content.decode()
    assert Organisation.objects.get(pk=world.unit_a.pk).parent_id == world.service_area.pk


def test_dissolve_takes_the_subtree_and_deletes_nothing(world, owner_client) -> None:
    plan = AnnualPlanFactory(strategy=world.strategy, unit=world.unit_a, year=2026)
    url = reverse("organisation-dissolve", args=[world.service_area.slug])
    page = owner_client.get(url).content.decode()
    assert "Kirjasto" in page and "Museo" in page  # says what goes with it
    count = Organisation.objects.count()
    response = owner_client.post(url, {"dissolved_on": "2026-06-30", "version": "1"})
    assert response.status_code == 302
    for org in (world.service_area, world.unit_a, world.unit_b):
        org.refresh_from_db()
        assert (org.is_active, org.dissolved_on) == (False, datetime.date(2026, 6, 30))
        assert org.history.first().history_user == world.owner
    assert Organisation.objects.count() == count
    assert AnnualPlan.objects.filter(pk=plan.pk).exists()
    assert Membership.objects.filter(user=world.head, organisation=world.unit_a).exists()
    assert not Membership.objects.for_user(world.head).exists()  # but no access through it
    assert Organisation.objects.get(pk=world.sector.pk).is_active
    # Dissolving again is refused; so is a stale version.
    assert owner_client.post(url, {"dissolved_on": "2026-07-01", "version": "2"}).status_code == 409
    assert owner_client.post(url, {"dissolved_on": "2026-07-01", "version": "1"}).status_code == 409
    assert Organisation.objects.get(pk=world.unit_a.pk).dissolved_on == datetime.date(2026, 6, 30)


def test_owner_cannot_move_or_dissolve_their_own_node_or_reach_above_it(world, owner_client) -> None:
    for name in ("organisation-move", "organisation-dissolve"):
        assert owner_client.get(reverse(name, args=[world.sector.slug])).status_code == 404
        assert owner_client.post(reverse(name, args=[world.sector.slug]), {"version": "1"}).status_code == 404
    for name in ("organisation-tree", "organisation-edit", "organisation-create", "people-list"):
        assert owner_client.get(reverse(name, args=[world.city.slug])).status_code == 404


def test_index_leads_an_owner_of_one_node_to_its_tree(world, owner_client) -> None:
    response = owner_client.get(reverse("organisation-index"))
    assert response.status_code == 302 and response["Location"] == reverse("organisation-tree", args=["kulttuuri"])
    second = OrganisationFactory(name="Toinen kaupunki", kind="city")
    Membership.objects.create(user=world.owner, organisation=second, role="owner")
    listing = owner_client.get(reverse("organisation-index")).content.decode()
    assert "Toinen kaupunki" in listing and "Kulttuuri ja vapaa-aika" in listing


def test_owners_reach_the_pages_from_home_and_others_do_not_see_the_link(world, owner_client) -> None:
    assert reverse("organisation-index") in owner_client.get("/").content.decode()
    head = Client()
    head.force_login(world.head)
    assert reverse("organisation-index") not in head.get("/").content.decode()


def test_siblings_keep_the_order_they_were_added_across_a_digit_boundary(world) -> None:
    """Ordering by path lists a tree depth first; with unpadded keys unit 100000
    sorted before unit 99999, so heat maps and pickers shuffled their units."""
    Organisation.objects.filter(pk=world.unit_b.pk).delete()
    first = OrganisationFactory(name="Yhdeksäs", parent=world.service_area, pk=99_999)
    second = OrganisationFactory(name="Kymmenes", parent=world.service_area, pk=100_000)
    below = list(Organisation.objects.filter(parent=world.service_area).order_by("path"))
    assert below.index(first) < below.index(second)
    assert second.ancestor_ids == [*world.service_area.ancestor_ids, 100_000]
