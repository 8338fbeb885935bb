"""A strategy's content stamp changes with every change to its working copy,
whatever makes it (a form, a bulk write, a link, a deletion), and only then;
the overview's "changes since approval" is cached by it and never stale."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Indicator
from strategy import versions
from strategy.editor import KINDS
from strategy.fragments import data_stamp, stamp_parts
from strategy.models import (
    Action,
    ContentStamp,
    FocusArea,
    Goal,
    Objective,
    Organisation,
    PlanItem,
    Strategy,
    TradeOff,
)
from tests.factories import (
    ActionFactory,
    AnnualPlanFactory,
    OrganisationFactory,
    PlanItemFactory,
    StrategyFactory,
    every_part,
)

from .test_versions_approve import approve, edit_goal, owner_client

pytestmark = pytest.mark.django_db

PENDING = "Draft changes since the approved version"


def stamp(strategy: Strategy) -> str:
    return ContentStamp.objects.get(strategy=strategy).value


def content_tables() -> set[str]:
    """Every table whose rows are content of a snapshot: the strategy, each
    kind of the editor's registry and the links between parts."""
    tables = {Strategy._meta.db_table}
    for kind in KINDS.values():
        tables.add(kind.model._meta.db_table)
        tables |= {many.remote_field.through._meta.db_table for many in kind.model._meta.many_to_many}
    return tables


def stamped_tables() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_stamp\\_%' ESCAPE '\\'")
        else:
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND t.tgname LIKE '%\\_stamp'"
            )
        return {row[0] for row in cursor.fetchall()}


def test_every_content_table_has_a_stamp_trigger() -> None:
    # A new kind of part, or a migration that rebuilt a table and lost its
    # triggers, would leave changes that do not move the stamp.
    assert content_tables() - stamped_tables() == set()


def test_a_new_strategy_gets_a_stamp(world) -> None:
    other = StrategyFactory(organisation=world.sector, slug="toinen")
    assert len(stamp(world.strategy)) == 32 and stamp(other) != stamp(world.strategy)


def _add_action(world: Any) -> None:
    ActionFactory(strategy=world.strategy, title="Uusi")


def _bulk_actions(world: Any) -> None:
    Action.objects.bulk_create([Action(strategy=world.strategy, title="Joukolla", order=99)])


def _update_queryset(world: Any) -> None:
    Goal.objects.filter(strategy=world.strategy).update(title_sv="Nytt mål")


def _objective(world: Any) -> None:
    Objective.objects.filter(goal__strategy=world.strategy).update(title_en="New objective")


def _trade_off(world: Any) -> None:
    TradeOff.objects.filter(choice__strategy=world.strategy).delete()


def _link_unit(world: Any) -> None:
    Action.objects.filter(strategy=world.strategy).first().responsible_units.add(world.unit_b)


def _unlink_goal(world: Any) -> None:
    world.strategy.spearheads.first().goals.clear()


def _delete_area(world: Any) -> None:
    # Its actions are kept with the link set to nothing (SET_NULL): an UPDATE without signals.
    FocusArea.objects.filter(strategy=world.strategy).delete()


def _indicator(world: Any) -> None:
    Indicator.objects.create(strategy=world.strategy, name="Lainaukset")


def _strategy_row(world: Any) -> None:
    strategy = Strategy.objects.get(pk=world.strategy.pk)
    strategy.motto = "Uusi motto"
    strategy.save()


@pytest.mark.parametrize(
    "change",
    [_add_action, _bulk_actions, _update_queryset, _objective, _trade_off, _link_unit, _unlink_goal, _delete_area, _indicator, _strategy_row],
)
def test_every_kind_of_change_moves_the_stamp(world, change: Callable[[Any], None]) -> None:
    every_part(world.strategy)
    before = stamp(world.strategy)
    change(world)
    assert stamp(world.strategy) != before


@pytest.mark.parametrize("change", [_add_action, _update_queryset, _delete_area, _strategy_row])
def test_every_change_of_any_strategy_moves_the_content_data_stamp(world, change: Callable[[Any], None]) -> None:
    # The stamp of every strategy at once, for pages that show several (My units).
    every_part(world.strategy)
    before = stamp_parts([], data_stamp("content"))[-1]
    change(world)
    assert stamp_parts([], data_stamp("content"))[-1] != before


def test_writes_outside_the_strategy_leave_its_stamp(world) -> None:
    every_part(world.strategy)
    other = StrategyFactory(organisation=world.sector, slug="toinen")
    before = stamp(world.strategy)
    ActionFactory(strategy=other, title="Muualla")
    plan = AnnualPlanFactory(strategy=world.strategy, unit=world.unit_a, year=world.strategy.period_start)
    PlanItemFactory(plan=plan, action=Action.objects.filter(strategy=world.strategy).first())
    PlanItem.objects.filter(plan=plan).update(progress=50)
    OrganisationFactory(name="Uusi yksikkö")
    assert stamp(world.strategy) == before


def test_a_stale_strategy_object_saved_later_still_moves_the_stamp(world) -> None:
    loaded_before = Strategy.objects.get(pk=world.strategy.pk)
    ActionFactory(strategy=world.strategy, title="Uusi")
    after_action = stamp(world.strategy)
    loaded_before.motto = "Vanhasta oliosta"
    loaded_before.save()
    assert stamp(world.strategy) not in (after_action, "")


