"""Reading pages mark text shown in another language than the page's
(WCAG 3.1.2): a Swedish page showing a Finnish title says it is Finnish."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from strategy.models import Action, FocusArea
from tests.conftest import clear_fragment_caches
from tests.factories import GoalFactory

pytestmark = pytest.mark.django_db


def page(user: Any, name: str, slug: str, language: str = "sv") -> str:
    client = Client()
    client.force_login(user)
    return client.get(reverse(name, args=[slug]), HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_filter_wraps_only_fallback_text_and_escapes_it(world) -> None:
    goal = GoalFactory(
        strategy=world.strategy, title_fi="<i>Hyvinvointi</i>", title_sv="", title_en=""
    )
    template = Template(
        '{% load localized %}{{ goal|localized:"title" }}|<p{% lang_attr goal "title" %}>'
    )
    with translation.override("sv"):
        assert (
            template.render(Context({"goal": goal}))
            == '<span lang="fi">&lt;i&gt;Hyvinvointi&lt;/i&gt;</span>|<p lang="fi">'
        )
        goal.title_sv = "Välfärd & hälsa"
        assert template.render(Context({"goal": goal})) == "Välfärd &amp; hälsa|<p>"
    with translation.override("fi"):
        goal.title_sv = ""
        assert template.render(Context({"goal": goal})) == "&lt;i&gt;Hyvinvointi&lt;/i&gt;|<p>"


def test_swedish_overview_marks_finnish_fallback_and_not_translated_text(world) -> None:
    strategy = world.strategy
    GoalFactory(strategy=strategy, title_fi="Hyvinvointi", title_sv="", title_en="")
    GoalFactory(strategy=strategy, title_fi="Osallisuus", title_sv="Delaktighet", title_en="")
    area = FocusArea.objects.create(
        strategy=strategy, number="1", title_fi="Kulttuuri", title_sv=""
    )
    Action.objects.create(
        strategy=strategy, focus_area=area, title_fi="Lukupiirit", title_sv="Läscirklar"
    )
    Action.objects.create(strategy=strategy, focus_area=area, title_fi="Konsertit", title_sv="")
    markup = page(world.owner, "strategy-detail", strategy.slug)
    assert '<span class="goal__title"><span lang="fi">Hyvinvointi</span></span>' in markup
    assert '<span class="goal__title">Delaktighet</span>' in markup
    assert '1 <span lang="fi">Kulttuuri</span></h3>' in markup
    assert '<p class="action__title" lang="fi">Konsertit</p>' in markup
    assert '<p class="action__title">Läscirklar</p>' in markup
    # In Finnish nothing is another language's.
    assert '<span lang="fi">' not in page(world.owner, "strategy-detail", strategy.slug, "fi")


def test_swedish_roadmap_and_plan_mark_finnish_action_titles(world) -> None:
    from strategy.models import AnnualPlan, PlanItem

    strategy = world.strategy
    area = FocusArea.objects.create(
        strategy=strategy, number="1", title_fi="Kulttuuri", title_sv=""
    )
    action = Action.objects.create(
        strategy=strategy, focus_area=area, title_fi="Konsertit", title_sv="", start_year=2024
    )
    Action.objects.create(
        strategy=strategy,
        focus_area=FocusArea.objects.create(strategy=strategy, number="2", title_fi="Liikunta", title_sv="Idrott"),
        title_fi="Uimakoulu",
        title_sv="Simskola",
        start_year=2024,
    )
    roadmap = page(world.owner, "roadmap", strategy.slug)
    assert '<span lang="fi">Konsertit</span></th>' in roadmap
    # The focus area's heading too: Finnish marked, Swedish not.
    assert '<h2 id="roadmap-group-1" lang="fi">1 Kulttuuri</h2>' in roadmap
    assert '<h2 id="roadmap-group-2">2 Idrott</h2>' in roadmap
    plan = AnnualPlan.objects.create(
        strategy=strategy, unit=world.unit_a, year=strategy.period_start
    )
    PlanItem.objects.create(plan=plan, action=action)
    client = Client()
    client.force_login(world.head)
    markup = client.get(
        reverse("plan-detail", args=[plan.pk]), HTTP_ACCEPT_LANGUAGE="sv"
    ).content.decode()
    assert '<span lang="fi">Konsertit</span></span>' in markup
    assert '<span class="meta plan-item__area" lang="fi">' in markup


def test_marking_fallback_text_costs_no_queries(world) -> None:
    strategy = world.strategy
    area = FocusArea.objects.create(
        strategy=strategy, number="1", title_fi="Kulttuuri", title_sv="Kultur"
    )
    goals = [
        GoalFactory(strategy=strategy, title_fi=f"Tavoite {n}", title_sv=f"Mål {n}")
        for n in range(5)
    ]
    actions = [
        Action.objects.create(
            strategy=strategy, focus_area=area, title_fi=f"Toimi {n}", title_sv=f"Åtgärd {n}"
        )
        for n in range(5)
    ]
    client = Client()
    client.force_login(world.owner)
    url = reverse("strategy-detail", args=[strategy.slug])
    client.get(url, HTTP_ACCEPT_LANGUAGE="sv")
    clear_fragment_caches()  # both requests below render the page afresh
    with CaptureQueriesContext(connection) as translated:
        client.get(url, HTTP_ACCEPT_LANGUAGE="sv")
    for obj in [area, *goals, *actions]:
        type(obj).objects.filter(pk=obj.pk).update(title_sv="")
    clear_fragment_caches()
    with CaptureQueriesContext(connection) as falling_back:
        markup = client.get(url, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert markup.count('lang="fi"') >= 11
    assert len(falling_back) == len(translated)


def test_swedish_indicator_pages_mark_finnish_names(world) -> None:
    from indicators.models import Indicator

    strategy = world.strategy
    finnish = Indicator.objects.create(
        strategy=strategy, name_fi="Kävijämäärä", name_sv="", unit_of_measure_fi="kävijää"
    )
    Indicator.objects.create(strategy=strategy, name_fi="Lainat", name_sv="Lån")
    listing = page(world.owner, "indicator-list", strategy.slug)
    assert '<span lang="fi">Kävijämäärä</span></a>' in listing
    assert '(<span lang="fi">kävijää</span>)' in listing
    assert ">Lån</a>" in listing
    client = Client()
    client.force_login(world.owner)
    detail = client.get(
        reverse("indicator-detail", args=[strategy.slug, finnish.pk]), HTTP_ACCEPT_LANGUAGE="sv"
    ).text
    assert '<h1 lang="fi">Kävijämäärä</h1>' in detail
