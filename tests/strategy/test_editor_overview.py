"""The overview offers owners the edit mode and shows the parts the editor
adds: visions with labels, values with their points, objectives under goals,
spearheads with their links and stakeholders, in a constant number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import clear_fragment_caches
from tests.factories import (
    ActionFactory,
    FocusAreaFactory,
    GoalFactory,
    ObjectiveFactory,
    PrincipleFactory,
    SpearheadFactory,
    StakeholderFactory,
    UserFactory,
    VisionFactory,
)

pytestmark = pytest.mark.django_db


def add_parts(world, n: int) -> None:
    for i in range(n):
        VisionFactory(strategy=world.strategy, label=f"ulkoinen {i}", text=f"Visio {i}")
        PrincipleFactory(strategy=world.strategy, title=f"Arvo {i}", points=f"Näkyy johtamisessa {i}\n- Näkyy arjessa {i}")
        goal = GoalFactory(strategy=world.strategy, title=f"Tavoite {i}")
        ObjectiveFactory(goal=goal, number=f"{i}.1", title=f"Osatavoite {i}")
        area = FocusAreaFactory(strategy=world.strategy, title=f"Painopiste {i}")
        action = ActionFactory(strategy=world.strategy, focus_area=area, title=f"Toimenpide {i}")
        spearhead = SpearheadFactory(strategy=world.strategy, name=f"Kärki {i}")
        spearhead.goals.set([goal])
        spearhead.focus_areas.set([area])
        spearhead.actions.set([action])
        StakeholderFactory(strategy=world.strategy, name=f"Kumppani {i}", role="Tuottaa sisältöä")


def test_overview_shows_the_new_parts(world, client) -> None:
    add_parts(world, 1)
    client.force_login(world.viewer)
    page = client.get(reverse("strategy-detail", args=[world.strategy.slug])).content.decode()
    for text in ("Ulkoinen 0", "Visio 0", "Arvo 0", "Näkyy johtamisessa 0", "<li>Näkyy arjessa 0</li>",
                 "0.1</span> Osatavoite 0", "Kärki 0", "Goals: Tavoite 0", "Actions: Toimenpide 0", "Kumppani 0",
                 "Tuottaa sisältöä", "Partner"):
        assert text in page, text


def test_only_owners_get_the_edit_link(world) -> None:
    url = reverse("strategy-detail", args=[world.strategy.slug])
    editor = reverse("editor", args=[world.strategy.slug])
    for user, shown in [(world.owner, True), (world.head, False), (world.staff, False), (world.viewer, False),
                        (world.otherhead, False)]:
        client = Client()
        client.force_login(user)
        assert (f'href="{editor}"' in client.get(url).content.decode()) is shown, user


def test_overview_query_count_does_not_grow_with_the_new_parts(world) -> None:
    client = Client()
    client.force_login(world.owner)
    url = reverse("strategy-detail", args=[world.strategy.slug])
    add_parts(world, 1)
    client.get(url)  # warm caches (content types, session)
    clear_fragment_caches()  # both requests below render the overview afresh
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_parts(world, 8)
    clear_fragment_caches()
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert "Osatavoite 7" in response.content.decode()
    assert len(many) == len(few)


def test_new_strategy_link_for_owners_in_the_editor(world) -> None:
    client = Client()
    client.force_login(world.owner)
    page = client.get(reverse("editor", args=[world.strategy.slug])).content.decode()
    assert reverse("strategy-create") in page
    client.force_login(UserFactory(username="viewer"))
    assert client.get(reverse("editor", args=[world.strategy.slug])).status_code == 404
