"""A new strategy from an earlier one copies its structure for the new period
with links remapped to the copies and no figures; a sub-strategy's goals
contribute to its parent's goals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Indicator
from strategy.models import (
    Action,
    Goal,
    Organisation,
    Stakeholder,
    Strategy,
    SustainableDevelopmentGoal,
)
from strategy.services_editor import strategy_copy
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
    StrategyFactory,
    TargetStateFactory,
    TradeOffFactory,
    VisionFactory,
)

pytestmark = pytest.mark.django_db


def build_structure(strategy: Strategy, unit: Organisation, size: int = 1) -> None:
    """``size`` of each part, linked to one another, with a plan and an indicator."""
    sdg, _created = SustainableDevelopmentGoal.objects.get_or_create(number=4, defaults={"name": "Hyvä koulutus"})
    for n in range(size):
        section = SectionFactory(strategy=strategy, number=f"{n + 1}")
        VisionFactory(strategy=strategy, label="ulkoinen", text=f"Visio {n}")
        PrincipleFactory(strategy=strategy)
        TargetStateFactory(strategy=strategy)
        TradeOffFactory(choice=StrategicChoiceFactory(strategy=strategy))
        perspective = PerspectiveFactory(strategy=strategy)
        goal = GoalFactory(strategy=strategy, perspective=perspective, title=f"Tavoite {n}")
        objective = ObjectiveFactory(goal=goal)
        area = FocusAreaFactory(strategy=strategy, section=section)
        action = ActionFactory(strategy=strategy, focus_area=area, goal=goal, objective=objective, budget=Decimal("100"))
        action.responsible_units.set([unit])
        action.sdgs.set([sdg])
        spearhead = SpearheadFactory(strategy=strategy)
        spearhead.goals.set([goal])
        spearhead.focus_areas.set([area])
        spearhead.actions.set([action])
        stakeholder = StakeholderFactory(strategy=strategy)
        stakeholder.goals.set([goal])
        stakeholder.actions.set([action])
        plan = AnnualPlanFactory(strategy=strategy, unit=unit, year=2023 + n)
        PlanItemFactory(plan=plan, action=action)
        Indicator.objects.create(strategy=strategy, goal=goal, name=f"Mittari {n}")


def test_copy_takes_the_structure_with_links_remapped_and_no_figures(world) -> None:
    build_structure(world.strategy, world.unit_a)
    client = Client()
    client.force_login(world.owner)
    data = {
        "start": "copy",
        "organisation": world.sector.pk,
        "main_language": "fi",
        "title": "Kulttuuristrategia 2028–2033",
        "period_start": "2028",
        "period_end": "2033",
        "source": world.strategy.pk,
    }
    response = client.post(reverse("strategy-create"), data)
    copy = Strategy.objects.exclude(pk=world.strategy.pk).get()
    assert response.status_code == 302 and response["Location"] == reverse("editor", args=[copy.slug])
    assert (copy.title, copy.period_start, copy.period_end, copy.status) == (
        "Kulttuuristrategia 2028–2033",
        2028,
        2033,
        "draft",
    )
    assert copy.slug == "kulttuuristrategia-2028-2033"
    for relation in ("sections", "visions", "principles", "target_states", "choices", "perspectives", "goals",
                     "focus_areas", "actions", "spearheads", "stakeholders"):
        assert getattr(copy, relation).count() == getattr(world.strategy, relation).count() == 1, relation
    assert copy.choices.get().trade_offs.count() == 1
    goal = copy.goals.get()
    assert goal.objectives.count() == 1
    # Links point to the copies, not to the old strategy's parts.
    action = copy.actions.get()
    assert (action.focus_area.strategy, action.goal, action.objective.goal) == (copy, goal, goal)
    assert goal.perspective.strategy == copy
    assert copy.focus_areas.get().section.strategy == copy
    spearhead = copy.spearheads.get()
    assert list(spearhead.goals.all()) == [goal] and list(spearhead.actions.all()) == [action]
    assert spearhead.focus_areas.get().strategy == copy
    stakeholder = Stakeholder.objects.get(strategy=copy)
    assert list(stakeholder.goals.all()) == [goal] and list(stakeholder.actions.all()) == [action]
    # Shared references stay.
    assert list(action.responsible_units.all()) == [world.unit_a]
    assert action.sdgs.get().number == 4
    # No figures: no plans, no indicators.
    assert not copy.plans.exists()
    assert not Indicator.objects.filter(strategy=copy).exists()
    # The original is untouched.
    assert world.strategy.actions.get().plan_items.count() == 1
    # Every copied part has its history row, by the owner.
    assert Goal.history.filter(id=goal.pk, history_type="+").get().history_user == world.owner
    assert Action.history.filter(id=action.pk).count() == 1
    assert copy.history.get().history_user == world.owner


def test_copy_takes_a_constant_number_of_queries(world) -> None:
    small = StrategyFactory(organisation=world.sector, slug="pieni")
    build_structure(small, world.unit_a, size=1)
    large = StrategyFactory(organisation=world.sector, slug="suuri")
    build_structure(large, world.unit_a, size=4)
    counts = []
    for source in (small, large):
        with CaptureQueriesContext(connection) as queries:
            strategy_copy(source=source, organisation=world.sector, period_start=2030, period_end=2035, user=world.owner)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_child_strategy_goals_contribute_to_the_parents_goals(world) -> None:
    parent_goal = GoalFactory(strategy=world.strategy, title="Lukutaito vahvistuu")
    client = Client()
    client.force_login(world.owner)
    data = {
        "start": "child",
        "organisation": world.unit_a.pk,
        "main_language": "fi",
        "title": "Kirjaston strategia",
        "period_start": "2024",
        "period_end": "2027",
        "parent": world.strategy.pk,
    }
    assert client.post(reverse("strategy-create"), data).status_code == 302
    child = Strategy.objects.get(title_fi="Kirjaston strategia")
    assert (child.parent, child.organisation, child.status) == (world.strategy, world.unit_a, "draft")
    url = reverse("part-create", args=[child.slug, "goal"])
    assert "Lukutaito vahvistuu" in client.get(url).content.decode()
    response = client.post(url, {"title_fi": "Lapset lukevat", "contributes_to": parent_goal.pk})
    assert response.status_code == 302
    assert child.goals.get().contributes_to == parent_goal
    # The parent goal is now used by the child's goal: it cannot be removed.
    delete = reverse("part-delete", args=[world.strategy.slug, "goal", parent_goal.pk])
    refused = client.post(delete, {"version": "1"})
    assert refused.status_code == 409 and "Kirjaston strategia" in refused.content.decode()


def test_a_goal_cannot_contribute_to_a_goal_outside_the_parent(world) -> None:
    stranger = GoalFactory(title="Vieras")
    client = Client()
    client.force_login(world.owner)
    url = reverse("part-create", args=[world.strategy.slug, "goal"])
    # Without a parent strategy the field is not offered at all; a posted value is ignored.
    assert 'name="contributes_to"' not in client.get(url).content.decode()
    client.post(url, {"title_fi": "Oma", "contributes_to": stranger.pk})
    assert world.strategy.goals.get().contributes_to is None


def test_blank_strategy_needs_a_valid_period(world) -> None:
    client = Client()
    client.force_login(world.owner)
    data = {"start": "blank", "organisation": world.sector.pk, "main_language": "fi", "title": "Uusi",
            "period_start": "2030", "period_end": "2025"}
    response = client.post(reverse("strategy-create"), data)
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    assert Strategy.objects.count() == 1
    assert client.post(reverse("strategy-create"), {**data, "start": "copy"}).status_code == 422
