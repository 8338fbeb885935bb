
"""The strategy overview shows each seed in its own words, keeps its query
count flat as actions grow, and hides drafts from people outside."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from demo import heinola, helsinki, lahti, lappeenranta
from demo import pietarsaari as p
from strategy.models import (
    Action,
    Direction,
    Membership,
    Organisation,
    Role,
    StrategicChoice,
    Strategy,
)
from tests.demo_fixtures import demo_once_per_module
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# Loaded once for the module; each test's changes are rolled back after it.
demo = demo_once_per_module()


def get(client: Client, username: str, slug: str, language: str = "fi"):
    client.force_login(get_user_model().objects.get(username=username))
    return client.get(reverse("strategy-detail", args=[slug]), HTTP_ACCEPT_LANGUAGE=language)


def plain(markup: str) -> str:
    """Visible text with tags, entities and (non-breaking) spaces normalised."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", markup))
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


def region(markup: str, heading_id: str) -> str:
    """The markup of the section that a heading with this id opens, up to the
    next top-level section heading."""
    start = markup.index(f'id="{heading_id}"')
    following = re.search(r'<h2 id="(?!focus-)', markup[start + 1 :])
    return markup[start : start + 1 + following.start()] if following else markup[start:]


def fi(message: str) -> str:
    with translation.override("fi"):
        return translation.gettext(message)


def test_lahti_eight_choices_in_two_groups_with_trade_offs(demo, client) -> None:
    response = get(client, "owner", lahti.SLUG)
    assert response.status_code == 200
    choices = region(response.content.decode(), "choices-heading")
    with translation.override("fi"):
        external = str(StrategicChoice.Group.EXTERNAL.label)
        internal = str(StrategicChoice.Group.INTERNAL.label)
    text = plain(choices)
    assert text.index(external) < text.index(internal)
    first, second = text.split(internal)
    for theme in ["Asiakkaat", "Arvonluonti", "Osaaminen", "Brändi"]:
        assert f" {theme} " in first and f" {theme} " not in second
    for theme in ["Yhteistyö", "Kasvu", "Talous", "Työkulttuuri"]:
        assert f" {theme} " in second
    assert len(re.findall(r'class="card choice"', choices)) == 8
    assert (
        "Keitä ovat tärkeimmät asiakkaamme, kenelle pyrimme ensisijaisesti luomaan uutta arvoa?"
        in text
    )
    # "Panostamme … enemmän kuin …" as the seed says it, with the UI's words for the frame.
    assert (
        f"{fi('We invest in')} asiakkaisiin, jotka haluavat oppia uutta ja saada elämyksiä "
        f"{fi('more than')} asiakkaisiin, jotka käyvät museoissa tavan vuoksi" in text
    )
    # The second trade-off of a theme, and the one-line summary of the last slide.
    assert (
        f"{fi('We invest in')} markkinointiosaamisen kohdennettuun kehittämiseen {fi('more than')}"
        in text
    )
    assert "Uuden toimintamallin kehittäminen ja työntekijäkokemuksen parantaminen." in text
    assert lahti.PURPOSE in plain(response.content.decode())


def test_pietarsaari_five_focus_areas_with_their_actions(demo, client) -> None:
    response = get(client, "owner", p.SLUG)
    focus = region(response.content.decode(), "focus-heading")
    text = plain(focus)
    positions = []
    for area in p.FOCUS_AREAS:
        heading = f"{area['number']} {area['title']}"
        assert heading in text
        positions.append(text.index(heading))
    assert positions == sorted(positions)
    bounds = [*positions, len(text)]
    for index, area in enumerate(p.FOCUS_AREAS):
        area_text = text[bounds[index] : bounds[index + 1]]
        for title, description, *_ in area["actions"]:
            assert title in area_text
            assert plain(description) in area_text
    assert len(re.findall(r'<li class="action\b', focus)) == 19
    assert "Nuorisopalvelut" in text  # responsible unit of 3.3


def test_pietarsaari_vision_and_target_states(demo, client) -> None:
    text = plain(get(client, "owner", p.SLUG).content.decode())
    assert "Koti on siellä, missä vapaa-aika on lähellä." in text
    for title, _body in p.TARGET_STATES:
        assert title in text