# The overview ------------------------------------------------------------------


def overview(client: Client, strategy: Strategy) -> str:
    response = client.get(reverse("strategy-detail", args=[strategy.slug]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def approved(world) -> Client:
    every_part(world.strategy)
    client = owner_client(world)
    approve(client, world.strategy)
    assert PENDING not in overview(client, world.strategy)
    return client


def test_the_overview_compares_the_working_copy_once_per_stamp(world, approved, monkeypatch) -> None:
    snapshots = []
    real = versions.strategy_snapshot
    monkeypatch.setattr(versions, "strategy_snapshot", lambda strategy: snapshots.append(strategy.pk) or real(strategy))
    edit_goal(approved, world.strategy, Goal.objects.get(strategy=world.strategy), "Muutettu")
    with CaptureQueriesContext(connection) as first:
        assert PENDING in overview(approved, world.strategy)
    with CaptureQueriesContext(connection) as second:
        assert PENDING in overview(approved, world.strategy)
    assert snapshots == [world.strategy.pk]
    assert len(second) < len(first) - 15  # the snapshot's query per kind and link table


def test_a_studio_edit_then_its_undo_show_fresh_banners(world, approved) -> None:
    goal = Goal.objects.get(strategy=world.strategy)
    direction = goal.direction
    edit_goal(approved, world.strategy, goal, "Muutettu")
    assert PENDING in overview(approved, world.strategy)
    # Back to the approved texts (the helper's form leaves the direction out):
    # the content equals version 1 again.
    edit_goal(approved, world.strategy, goal, "Tavoite 0 fi")
    Goal.objects.filter(pk=goal.pk).update(title_en="Tavoite 0 en", direction=direction)
    assert PENDING not in overview(approved, world.strategy)


def test_approving_the_changes_clears_the_banner(world, approved) -> None:
    edit_goal(approved, world.strategy, Goal.objects.get(strategy=world.strategy), "Muutettu")
    assert PENDING in overview(approved, world.strategy)
    approve(approved, world.strategy, approved_on="2023-01-01")
    page = overview(approved, world.strategy)
    assert PENDING not in page and "The strategy is as approved in version 2" in page


def test_a_translation_saved_shows_the_banner(world, approved) -> None:
    from translations.services import find_text, translation_save

    goal = Goal.objects.get(strategy=world.strategy)
    text = find_text(world.strategy, "sv", f"strategy.goal.{goal.pk}.title")
    assert text is not None
    translation_save(strategy=world.strategy, text=text, value="Ny översättning", token=text.token, user=world.owner)
    assert PENDING in overview(approved, world.strategy)


def test_an_indicator_changed_shows_the_banner(world, approved) -> None:
    indicator = Indicator.objects.create(strategy=world.strategy, name="Lainaukset")
    approve(approved, world.strategy, approved_on="2023-01-01")
    assert PENDING not in overview(approved, world.strategy)
    indicator.refresh_from_db()
    indicator.name_sv = "Lån"
    indicator.save()
    assert PENDING in overview(approved, world.strategy)


def test_a_responsible_unit_linked_shows_the_banner(world, approved) -> None:
    Action.objects.get(strategy=world.strategy).responsible_units.add(Organisation.objects.get(slug="museo"))
    assert PENDING in overview(approved, world.strategy)


@pytest.mark.parametrize(
    "change",
    [
        {"short_name": "Kirj."},
        {"slug": "kaupunginkirjasto"},
        {"kind": Organisation.Kind.SERVICE_AREA},
        {"is_active": False},
        {"name_sv": "Biblioteket"},
    ],
)
def test_an_organisation_changed_outside_suunta_pages_moves_every_stamp(world, change: dict[str, Any]) -> None:
    # As a repair in Django's admin or a queryset update would, without raising the version.
    before = stamp(world.strategy)
    Organisation.objects.filter(pk=world.unit_a.pk).update(**change)
    assert stamp(world.strategy) != before


def test_an_organisation_moved_in_the_admin_moves_every_stamp(world) -> None:
    unit = Organisation.objects.get(pk=world.unit_a.pk)
    before = stamp(world.strategy)
    unit.parent = world.sector
    unit.save()  # as the admin's form saves it: version unchanged
    assert Organisation.objects.get(pk=unit.pk).version == world.unit_a.version
    assert stamp(world.strategy) != before


def test_stamp_parts_reads_each_part_apart_in_one_query(world) -> None:
    from strategy.fragments import history_stamp, stamp_of, stamp_parts
    from strategy.models import AnnualPlan, PlanItem

    second = StrategyFactory(organisation=world.sector, title="Toinen", slug="toinen")
    ids = [world.strategy.pk, second.pk]
    plans = history_stamp(PlanItem, AnnualPlan)
    with CaptureQueriesContext(connection) as queries:
        strategies, organisations, plan_part = stamp_parts(ids, plans)
    assert len(queries) == 1
    assert f"{strategies}-{organisations}-{plan_part}" == stamp_of(ids, plans)
    assert len(strategies.split("-")) == 2 and len(plan_part.split("-")) == 4
    # A new plan moves the plans' part only.
    AnnualPlan.objects.create(strategy=world.strategy, unit=world.unit_a, year=2025)
    assert stamp_parts(ids, plans)[:2] == [strategies, organisations]
    assert stamp_parts(ids, plans)[2] != plan_part
