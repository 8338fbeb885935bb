"""The StratML export of the five demo strategies: valid against the XSD,
and read back into a new strategy with the same structure and texts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from defusedxml.ElementTree import fromstring
from django.core.management import call_command

from indicators.models import Indicator, Measurement, Target
from strategy.models import Strategy
from stratml.exporting import PART1_NS, PART2_NS, stratml_document, stratml_validate
from stratml.reading import stratml_read
from stratml.services import strategy_from_plan

from ..factories import UserFactory


def _structure(strategy: Strategy) -> dict[str, Any]:
    """What a StratML round trip must keep, in the strategy's main language."""
    from django.utils import translation

    with translation.override(strategy.main_language):
        indicators = Indicator.objects.filter(strategy=strategy).order_by("order", "pk")
        return {
            "title": strategy.title,
            "purpose": strategy.purpose,
            "introduction": strategy.introduction,
            "motto": strategy.motto,
            "period": (strategy.period_start, strategy.period_end),
            "visions": [(v.label, v.text) for v in strategy.visions.order_by("order", "pk")],
            "values": [
                (p.title, p.description.strip(), p.point_list)
                for p in strategy.principles.order_by("order", "pk")
            ],
            "goals": [
                (
                    g.title,
                    g.description,
                    [
                        (o.number, o.title, o.description)
                        for o in g.objectives.order_by("order", "pk")
                    ],
                )
                for g in strategy.goals.order_by("order", "pk")
            ],
            "focus_areas": [
                (
                    a.number,
                    a.title,
                    a.description,
                    [(x.number, x.title) for x in a.actions.order_by("order", "pk")],
                )
                for a in strategy.focus_areas.order_by("order", "number", "pk")
            ],
            "target_states": [
                (t.title, t.body) for t in strategy.target_states.order_by("order", "pk")
            ],
            "spearheads": [
                (p.name, p.description) for p in strategy.spearheads.order_by("order", "pk")
            ],
            "choices": [
                (
                    c.group,
                    c.theme,
                    c.question,
                    c.invest_in,
                    c.more_than,
                    c.summary,
                    [(t.invest_in, t.more_than) for t in c.trade_offs.order_by("order", "pk")],
                )
                for c in strategy.choices.order_by("order", "pk")
            ],
            "stakeholders": sorted(
                (s.name, s.role, sorted(g.title for g in s.goals.all()))
                for s in strategy.stakeholders.all()
            ),
            "indicators": sorted(
                (
                    i.name,
                    i.kind,
                    [level.label for level in i.levels.order_by("ordinal")],
                    sorted(
                        (t.year, t.value)
                        for t in Target.objects.filter(indicator=i, unit__isnull=True)
                    ),
                    sorted(
                        (m.year, m.value)
                        for m in Measurement.objects.filter(indicator=i, unit__isnull=True)
                    ),
                    str(i.attached_to or ""),
                )
                for i in indicators
            ),
        }


@pytest.mark.django_db
def test_each_demo_strategy_exports_valid_stratml_and_imports_back_the_same() -> None:
    call_command("load_demo", force=True, verbosity=0)  # tests run with DEBUG=False
    superuser = UserFactory(is_superuser=True)
    demo = list(Strategy.objects.order_by("slug"))
    assert len(demo) >= 5
    parts = set()
    for strategy in demo:
        document, namespace = stratml_document(strategy=strategy, user=superuser)
        assert stratml_validate(document) == [], strategy.slug
        has_indicators = Indicator.objects.filter(strategy=strategy).exists()
        assert namespace == (PART2_NS if has_indicators else PART1_NS)
        parts.add(namespace)
        assert fromstring(document).find(f"{{{namespace}}}Name").text == strategy.title

        plan = stratml_read(document)
        copy = strategy_from_plan(
            plan.stored(),
            organisation=strategy.organisation,
            user=superuser,
            language=strategy.main_language,
        )
        before, after = _structure(strategy), _structure(copy)
        for key in before:
            assert after[key] == before[key], (strategy.slug, key)
    assert PART2_NS in parts


def test_numbers_are_written_as_plain_decimals() -> None:
    from stratml.exporting import _number

    assert _number(Decimal("100.000000")) == "100"
    assert _number(Decimal("12.500000")) == "12.5"
    assert _number(Decimal("-0.000")) == "0"