def test_maturity_matrix_five_rows_four_bilingual_levels(demo, client) -> None:
    markup = get(client, "owner", p.SLUG).content.decode()
    table = markup[
        markup.index('<table class="matrix">') : markup.index(
            "</table>", markup.index('class="matrix"')
        )
    ]
    head, body = table.split("<tbody>")
    headers = [plain(cell).strip() for cell in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]
    assert len(headers) == 5
    for (fi_name, sv_name, _en), header in zip(p.LEVELS, headers[1:], strict=True):
        assert fi_name in header and sv_name in header
    assert "Alkava" in headers[1] and "Inleds" in headers[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    assert len(rows) == 5
    for row, (number, title, _section, criteria) in zip(rows, p.DIMENSIONS, strict=True):
        assert f"{number}. {title}" in plain(row)
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        assert [plain(cell).strip() for cell in cells] == criteria


def test_lpr2033_eight_goals_with_direction(demo, client) -> None:
    markup = get(client, "owner", lappeenranta.SLUG).content.decode()
    with translation.override("fi"):
        labels = {value: str(label) for value, label in Direction.choices}
    shown = {}
    for item in re.findall(r'<li class="goal">(.*?)</li>', markup, re.S):
        title = plain(re.search(r'class="goal__title">(.*?)</span>', item, re.S).group(1)).strip()
        direction = re.search(r'class="direction direction--(\w+)">(.*?)</span>', item, re.S)
        shown[title] = (direction.group(1), plain(direction.group(2)).strip())
    expected = {
        title: (direction, labels[direction])
        for _perspective, goals in lappeenranta.PERSPECTIVES
        for title, direction in goals
    }
    assert shown == expected
    assert len(shown) == 8
    text = plain(markup)
    for perspective, _goals in lappeenranta.PERSPECTIVES:
        assert perspective in text
    assert "Uskallamme. Teemme. Onnistumme." in text
    for name, _description in lappeenranta.SPEARHEADS:
        assert name in text


@pytest.mark.parametrize(("language", "total"), [("fi", "15 400 €"), ("en", "15,400 €")])
def test_helsinki_budget_total_is_15400(demo, client, language, total) -> None:
    markup = get(client, "owner", helsinki.SLUG, language).content.decode()
    paragraph = re.search(r'<p class="budget-total">(.*?)</p>', markup, re.S)
    assert paragraph is not None
    assert total in plain(paragraph.group(1))


def test_helsinki_roadmap_horizons_and_participants(demo, client) -> None:
    text = plain(get(client, "owner", helsinki.SLUG).content.decode())
    with translation.override("fi"):
        short, medium = str(Action.Horizon.SHORT.label), str(Action.Horizon.MEDIUM.label)
    assert text.count(short) == 7
    assert text.count(medium) == 2
    assert "Seuranta- ja arviointityöpaja syksyllä 2022" in text
    assert "Osallistuvat museot (demo)" in text
    assert "Museovirastolta haettava avustus 12 320" in text


def test_heinola_schedule_and_parent(demo, client) -> None:
    markup = get(client, "owner", heinola.SLUG).content.decode()
    text = plain(markup)
    webinar = text.index("Webinaari 19.5.2021 klo 18–19.30")
    workshop = text.index("Työpaja alkusyksyllä 2021")
    publication = text.index("Julkistus 6.10.2021")
    assert webinar < workshop < publication
    assert "museonjohtaja" in text
    assert reverse("strategy-detail", args=[heinola.PARENT_SLUG]) in markup
    parent = plain(get(client, "owner", heinola.PARENT_SLUG).content.decode())
    assert "Heinolan taidemuseon tulevaisuusaskelmat" in parent


def _count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="fi")
    assert response.status_code == 200
    return len(context.captured_queries)


def _multiply_actions(slug: str, factor: int) -> None:
    """Give every action of the strategy ``factor - 1`` copies with the same
    focus area, goal, responsible units and Agenda 2030 goals."""
    for action in list(
        Action.objects.filter(strategy__slug=slug).prefetch_related("responsible_units", "sdgs")
    ):
        units, sdgs = list(action.responsible_units.all()), list(action.sdgs.all())
        for copy in range(1, factor):
            twin = Action.objects.create(
                strategy=action.strategy,
                focus_area=action.focus_area,
                goal=action.goal,
                number=f"{action.number}-{copy}",
                title_fi=f"{action.title_fi} ({copy})",
                description_fi=action.description_fi,
                start_year=action.start_year,
                end_year=action.end_year,
                horizon=action.horizon,
                budget=action.budget,
                order=action.order,
            )
            twin.responsible_units.set(units)
            twin.sdgs.set(sdgs)


