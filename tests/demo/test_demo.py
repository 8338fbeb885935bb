"""``load_demo``: idempotent, refuses production, creates the personas with
their memberships, and the figures other pages rely on."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command

from demo import heinola, helsinki, lappeenranta
from demo import pietarsaari as p
from demo.loader import STRATEGY_SLUGS, demo_load
from indicators.models import Indicator, Measurement
from maturity.models import (
    AgreedLevel,
    AssessmentRound,
    Criterion,
    Dimension,
    Level,
    SelfAssessment,
)
from strategy.models import (
    Action,
    AnnualPlan,
    Membership,
    Organisation,
    PlanItem,
    Role,
    Strategy,
    StrategyVersion,
    SustainableDevelopmentGoal,
)
from strategy.versions import has_changes_since, latest_version, overview_state, strategy_snapshot

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "suunta-demo"


def run(*args: str, **options: object) -> str:
    out = StringIO()
    call_command("load_demo", *args, force=True, stdout=out, **options)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """Rows in every table, history tables included."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_second_run_changes_nothing() -> None:
    first = run()
    counts = row_counts()
    pks = sorted(Action.objects.values_list("pk", flat=True))

    second = run()

    assert row_counts() == counts
    assert sorted(Action.objects.values_list("pk", flat=True)) == pks
    assert "rows created" in first
    assert "0 rows created, 0 updated" in second


def test_run_restores_edited_seed_text() -> None:
    run()
    action = Action.objects.get(strategy__slug=p.SLUG, number="3.3.2")
    original = action.title_fi
    action.title_fi = "Muutettu"
    action.save()

    run()

    action.refresh_from_db()
    assert action.title_fi == original


def test_reset_reloads_the_same_amount_of_data() -> None:
    run()
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


def test_refuses_to_run_when_debug_is_off(settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is False"):
        call_command("load_demo", stdout=StringIO())
    assert not get_user_model().objects.filter(username="owner").exists()
    assert not Strategy.objects.exists()


def test_prints_a_short_summary() -> None:
    out = run()
    assert "Demo data loaded" in out
    assert "/strategies/helsinki-digistrategia-2-0/" in out
    assert "suunta-demo" in out
    assert len(out.splitlines()) < 15


def test_personas_and_their_memberships() -> None:
    run()
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
    run()
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
    run()
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
    run()
    counts = {
        number: Action.objects.filter(strategy__slug=p.SLUG, focus_area__number=number).count()
        for number in ["3.1", "3.2", "3.3", "3.4", "3.5"]
    }
    assert counts == {"3.1": 4, "3.2": 4, "3.3": 3, "3.4": 5, "3.5": 3}
    youth = Action.objects.filter(strategy__slug=p.SLUG, focus_area__number="3.3")
    assert all(a.responsible_units.filter(slug=p.YOUTH).exists() for a in youth)
    assert all(a.start_year == 2022 and a.end_year == 2027 for a in youth)


def test_steering_table_and_indicators() -> None:
    run()
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
    run()
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
    run()
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

    run()
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
    run()
    assert SustainableDevelopmentGoal.objects.count() == 17
    goal = SustainableDevelopmentGoal.objects.get(number=11)
    assert (goal.name_fi, goal.name_sv, goal.name_en) == (
        "Kestävät kaupungit ja yhteisöt",
        "Hållbara städer och samhällen",
        "Sustainable cities and communities",
    )
    assert Action.objects.filter(strategy__slug=p.SLUG, sdgs__isnull=False).distinct().count() >= 3
    assert Indicator.objects.filter(strategy__slug=p.SLUG, sdgs__number=11).exists()


def test_figures_are_labelled_as_demo_and_cover_the_library_and_museum() -> None:
    demo_load(today=datetime.date(2026, 11, 23))
    measurements = Measurement.objects.filter(indicator__strategy__slug=p.SLUG)
    assert measurements.exists()
    assert not measurements.exclude(source_note__icontains="esimerkkiluku").exists()
    visits = measurements.filter(indicator__name_fi="Kävijämäärä")
    assert set(visits.filter(unit__isnull=False).values_list("unit__slug", flat=True)) == {
        p.LIBRARY,
        p.MUSEUM,
    }
    assert set(visits.filter(unit__isnull=True).values_list("year", flat=True)) == {
        2022,
        2023,
        2024,
        2025,
    }

    for unit in (p.LIBRARY, p.MUSEUM):
        plans = AnnualPlan.objects.filter(strategy__slug=p.SLUG, unit__slug=unit)
        assert set(plans.values_list("year", flat=True)) == {2022, 2023, 2024, 2025, 2026}
        closed = PlanItem.objects.filter(plan__in=plans.filter(is_closed=True))
        assert closed.exists()
        assert not closed.filter(year_end_assessment="").exists()
        assert PlanItem.objects.filter(plan__in=plans, updates__isnull=False).exists()
    assert not AnnualPlan.objects.filter(year=2026, is_closed=True).exists()


def test_library_agreed_levels_change_between_2023_and_2024() -> None:
    demo_load(today=datetime.date(2026, 11, 23))

    def agreed(year: int) -> dict[str, int]:
        return dict(
            AgreedLevel.objects.filter(round__year=year, unit__slug=p.LIBRARY).values_list(
                "dimension__number", "level__ordinal"
            )
        )

    assert len(agreed(2023)) == len(agreed(2024)) == 5
    assert agreed(2023) != agreed(2024)
    for year in (2023, 2024):
        respondents = SelfAssessment.objects.filter(
            round__year=year, unit__slug=p.LIBRARY, status=SelfAssessment.Status.SUBMITTED
        )
        assert respondents.count() >= 3


def test_this_year_has_an_open_round_that_accepts_answers() -> None:
    today = datetime.date(2026, 11, 23)
    demo_load(today=today)
    rounds = dict(AssessmentRound.objects.values_list("year", "status"))
    assert rounds == {
        2023: AssessmentRound.Status.CLOSED,
        2024: AssessmentRound.Status.CLOSED,
        2025: AssessmentRound.Status.CLOSED,
        2026: AssessmentRound.Status.OPEN,
    }
    open_round = AssessmentRound.objects.get(year=2026)
    assert open_round.accepts_answers(today)
    # The persona "staff" is left to answer during a walkthrough.
    assert not SelfAssessment.objects.filter(round=open_round, person__username="staff").exists()
    assert SelfAssessment.objects.filter(round=open_round, unit__slug=p.LIBRARY).count() >= 3


def test_in_2025_the_2025_round_is_the_open_one() -> None:
    demo_load(today=datetime.date(2025, 10, 20))
    assert dict(AssessmentRound.objects.values_list("year", "status")) == {
        2023: AssessmentRound.Status.CLOSED,
        2024: AssessmentRound.Status.CLOSED,
        2025: AssessmentRound.Status.OPEN,
    }
    assert set(AnnualPlan.objects.filter(unit__slug=p.LIBRARY).values_list("year", flat=True)) == {
        2022,
        2023,
        2024,
        2025,
    }


def test_approved_seeds_have_version_1_as_loaded_and_a_second_run_adds_none() -> None:
    run()
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
    run()
    for strategy in Strategy.objects.filter(slug__in=STRATEGY_SLUGS, status=Strategy.Status.APPROVED):
        latest = latest_version(strategy)
        assert latest is not None and not has_changes_since(latest, strategy_snapshot(strategy))
