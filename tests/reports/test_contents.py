"""The council PDF shows everything a strategy holds: visions, values, goals
with perspectives and objectives, spearheads and what they link, sections,
stakeholders, indicators with their descriptions, the approval and the
decision; actions without a focus area come under a proper heading."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from io import BytesIO
from itertools import pairwise
from typing import Any

import pytest
from django.utils import formats, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from indicators.models import Indicator, IndicatorKind, Measurement, ScaleLevel, Target
from indicators.services import indicator_summary, indicators_with_values
from reports.services import report_html_build, report_render, report_snapshot_build
from strategy.models import (
    Action,
    Direction,
    FocusArea,
    Goal,
    Objective,
    Perspective,
    Principle,
    Section,
    SpearheadProgramme,
    Stakeholder,
    Vision,
)

from .conftest import pdf_facts

pytestmark = pytest.mark.django_db

# Every text in Finnish and English, so that each report shows its own language.
TEXTS: dict[str, tuple[str, str]] = {
    "vision_external": ("Kaupunki, jossa jokainen löytää harrastuksen", "A city where everyone finds a pastime"),
    "label_external": ("ulkoinen", "external"),
    "vision_internal": ("Osaava ja innostunut henkilöstö", "Skilled and keen staff"),
    "label_internal": ("sisäinen", "internal"),
    "value_1": ("Avoimuus", "Openness"),
    "value_1_point": ("Päätökset perustellaan julkisesti", "Decisions are explained in public"),
    "value_2": ("Yhdenvertaisuus", "Equality"),
    "value_2_point": ("Palvelut ovat kaikkien saatavilla", "Services are open to everyone"),
    "value_3": ("Rohkeus", "Courage"),
    "value_3_point": ("Kokeilemme uutta", "We try new things"),
    "perspective": ("Asukkaiden hyvinvointi", "Residents' wellbeing"),
    "goal_1": ("Harrastajien määrä kasvaa", "More people have a pastime"),
    "goal_1_description": ("Harrastuksen aloittaminen on helppoa", "Starting a pastime is easy"),
    "goal_2": ("Kirjaston käyttö monipuolistuu", "The library is used in more ways"),
    "objective_1a": ("Lasten harrastustakuu", "A pastime guarantee for children"),
    "objective_1b": ("Ikäihmisten liikuntaryhmät", "Exercise groups for older people"),
    "objective_2a": ("Tapahtumia joka viikko", "Events every week"),
    "objective_2b": ("Digituki kaikille", "Digital help for everyone"),
    "spearhead": ("Kulttuurin kärkihanke", "The culture spearhead"),
    "section_title": ("Strategian toimeenpano", "Putting the strategy into practice"),
    "section_body": ("Strategiaa toteutetaan vuosittaisin toimintasuunnitelmin", "The strategy is carried out in annual action plans"),
    "focus_area": ("Osallisuus", "Participation"),
    "action_area": ("Lukupiirit kirjastoissa", "Reading circles in libraries"),
    "action_goal": ("Harrastusmessut keväisin", "A pastime fair every spring"),
    "action_loose": ("Asukaskysely syksyllä", "A residents' survey in autumn"),
    "stakeholder": ("Urheiluseurat", "Sports clubs"),
    "stakeholder_role": ("Järjestävät harrastuksia", "Organise pastimes"),
    "indicator": ("Harrastajien osuus", "Share of people with a pastime"),
    "indicator_description": ("Kyselyssä harrastuksen ilmoittaneiden osuus", "Share of survey answers that name a pastime"),
    "decision_body": ("Kaupunginvaltuusto", "The city council"),
}
DECISION_REFERENCE = "14.6.2022 § 57"
APPROVED_ON = date(2022, 6, 14)


def tr(field: str, key: str) -> dict[str, str]:
    fi, en = TEXTS[key]
    return {f"{field}_fi": fi, f"{field}_en": en}


@pytest.fixture
def full_strategy(world):  # type: ignore[no-untyped-def]
    """A strategy with one or more of every part the report shows."""
    strategy = world.strategy
    strategy.approved_on = APPROVED_ON
    strategy.decision_reference = DECISION_REFERENCE
    for code, text in zip(("fi", "en"), TEXTS["decision_body"], strict=True):
        setattr(strategy, f"decision_body_{code}", text)
    strategy.save()
    Vision.objects.create(strategy=strategy, order=0, **tr("label", "label_external"), **tr("text", "vision_external"))
    Vision.objects.create(strategy=strategy, order=1, **tr("label", "label_internal"), **tr("text", "vision_internal"))
    for order, key in enumerate(("value_1", "value_2", "value_3")):
        fi, en = TEXTS[f"{key}_point"]
        Principle.objects.create(
            strategy=strategy, order=order, **tr("title", key), points_fi=f"- {fi}\n- toinen kohta", points_en=f"- {en}\n- a second point"
        )
    perspective = Perspective.objects.create(strategy=strategy, **tr("name", "perspective"))
    goal_1 = Goal.objects.create(
        strategy=strategy, perspective=perspective, order=1, direction=Direction.INCREASE,
        **tr("title", "goal_1"), **tr("description", "goal_1_description"),
    )
    goal_2 = Goal.objects.create(strategy=strategy, perspective=perspective, order=2, **tr("title", "goal_2"))
    for goal, keys in ((goal_1, ("objective_1a", "objective_1b")), (goal_2, ("objective_2a", "objective_2b"))):
        for order, key in enumerate(keys):
            Objective.objects.create(goal=goal, number=f"{goal.order}.{order + 1}", order=order, **tr("title", key))
    area = FocusArea.objects.create(strategy=strategy, number="3.1", **tr("title", "focus_area"))
    Action.objects.create(strategy=strategy, focus_area=area, number="1", **tr("title", "action_area"))
    goal_action = Action.objects.create(strategy=strategy, goal=goal_1, number="2", **tr("title", "action_goal"))
    Action.objects.create(strategy=strategy, number="3", **tr("title", "action_loose"))
    spearhead = SpearheadProgramme.objects.create(strategy=strategy, **tr("name", "spearhead"))
    spearhead.goals.set([goal_1, goal_2])
    Section.objects.create(strategy=strategy, number="4", **tr("title", "section_title"), **tr("body", "section_body"))
    stakeholder = Stakeholder.objects.create(
        strategy=strategy, kind=Stakeholder.Kind.PARTNER, **tr("name", "stakeholder"), **tr("role", "stakeholder_role")
    )
    stakeholder.goals.set([goal_2])
    stakeholder.actions.set([goal_action])
    Indicator.objects.create(strategy=strategy, **tr("name", "indicator"), **tr("description", "indicator_description"))
    return strategy


def extracted_text(content: bytes) -> str:
    """The PDF's text as pypdf extracts it, with every run of white space one space."""
    reader = PdfReader(BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def between(text: str, start: str, end: str) -> str:
    """The text from the first ``start`` after the table of contents to the next ``end``."""
    begin = text.index(start, text.index(start) + 1)  # the first is the contents entry
    return text[begin : text.index(end, begin)]


@pytest.mark.parametrize("language", ["fi", "en"])
def test_pdf_shows_everything_the_strategy_holds(full_strategy, language: str) -> None:
    snapshot = report_snapshot_build(strategy=full_strategy, year=2024, to_year=None, unit=None, language=language)
    content = report_render(snapshot=snapshot)
    text = extracted_text(content)
    index = 0 if language == "fi" else 1

    for key, pair in TEXTS.items():
        expected = pair[index]
        if key.startswith("label_"):
            expected = expected[0].upper() + expected[1:]  # printed as a heading
        assert expected in text, key
    # Nothing of the other language where both are written.
    assert TEXTS["vision_external"][1 - index] not in text

    with translation.override(language):
        assert formats.date_format(APPROVED_ON, "DATE_FORMAT") in text
        assert DECISION_REFERENCE in text
        assert str(Stakeholder.Kind.PARTNER.label) in text
        chapter_values = gettext("Vision and target state")
        chapter_goals = gettext("Perspectives and goals")
        chapter_spearheads = gettext("Spearhead programmes")
        chapter_actions = gettext("Focus areas and actions")
        under_goals = gettext("Actions under the goals")
        other_actions = gettext("Other actions")

    # Values keep their points; goals their perspective and objectives.
    values = between(text, chapter_values, chapter_goals)
    assert TEXTS["value_2_point"][index] in values
    goals = between(text, chapter_goals, chapter_spearheads)
    assert goals.index(TEXTS["perspective"][index]) < goals.index(f"1 {TEXTS['goal_1'][index]}")
    assert goals.index(TEXTS["objective_1b"][index]) < goals.index(f"2 {TEXTS['goal_2'][index]}")
    assert "2.2 " + TEXTS["objective_2b"][index] in goals
    # The spearhead names both goals it is linked to.
    spearheads = between(text, chapter_spearheads, chapter_actions)
    assert TEXTS["goal_1"][index] in spearheads and TEXTS["goal_2"][index] in spearheads

    # Actions without a focus area: under their goal, else under "Other actions".
    actions = between(text, chapter_actions, gettext_in(language, "Stakeholders"))
    assert actions.index(TEXTS["action_area"][index]) < actions.index(under_goals)
    goal_part = actions[actions.index(under_goals) : actions.index(other_actions)]
    assert f"1 {TEXTS['goal_1'][index]}" in goal_part and TEXTS["action_goal"][index] in goal_part
    assert TEXTS["action_loose"][index] in actions[actions.index(other_actions) :]
    assert TEXTS["action_loose"][index] not in goal_part
    # Not the caption of a focus area called "Other actions".
    assert gettext_in(language, "Actions of %(area)s") % {"area": other_actions} not in text

    facts = pdf_facts(content)
    for heading in (chapter_values, chapter_goals, chapter_spearheads, under_goals, other_actions, gettext_in(language, "The strategy document")):
        assert heading in facts["bookmarks"]
    assert f"4 {TEXTS['section_title'][index]}" in facts["bookmarks"]


def gettext_in(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


def test_snapshot_holds_the_parts_in_the_reports_language(full_strategy) -> None:
    snapshot = report_snapshot_build(strategy=full_strategy, year=2024, to_year=None, unit=None, language="en")
    assert snapshot["visions"] == [
        {"label": "external", "text": TEXTS["vision_external"][1]},
        {"label": "internal", "text": TEXTS["vision_internal"][1]},
    ]
    assert snapshot["values"][0]["points"] == [TEXTS["value_1_point"][1], "a second point"]
    [perspective] = snapshot["perspectives"]
    assert [goal["title"] for goal in perspective["goals"]] == [TEXTS["goal_1"][1], TEXTS["goal_2"][1]]
    assert perspective["goals"][0]["direction"] == "increase"
    assert [o["number"] for o in perspective["goals"][1]["objectives"]] == ["2.1", "2.2"]
    assert snapshot["spearheads"][0]["goals"] == [TEXTS["goal_1"][1], TEXTS["goal_2"][1]]
    assert snapshot["stakeholders"][0]["actions"] == [f"2 {TEXTS['action_goal'][1]}"]
    assert snapshot["sections"] == [{"number": "4", "title": TEXTS["section_title"][1], "body": TEXTS["section_body"][1]}]
    assert snapshot["indicators"][0]["description"] == TEXTS["indicator_description"][1]
    assert snapshot["strategy"]["approved_on"] == "2022-06-14"
    assert (snapshot["strategy"]["decision_body"], snapshot["strategy"]["decision_reference"]) == (
        TEXTS["decision_body"][1],
        DECISION_REFERENCE,
    )
    assert [group["title"] for group in snapshot["goal_actions"]] == [TEXTS["goal_1"][1]]
    assert [action["title"] for action in snapshot["other_actions"]["actions"]] == [TEXTS["action_loose"][1]]
    assert [area["title"] for area in snapshot["focus_areas"]] == [TEXTS["focus_area"][1]]


@pytest.fixture
def qualitative_indicator(full_strategy) -> Indicator:  # type: ignore[no-untyped-def]
    """A qualitative indicator: not started → in progress → completed, to be completed in 2025."""
    indicator = Indicator.objects.create(
        strategy=full_strategy, kind=IndicatorKind.QUALITATIVE, name_fi="Digistrategian valmistuminen", order=5
    )
    for ordinal, (fi, en) in enumerate([("Ei aloitettu", "Not started"), ("Käynnissä", "In progress"), ("Valmis", "Completed")]):
        ScaleLevel.objects.create(indicator=indicator, ordinal=ordinal, label_fi=fi, label_en=en)
    Target.objects.create(indicator=indicator, year=2025, value=2)
    Measurement.objects.create(indicator=indicator, year=2023, value=0)
    Measurement.objects.create(indicator=indicator, year=2024, value=1)
    return indicator


def test_qualitative_indicator_is_judged_by_levels_and_printed_as_their_labels(qualitative_indicator) -> None:
    snapshot = report_snapshot_build(
        strategy=qualitative_indicator.strategy, year=2024, to_year=None, unit=None, language="en"
    )
    [entry] = [entry for entry in snapshot["indicators"] if entry["kind"] == IndicatorKind.QUALITATIVE]
    # The target of a year without one is the next level set (no interpolation);
    # a level up since the year before is on track.
    assert (entry["latest_value"], entry["latest_target"], entry["status"]) == ("1", "2", "on_track")
    assert entry["qualitative"]["actual_label"] == "In progress"
    assert entry["qualitative"]["target_label"] == "Completed"
    assert [level["label"] for level in entry["qualitative"]["levels"]] == ["Not started", "In progress", "Completed"]

    text = extracted_text(report_render(snapshot=snapshot))
    assert "2024: actual In progress, target Completed" in text


def test_report_judges_indicators_as_the_indicator_page_does(qualitative_indicator) -> None:
    """One rule: the PDF's status and target are the indicator page's, later targets included."""
    strategy = qualitative_indicator.strategy
    numeric = Indicator.objects.create(strategy=strategy, name_fi="Kävijät", baseline_year=2022, baseline_value=100, order=6)
    Target.objects.create(indicator=numeric, year=2026, value=300)
    Measurement.objects.create(indicator=numeric, year=2024, value=140)
    snapshot = report_snapshot_build(strategy=strategy, year=2024, to_year=None, unit=None, language="fi")
    by_name = {entry["name"]: entry for entry in snapshot["indicators"]}
    for indicator in indicators_with_values(Indicator.objects.filter(pk__in=[numeric.pk, qualitative_indicator.pk])):
        summary = indicator_summary(indicator, year=2024)
        entry = by_name[indicator.name]
        assert entry["status"] == summary.status.value, indicator.name
        assert Decimal(entry["latest_target"]) == summary.target, indicator.name
    # The printed series stops at the report's year.
    assert [point["year"] for point in by_name["Kävijät"]["series"]] == [2024]


def test_missing_language_falls_back_to_finnish(full_strategy) -> None:
    Vision.objects.filter(strategy=full_strategy, order=1).update(text_en=None)
    snapshot = report_snapshot_build(strategy=full_strategy, year=2024, to_year=None, unit=None, language="en")
    assert snapshot["visions"][1]["text"] == TEXTS["vision_internal"][0]


def test_headings_never_skip_a_level(full_strategy) -> None:
    """PDF/UA: the document's headings nest in order, so its bookmarks and tags do."""
    Section.objects.create(strategy=full_strategy, number="5.1", title_fi="Alaluku ilman lukua 5")
    snapshot = report_snapshot_build(strategy=full_strategy, year=2024, to_year=None, unit=None, language="fi")
    html = report_html_build(snapshot=snapshot)
    levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]
    assert levels[0] == 1
    for previous, level in pairwise(levels):
        assert level <= previous + 1, levels


def test_report_frozen_before_the_parts_existed_still_renders(full_strategy) -> None:
    """A snapshot of schema 1 (one vision text, no parts) renders as it did."""
    snapshot: dict[str, Any] = report_snapshot_build(strategy=full_strategy, year=2024, to_year=None, unit=None, language="fi")
    for key in ("visions", "values", "perspectives", "other_goals", "spearheads", "sections", "stakeholders", "goal_actions", "other_actions"):
        del snapshot[key]
    snapshot["schema"] = 1
    snapshot["strategy"]["vision"] = "Vanha visio"
    html = report_html_build(snapshot=snapshot)
    assert "Vanha visio" in html
    assert TEXTS["focus_area"][0] in html
