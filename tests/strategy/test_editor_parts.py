"""The strategy owner creates, edits, reorders and removes every kind of part
in the edit mode, plain and with htmx; each change has a history row; a
stale form is refused with who saved first; a part in use is not removed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from indicators.models import Indicator, Measurement
from strategy.editor import KINDS
from strategy.models import Strategy
from tests.factories import (
    ActionFactory,
    AnnualPlanFactory,
    FocusAreaFactory,
    GoalFactory,
    ObjectiveFactory,
    PerspectiveFactory,
    PlanItemFactory,
    PrincipleFactory,
    SectionFactory,
    SpearheadFactory,
    StakeholderFactory,
    StrategicChoiceFactory,
    TargetStateFactory,
    TradeOffFactory,
    VisionFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _plan_item_for(action: Model, world: Any) -> None:
    plan = AnnualPlanFactory(strategy=world.strategy, unit=world.unit_a, year=2025)
    PlanItemFactory(plan=plan, action=action)


@dataclass
class Spec:
    """How to make a part of one kind, what a valid form says, and how to make a use of it."""

    make: Callable[[Strategy], Model]
    data: dict[str, str]
    field: str
    parent: Callable[[Model], Model] | None = None
    use: Callable[[Model, Any], None] | None = None


SPECS: dict[str, Spec] = {
    "vision": Spec(lambda s: VisionFactory(strategy=s), {"text_fi": "Elävä kaupunki"}, "text_fi"),
    "principle": Spec(
        lambda s: PrincipleFactory(strategy=s), {"title_fi": "Avoimuus", "points_fi": "Kerromme\nKuuntelemme"}, "title_fi"
    ),
    # A letter: SectionFactory numbers sections with digits, so the new number
    # never meets the sample's, whatever the factory's sequence has reached.
    "section": Spec(lambda s: SectionFactory(strategy=s), {"number": "A", "title_fi": "Liitteet"}, "title_fi"),
    "target-state": Spec(lambda s: TargetStateFactory(strategy=s), {"title_fi": "Kaikki lukevat"}, "title_fi"),
    "choice": Spec(
        lambda s: StrategicChoiceFactory(strategy=s), {"group": "internal", "theme_fi": "Yhteistyö"}, "theme_fi"
    ),
    "trade-off": Spec(
        lambda s: TradeOffFactory(choice=StrategicChoiceFactory(strategy=s)),
        {"invest_in_fi": "kumppanuuksiin", "more_than_fi": "omiin tiloihin"},
        "invest_in_fi",
        parent=lambda obj: obj.choice,
    ),
    "perspective": Spec(
        lambda s: PerspectiveFactory(strategy=s),
        {"name_fi": "Asukkaat"},
        "name_fi",
        use=lambda obj, world: Indicator.objects.create(strategy=obj.strategy, perspective=obj, name="Tyytyväisyys"),
    ),
    "goal": Spec(
        lambda s: GoalFactory(strategy=s),
        {"title_fi": "Lukutaito vahvistuu", "direction": "increase"},
        "title_fi",
        use=lambda obj, world: Indicator.objects.create(strategy=obj.strategy, goal=obj, name="Lainaukset"),
    ),
    "objective": Spec(
        lambda s: ObjectiveFactory(goal=GoalFactory(strategy=s)),
        {"number": "1.1", "title_fi": "Lapset lukevat"},
        "title_fi",
        parent=lambda obj: obj.goal,
        use=lambda obj, world: _plan_item_for(
            ActionFactory(strategy=obj.goal.strategy, objective=obj, goal=obj.goal), world
        ),
    ),
    "spearhead": Spec(lambda s: SpearheadFactory(strategy=s), {"name_fi": "Kulttuuripolku"}, "name_fi"),
    "focus-area": Spec(
        lambda s: FocusAreaFactory(strategy=s),
        {"number": "3.9", "title_fi": "Hyvinvointi"},
        "title_fi",
        use=lambda obj, world: _plan_item_for(ActionFactory(strategy=obj.strategy, focus_area=obj), world),
    ),
    "action": Spec(
        lambda s: ActionFactory(strategy=s),
        {"title_fi": "Lukudiplomi", "start_year": "2023", "end_year": "2024", "budget": "1500"},
        "title_fi",
        use=lambda obj, world: _plan_item_for(obj, world),
    ),
    "stakeholder": Spec(
        lambda s: StakeholderFactory(strategy=s), {"name_fi": "Koulut", "kind": "partner"}, "name_fi"
    ),
    "indicator": Spec(
        lambda s: Indicator.objects.create(strategy=s, name_fi="Kävijät", name="Kävijät"),
        {"name_fi": "Lainaukset", "kind": "numeric", "direction": "increase", "decimals": "0"},
        "name_fi",
        use=lambda obj, world: Measurement.objects.create(indicator=obj, year=2023, value=5),
    ),
}

KIND_KEYS = sorted(KINDS)
USED_KINDS = sorted(key for key, spec in SPECS.items() if spec.use is not None)


def test_every_kind_of_the_registry_is_tested() -> None:
    assert set(SPECS) == set(KINDS)


def owner_client(world: Any) -> Client:
    client = Client()
    client.force_login(world.owner)
    return client


def _data(spec: Spec, parent: Model | None, **extra: str) -> dict[str, str]:
    data = dict(spec.data)
    if parent is not None:
        data["parent"] = str(parent.pk)
    data.update(extra)
    return data


@pytest.mark.parametrize("key", KIND_KEYS)
@pytest.mark.parametrize("htmx", [False, True])
def test_owner_adds_each_kind_of_part(world, key: str, htmx: bool) -> None:
    kind, spec = KINDS[key], SPECS[key]
    sample = spec.make(world.strategy)
    parent = spec.parent(sample) if spec.parent else None
    client = owner_client(world)
    url = reverse("part-create", args=[world.strategy.slug, key])
    query = f"?parent={parent.pk}" if parent is not None else ""
    page = client.get(url + query, headers=HTMX if htmx else {})
    assert page.status_code == 200
    assert ("<html" in page.content.decode()) is not htmx

    response = client.post(url, _data(spec, parent), headers=HTMX if htmx else {})

    created = kind.of_strategy(world.strategy).exclude(pk=sample.pk).get()
    assert getattr(created, spec.field) == spec.data[spec.field]
    assert created.version == 1
    # Added at the end of its siblings.
    assert list(kind.siblings(created))[-1] == created
    if htmx:
        assert response.status_code == 200
        body = response.content.decode()
        assert "<html" not in body and f'id="region-{kind.region_key}"' in body
        assert spec.data[spec.field].split("\n")[0] in body
    else:
        assert response.status_code == 302
        assert response["Location"].endswith(f"/edit/#region-{kind.region_key}")
    record = created.history.get()
    assert (record.history_type, record.history_user) == ("+", world.owner)


@pytest.mark.parametrize("key", KIND_KEYS)
def test_invalid_part_is_not_saved_and_errors_are_announced(world, key: str) -> None:
    kind, spec = KINDS[key], SPECS[key]
    sample = spec.make(world.strategy)
    parent = spec.parent(sample) if spec.parent else None
    client = owner_client(world)
    url = reverse("part-create", args=[world.strategy.slug, key])
    data = _data(spec, parent, **{spec.field: ""})
    for headers in ({}, HTMX):
        response = client.post(url, data, headers=headers)
        assert response.status_code == 422
        assert 'role="alert"' in response.content.decode()
    assert kind.of_strategy(world.strategy).count() == 1


@pytest.mark.parametrize("key", KIND_KEYS)
@pytest.mark.parametrize("htmx", [False, True])
def test_owner_edits_each_kind_and_history_says_old_and_new(world, key: str, htmx: bool) -> None:
    spec = SPECS[key]
    obj = spec.make(world.strategy)
    old = getattr(obj, spec.field)
    client = owner_client(world)
    url = reverse("part-edit", args=[world.strategy.slug, key, obj.pk])
    form = client.get(url, headers=HTMX if htmx else {})
    assert form.status_code == 200
    assert 'name="version" value="1"' in form.content.decode()

    response = client.post(url, _data(spec, None, version="1"), headers=HTMX if htmx else {})

    assert response.status_code == (200 if htmx else 302)
    obj.refresh_from_db()
    assert getattr(obj, spec.field) == spec.data[spec.field]
    assert obj.version == 2
    new, previous = obj.history.all()[:2]
    assert new.history_user == world.owner
    changes = {change.field: (change.old, change.new) for change in new.diff_against(previous).changes}
    assert changes[spec.field] == (old, spec.data[spec.field])


@pytest.mark.parametrize("key", KIND_KEYS)
def test_stale_form_is_refused_with_who_saved_first_and_their_value_is_kept(world, key: str) -> None:
    spec = SPECS[key]
    obj = spec.make(world.strategy)
    url = reverse("part-edit", args=[world.strategy.slug, key, obj.pk])
    world.owner.first_name, world.owner.last_name = "Olli", "Omistaja"
    world.owner.save()
    first, second = owner_client(world), owner_client(world)
    # Both load the form at version 1.
    assert 'value="1"' in first.get(url).content.decode()
    assert 'value="1"' in second.get(url).content.decode()
    assert first.post(url, _data(spec, None, version="1")).status_code == 302

    for headers in ({}, HTMX):
        mine = "Toisen käyttäjän teksti"
        response = second.post(url, _data(spec, None, version="1", **{spec.field: mine}), headers=headers)
        body = response.content.decode()
        assert response.status_code == 409
        assert "Not saved: someone else changed this" in body
        assert "Olli Omistaja" in body
        assert mine in body and spec.data[spec.field].split("\n")[0] in body
        # The retry form carries the new version.
        assert 'name="version" value="2"' in body
    obj.refresh_from_db()
    assert getattr(obj, spec.field) == spec.data[spec.field]
    assert obj.version == 2


@pytest.mark.parametrize("key", KIND_KEYS)
@pytest.mark.parametrize("htmx", [False, True])
def test_owner_reorders_each_kind(world, key: str, htmx: bool) -> None:
    kind, spec = KINDS[key], SPECS[key]
    first = spec.make(world.strategy)
    # The second one among the same siblings (same goal, choice or focus area).
    if kind.parent != "strategy":
        second = type(first)._default_manager.create(
            **{kind.parent: getattr(first, kind.parent)}, **{spec.field: "Toinen"}, order=first.order + 1
        )
    elif key == "action":
        second = ActionFactory(strategy=world.strategy, focus_area=first.focus_area, order=first.order + 1)
    else:
        second = spec.make(world.strategy)
        type(second)._default_manager.filter(pk=second.pk).update(order=first.order + 1)
    assert [p.pk for p in kind.siblings(first)] == [first.pk, second.pk]
    client = owner_client(world)
    url = reverse("part-move", args=[world.strategy.slug, key, first.pk])

    response = client.post(url, {"direction": "down", "version": "1"}, headers=HTMX if htmx else {})

    assert response.status_code == (200 if htmx else 302)
    assert [p.pk for p in kind.siblings(first)] == [second.pk, first.pk]
    first.refresh_from_db()
    assert first.version == 2
    assert first.history.first().history_user == world.owner
    # The stale version of the same button is refused; nothing moves.
    stale = client.post(url, {"direction": "up", "version": "1"}, headers=HTMX)
    assert stale.status_code == 409
    assert [p.pk for p in kind.siblings(first)] == [second.pk, first.pk]
    # Up again with the current version.
    assert client.post(url, {"direction": "up", "version": "2"}).status_code == 302
    assert [p.pk for p in kind.siblings(first)] == [first.pk, second.pk]


@pytest.mark.parametrize("key", KIND_KEYS)
@pytest.mark.parametrize("htmx", [False, True])
def test_owner_removes_each_kind_after_one_confirmation(world, key: str, htmx: bool) -> None:
    kind, spec = KINDS[key], SPECS[key]
    obj = spec.make(world.strategy)
    pk = obj.pk
    client = owner_client(world)
    url = reverse("part-delete", args=[world.strategy.slug, key, pk])
    confirm = client.get(url, headers=HTMX if htmx else {})
    assert confirm.status_code == 200
    assert "Remove the" in confirm.content.decode()
    assert ("<html" in confirm.content.decode()) is not htmx

    response = client.post(url, {"version": "1"}, headers=HTMX if htmx else {})

    assert response.status_code == (200 if htmx else 302)
    assert not kind.model._default_manager.filter(pk=pk).exists()
    record = kind.model.history.filter(id=pk).first()
    assert (record.history_type, record.history_user) == ("-", world.owner)


@pytest.mark.parametrize("key", USED_KINDS)
@pytest.mark.parametrize("htmx", [False, True])
def test_part_in_use_is_not_removed_and_the_uses_are_listed(world, key: str, htmx: bool) -> None:
    kind, spec = KINDS[key], SPECS[key]
    obj = spec.make(world.strategy)
    spec.use(obj, world)
    client = owner_client(world)
    url = reverse("part-delete", args=[world.strategy.slug, key, obj.pk])
    confirm = client.get(url, headers=HTMX if htmx else {}).content.decode()
    assert "Used by:" in confirm and "archive the strategy" in confirm
    assert 'name="version"' not in confirm

    response = client.post(url, {"version": "1"}, headers=HTMX if htmx else {})

    assert response.status_code == 409
    body = response.content.decode()
    assert "Used by:" in body
    assert ("Plan of Kirjasto 2025" in body) or ("Indicator “" in body) or ("1 measured value 2023" in body)
    assert kind.model._default_manager.filter(pk=obj.pk).exists()
    assert not kind.model.history.filter(id=obj.pk, history_type="-").exists()


def test_removing_a_focus_area_says_its_actions_go_with_it(world) -> None:
    area = FocusAreaFactory(strategy=world.strategy, title="Lukeminen")
    ActionFactory(strategy=world.strategy, focus_area=area, title="Lukudiplomi")
    client = owner_client(world)
    url = reverse("part-delete", args=[world.strategy.slug, "focus-area", area.pk])
    assert "Action “Lukudiplomi”" in client.get(url).content.decode()
    assert client.post(url, {"version": "1"}).status_code == 302
    assert not world.strategy.actions.exists()
    # The action's removal is in the history too, with the user.
    from strategy.models import Action

    assert Action.history.filter(history_type="-").get().history_user == world.owner


def test_goal_removal_takes_its_objectives(world) -> None:
    goal = GoalFactory(strategy=world.strategy)
    ObjectiveFactory(goal=goal, title="Lapset lukevat")
    client = owner_client(world)
    url = reverse("part-delete", args=[world.strategy.slug, "goal", goal.pk])
    assert "Objective “Lapset lukevat”" in client.get(url).content.decode()
    assert client.post(url, {"version": "1"}).status_code == 302
    from strategy.models import Objective

    assert not Objective.objects.exists()


def test_action_years_must_be_within_the_period_and_budget_not_negative(world) -> None:
    client = owner_client(world)
    url = reverse("part-create", args=[world.strategy.slug, "action"])
    response = client.post(url, {"title_fi": "Liian myöhään", "start_year": "2030", "end_year": "2029", "budget": "-5"})
    body = response.content.decode()
    assert response.status_code == 422
    assert "within the strategy period 2022–2027" in body
    assert "greater than or equal to 0" in body
    assert not world.strategy.actions.exists()


def test_choices_of_links_are_limited_to_the_strategy(world) -> None:
    other = GoalFactory(title="Vieras tavoite")
    mine = GoalFactory(strategy=world.strategy, title="Oma tavoite")
    client = owner_client(world)
    page = client.get(reverse("part-create", args=[world.strategy.slug, "spearhead"])).content.decode()
    assert "Oma tavoite" in page and "Vieras tavoite" not in page
    response = client.post(
        reverse("part-create", args=[world.strategy.slug, "spearhead"]), {"name_fi": "Kärki", "goals": [other.pk]}
    )
    assert response.status_code == 422
    assert not world.strategy.spearheads.exists()
    response = client.post(
        reverse("part-create", args=[world.strategy.slug, "spearhead"]), {"name_fi": "Kärki", "goals": [mine.pk]}
    )
    assert response.status_code == 302
    assert list(world.strategy.spearheads.get().goals.all()) == [mine]


def test_responsible_units_are_those_under_the_strategys_organisation(world) -> None:
    client = owner_client(world)
    page = client.get(reverse("part-create", args=[world.strategy.slug, "action"])).content.decode()
    assert "Kirjasto" in page and "Museo" in page
    assert "Testikaupunki" not in page


def test_a_part_of_another_strategy_is_not_found_through_this_one(world) -> None:
    from tests.factories import StrategyFactory

    other = GoalFactory(strategy=StrategyFactory(organisation=world.sector))
    client = owner_client(world)
    url = reverse("part-edit", args=[world.strategy.slug, "goal", other.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"title_fi": "x", "version": "1"}).status_code == 404
    assert client.get(reverse("part-edit", args=[world.strategy.slug, "nonsense", other.pk])).status_code == 404