@pytest.mark.parametrize("slug", [p.SLUG, helsinki.SLUG, heinola.SLUG])
def test_query_count_is_the_same_with_ten_times_the_actions(demo, client, slug) -> None:
    client.force_login(get_user_model().objects.get(username="owner"))
    url = reverse("strategy-detail", args=[slug])
    _count_queries(client, url)  # warm caches (content types, session)
    # A write that changes nothing still renews the content stamp: the content is read again.
    Strategy.objects.filter(slug=slug).update(motto_fi=F("motto_fi"))
    read = _count_queries(client, url)
    cached = _count_queries(client, url)
    assert cached < read
    actions = Action.objects.filter(strategy__slug=slug).count()

    _multiply_actions(slug, 10)

    assert Action.objects.filter(strategy__slug=slug).count() == 10 * actions
    assert (_count_queries(client, url), _count_queries(client, url)) == (read, cached)
    # Every copy stays reachable: the overview shows a focus area's first
    # actions and links to all of them in the roadmap, filtered by focus area.
    last = Action.objects.filter(strategy__slug=slug).order_by("-pk").first()
    assert last.title_fi.endswith("(9)")
    roadmap = reverse("roadmap", args=[slug])
    if last.focus_area_id:
        assert f"{roadmap}?focus_area={last.focus_area_id}" in client.get(url).content.decode()
        shown = client.get(roadmap, {"focus_area": last.focus_area_id, "page": 1}).content.decode()
        pages = [shown]
        page = 2
        while f"page={page}" in pages[-1]:
            pages.append(client.get(roadmap, {"focus_area": last.focus_area_id, "page": page}).content.decode())
            page += 1
        assert any(html.escape(last.title_fi) in content for content in pages)


def test_outsider_gets_404_for_the_helsinki_draft(demo, client) -> None:
    outsider = UserFactory(username="outsider")
    client.force_login(outsider)
    assert client.get(reverse("strategy-detail", args=[helsinki.SLUG])).status_code == 404
    # Approved strategies are open to every signed-in user.
    assert client.get(reverse("strategy-detail", args=[lahti.SLUG])).status_code == 200
    home = client.get(reverse("home")).content.decode()
    assert "Digistrategia 2.0" not in home
    assert "Lahden museoiden strategia" in home


@pytest.mark.parametrize("username", ["head", "staff", "otherhead", "viewer"])
def test_pietarsaari_people_get_404_for_the_helsinki_draft(demo, client, username) -> None:
    assert get(client, username, helsinki.SLUG).status_code == 404
    assert get(client, username, p.SLUG).status_code == 200


def test_owner_sees_the_helsinki_draft_and_all_seeds_on_home(demo, client) -> None:
    response = get(client, "owner", helsinki.SLUG)
    assert response.status_code == 200
    with translation.override("fi"):
        draft = translation.gettext("Draft")
    assert draft in plain(response.content.decode())
    home = plain(client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fi").content.decode())
    for title in [
        "Kulttuuri- ja vapaa-aikapalveluiden strategia 2022–2027",
        "Lahden museoiden strategia",
        "Lappeenrannan kaupunkistrategia LPR2033",
        "Digistrategia 2.0",
        "Heinolan taidemuseon tulevaisuusaskelmat",
    ]:
        assert title in home


def test_participating_museum_reads_the_joint_draft(demo, client) -> None:
    member = UserFactory(username="participant")
    museum = helsinki.PARTICIPANTS + "-3"
    Membership.objects.create(
        user=member, organisation=Organisation.objects.get(slug=museum), role=Role.STAFF
    )
    client.force_login(member)
    assert client.get(reverse("strategy-detail", args=[helsinki.SLUG])).status_code == 200


def test_anonymous_is_sent_to_login(demo, client) -> None:
    response = client.get(reverse("strategy-detail", args=[p.SLUG]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
