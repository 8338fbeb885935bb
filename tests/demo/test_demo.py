"""``load_demo``: idempotent, creates the personas with their memberships, the
seeds' organisations, parts and versions. The demo is loaded once for the
module (on the clock's date, as ``load_demo`` does) and each test reads or
changes it in a savepoint of its own; what only a first load into an empty
database shows is in ``test_demo_first_run``."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import AnonymousUser

from demo import heinola, helsinki, lappeenranta
from demo import pietarsaari as p
from demo.loader import STRATEGY_SLUGS
from indicators.models import Indicator
from maturity.models import Criterion, Dimension, Level
from strategy.models import (
    Action,
    Membership,
    Organisation,
    Role,
    Strategy,
    StrategyVersion,
    SustainableDevelopmentGoal,
)
from strategy.versions import has_changes_since, latest_version, overview_state, strategy_snapshot
from tests.demo_fixtures import demo_once_per_module

from .conftest import DEMO_PASSWORD, row_counts, run

demo = demo_once_per_module()
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_run_restores_edited_seed_text() -> None:
    action = Action.objects.get(strategy__slug=p.SLUG, number="3.3.2")
    original = action.title_fi
    action.title_fi = "Muutettu"
    action.save()

    run()

    action.refresh_from_db()
    assert action.title_fi == original


def test_a_second_run_reads_each_kind_of_row_once(django_assert_max_num_queries) -> None:
    """A run that finds everything in place reads each kind of row in one
    query, not a query per row (901 queries before, 109 since)."""
    with django_assert_max_num_queries(150):
        run()


def test_reset_reloads_the_same_amount_of_data() -> None:
    counts = {
        label: count
        for label, count in row_counts().items()
        if not label.split(".")[1].startswith("Historical")
    }

    run("--reset")

    after = {
        label: n
        for label, n in row_counts().items()
        if not label.split(".")[1].startswith("Historical")
    }
    assert after == counts


def test_prints_a_short_summary() -> None:
    out = run()
    assert "Demo data loaded" in out
    assert "/strategies/helsinki-digistrategia-2-0/" in out
    assert "suunta-demo" in out
    assert len(out.splitlines()) < 15


def test_personas_and_their_memberships() -> None:
    user_model = get_user_model()
    memberships = {
        (m.user.username, m.organisation.slug, m.role)
        for m in Membership.objects.select_related("user", "organisation")
    }
    assert ("owner", p.SECTOR, Role.OWNER) in memberships
    assert ("head", p.LIBRARY, Role.HEAD) in memberships
    assert ("staff", p.LIBRARY, Role.STAFF) in memberships
    assert ("otherhead", p.MUSEUM, Role.HEAD) in memberships
    assert ("viewer", p.SECTOR, Role.VIEWER) in memberships
    owner_viewer_of = {
        slug for user, slug, role in memberships if user == "owner" and role == Role.VIEWER
    }
    assert owner_viewer_of == {
        "lahden-museot",
        "lappeenranta",
        "helsinki-kulttuuripalvelut",
        "heinolan-museot",
    }

    owner = user_model.objects.get(username="owner")
    assert owner.first_name and owner.last_name
    assert owner.email == "owner@example.fi"
    assert authenticate(username="owner", password=DEMO_PASSWORD) == owner
    # Signing in keeps the stored hash, so the next run has nothing to undo.
    assert "0 rows created, 0 updated" in run()
    # Everyone shares the one password (and the one hash).
    personas = user_model.objects.filter(
        username__in=["owner", "head", "staff", "otherhead", "viewer"]
    )
    assert len({user.password for user in personas}) == 1
    assert not user_model.objects.filter(is_superuser=True).exists()
    assert (
        user_model.objects.filter(memberships__organisation__slug=p.LIBRARY).distinct().count() >= 5
    )


def test_owner_sees_all_five_seeds_including_the_helsinki_draft() -> None:
    owner = get_user_model().objects.get(username="owner")
    visible = set(Strategy.objects.visible_to(owner).values_list("slug", flat=True))
    assert visible == set(STRATEGY_SLUGS)
    assert Strategy.objects.get(slug="helsinki-digistrategia-2-0").status == Strategy.Status.DRAFT
    head = get_user_model().objects.get(username="head")
    assert "helsinki-digistrategia-2-0" not in set(
        Strategy.objects.visible_to(head).values_list("slug", flat=True)
    )


def test_admin_account_only_on_request(monkeypatch) -> None:
    monkeypatch.setenv("SUUNTA_DEMO_ADMIN", "False")
    run()
    assert not get_user_model().objects.filter(username="admin").exists()

    monkeypatch.setenv("SUUNTA_DEMO_ADMIN", "True")
    out = run()
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert "Superuser" in out


def test_pietarsaari_organisation_tree() -> None:
    sector = Organisation.objects.get(slug=p.SECTOR)
    assert sector.kind == Organisation.Kind.SECTOR
    assert sector.parent.name_fi == "Pietarsaaren kaupunki"
    assert sector.parent.name_sv == "Jakobstads stad"
    areas = list(sector.children.order_by("pk").values_list("name_fi", flat=True))
    assert areas == [
        "Hallintopalvelut",
        "Kulttuurin edistämisen palvelut",
        "Liikunta ja nuoriso",
        "Koulutus",
    ]
    units = set(Organisation.objects.below(sector).units().values_list("name_fi", flat=True))
    assert units == {
        "Kirjastopalvelut",
        "Museo",
        "Yleinen kulttuuripalvelu",
        "Liikuntapalvelut",
        "Nuorisopalvelut",
        "Ruotsinkielinen työväenopisto (Arbis)",
        "Suomenkielinen työväenopisto",
        "Wava-instituutti",
    }
    lahti_units = Organisation.objects.filter(
        parent__slug="lahden-museot", kind=Organisation.Kind.UNIT
    )
    assert lahti_units.count() == 4


def test_every_bullet_of_the_focus_areas_is_an_action() -> None:
    counts = {
        number: Action.objects.filter(strategy__slug=p.SLUG, focus_area__number=number).count()
        for number in ["3.1", "3.2", "3.3", "3.4", "3.5"]
    }
    assert counts == {"3.1": 4, "3.2": 4, "3.3": 3, "3.4": 5, "3.5": 3}
    youth = Action.objects.filter(strategy__slug=p.SLUG, focus_area__number="3.3")
    assert all(a.responsible_units.filter(slug=p.YOUTH).exists() for a in youth)
    assert all(a.start_year == 2022 and a.end_year == 2027 for a in youth)


def test_steering_table_and_indicators() -> None:
    names = list(
        Indicator.objects.filter(strategy__slug=p.SLUG)
        .order_by("order")
        .values_list("name_fi", flat=True)
    )
    assert names == [
        "Kävijämäärä",
        "Asiakastyytyväisyys",
        "Kävijämäärät sosiaalinen media",
        "Hyte-mittarit",
        "Agenda 2030",
        "Käyttöaste/toimivuus",
    ]
    visits = Indicator.objects.get(strategy__slug=p.SLUG, name_fi="Kävijämäärä")
    assert visits.perspective.name_fi == "Asiakas"
    assert visits.goal.title_fi.startswith("Osallisuus, näkyvyys, tyytyväisyys")


def test_maturity_model_has_five_rows_of_four_bilingual_levels() -> None:
    levels = Level.objects.filter(model__strategy__slug=p.SLUG).order_by("ordinal")
    assert [(lv.name_fi, lv.name_sv, lv.name_en) for lv in levels] == [
        ("Alkava", "Inleds", "Beginning"),
        ("Kehittyvä", "Utvecklas", "Developing"),
        ("Hyvä", "Bra", "Good"),
        ("Optimaalinen", "Optimalt", "Optimal"),
    ]
    dimensions = Dimension.objects.filter(model__strategy__slug=p.SLUG).order_by("order")
    assert [d.title_fi for d in dimensions] == [
        "Visio 2027",
        "Saavutettava palveluverkko",
        "Painopistealueet",
        "Ohjaus ja seuranta",
        "Strategia arjessa",
    ]
    assert all(d.section is not None for d in dimensions)
    assert Criterion.objects.filter(dimension__in=dimensions).exclude(text_fi="").count() == 20
    assert "esimerkkikriteerejä" in dimensions[0].model.description_fi


def test_helsinki_budget_lines_add_up_to_15400() -> None:
    budgets = Action.objects.filter(
        strategy__slug="helsinki-digistrategia-2-0", budget__isnull=False
    )
    assert sorted(budgets.values_list("budget", flat=True)) == [
        Decimal("1000"),
        Decimal("2000"),
        Decimal("4600"),
        Decimal("7800"),
    ]
    assert sum(budgets.values_list("budget", flat=True)) == Decimal("15400")
    horizons = set(
        Action.objects.filter(strategy__slug="helsinki-digistrategia-2-0").values_list(
            "horizon", flat=True
        )
    )
    assert horizons == {Action.Horizon.SHORT, Action.Horizon.MEDIUM}


def test_seeds_principles_and_stakeholders_in_their_own_words() -> None:
    from strategy.models import Principle, Stakeholder

    principle = Principle.objects.get(strategy__slug="helsinki-digistrategia-2-0")
    assert principle.title_fi == "Kestävän kehityksen periaatteet hankkeessa"
    assert "Sosiaalisesti kestävät painotukset (selkokieli, kielivalikoima)" in principle.point_list
    funder = Stakeholder.objects.get(strategy__slug="helsinki-digistrategia-2-0", kind=Stakeholder.Kind.FUNDER)
    assert funder.name_fi == "Museovirasto" and "12 320 €" in funder.role_fi
    partners = Stakeholder.objects.get(strategy__slug="helsinki-digistrategia-2-0", kind=Stakeholder.Kind.PARTNER)
    assert partners.goals.count() == 1
    assert Stakeholder.objects.filter(
        strategy__slug="pietarsaari-kulttuuri-ja-vapaa-aika-2022-2027", name_fi="Kulttuuri- ja vapaa-aikajaosto"
    ).exists()


def test_seventeen_sdgs_in_three_languages_linked_to_pietarsaari() -> None:
    assert SustainableDevelopmentGoal.objects.count() == 17
    goal = SustainableDevelopmentGoal.objects.get(number=11)
    assert (goal.name_fi, goal.name_sv, goal.name_en) == (
        "Kestävät kaupungit ja yhteisöt",
        "Hållbara städer och samhällen",
        "Sustainable cities and communities",
    )
    assert Action.objects.filter(strategy__slug=p.SLUG, sdgs__isnull=False).distinct().count() >= 3
    assert Indicator.objects.filter(strategy__slug=p.SLUG, sdgs__number=11).exists()


def test_approved_seeds_have_version_1_as_loaded_and_a_second_run_adds_none() -> None:
    approved = Strategy.objects.filter(slug__in=STRATEGY_SLUGS, status=Strategy.Status.APPROVED)
    assert approved.count() == 5
    for strategy in approved:
        version = StrategyVersion.objects.get(strategy=strategy)
        assert version.number == 1
        assert version.approved_on == strategy.approved_on
        assert version.decision_body["fi"] == strategy.decision_body_fi != ""
        # No seed states a decision reference: none is made up.
        assert version.decision_reference == strategy.decision_reference == ""
        assert version.is_intact
        # An owner sees no changes since approval; an outside reader the version.
        state = overview_state(AnonymousUser(), strategy)
        assert state.shown == version
    assert not StrategyVersion.objects.filter(strategy__slug=helsinki.SLUG).exists()
    assert StrategyVersion.objects.get(strategy__slug=heinola.SLUG).approved_on == datetime.date(2021, 10, 6)
    lpr = StrategyVersion.objects.get(strategy__slug=lappeenranta.SLUG)
    assert lpr.decision_body["fi"] == "Lappeenrannan kaupunginvaltuusto"
    stored = list(StrategyVersion.objects.values_list("pk", "snapshot_sha256"))

    run()

    assert list(StrategyVersion.objects.values_list("pk", "snapshot_sha256")) == stored


def test_demo_owner_sees_no_changes_since_the_loaded_version() -> None:
    for strategy in Strategy.objects.filter(slug__in=STRATEGY_SLUGS, status=Strategy.Status.APPROVED):
        latest = latest_version(strategy)
        assert latest is not None and not has_changes_since(latest, strategy_snapshot(strategy))
