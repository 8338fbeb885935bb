"""The strategy studio's acceptance test, in Chromium and without the admin.

The demo owner signs in, adds a sector and a library below the city, builds
a new strategy for the sector from nothing (two visions, three values, two
goals with two objectives each, a spearhead linked to both goals, three
actions, a numeric and a qualitative indicator with their targets, a
stakeholder), approves it and invites the library's head. The head chooses a
password through the emailed link and creates and submits the year's plan;
the owner approves it, orders the council report and downloads it, and every
text typed above is found in the PDF. Each new kind of page passes axe.

The test counts what a person would do: clicks (click, check, choosing an
option) and keypresses (one per character typed, one per key pressed), and
writes the totals to ``var/ci/studio-interactions.txt``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from reports import tasks
from reports.models import Report
from reports.services import report_run
from strategy import clock
from strategy.models import AnnualPlan, Organisation, Role, Strategy
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.reports.conftest import media_root  # noqa: F401  (fixture)

from .axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "suunta-demo"
HEAD_PASSWORD = "Lukupiiri-ja-kahvi-42"

SECTOR = "Testilän kulttuuripalvelut"
LIBRARY = "Testilän kirjasto"
TITLE = "Testilän kulttuuristrategia"
VISIONS = [
    ("ulkoinen", "Testilä on kulttuurin kohtaamispaikka"),
    ("sisäinen", "Teemme työtä yhdessä ja rohkeasti"),
]
VALUES = ["Avoimuus", "Yhdenvertaisuus", "Rohkeus"]
GOALS = {
    "Kulttuuri tavoittaa kaikki": ["Lapset lukevat enemmän", "Ikäihmiset osallistuvat"],
    "Kirjasto uudistuu": ["Digipalvelut paranevat", "Tilat ovat viihtyisät"],
}
SPEARHEAD = "Lukeva Testilä"
# (title, goal it serves)
ACTIONS = [
    ("Lukupiirit kouluihin", "Kulttuuri tavoittaa kaikki"),
    ("Kotikirjastopalvelu laajenee", "Kulttuuri tavoittaa kaikki"),
    ("Verkkokirjasto uusitaan", "Kirjasto uudistuu"),
]
NUMERIC = "Kirjastokäynnit asukasta kohden"
QUALITATIVE = "Lukudiplomin käyttöönotto"
STAKEHOLDER = "Testilän koulut"
DECISION_BODY = "Kaupunginvaltuusto"
DECISION_REFERENCE = "12.3.2026 § 21"


@dataclass
class Interactions:
    """The clicks and keypresses a person would make, counted as the test makes them."""

    clicks: int = 0
    keys: int = 0
    urls: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        """Record every address the browser asks for, to prove the admin is never used."""
        page.context.on("request", lambda request: self.urls.append(request.url))

    def click(self, target: Locator) -> None:
        self.clicks += 1
        target.click()

    def check(self, target: Locator) -> None:
        self.clicks += 1
        target.check()

    def select(self, target: Locator, value: str) -> None:
        self.clicks += 1
        target.select_option(value)

    def select_text(self, target: Locator, text: str) -> None:
        """Choose the option that reads ``text`` (tree selects indent their options)."""
        option = target.locator("option").filter(has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))
        self.select(target, option.first.get_attribute("value") or "")

    def fill(self, target: Locator, text: str) -> None:
        self.keys += len(text)
        target.fill(text)

    def press(self, target: Locator, key: str) -> None:
        self.keys += 1
        target.press(key)


@pytest.fixture
def demo_owner(db: None) -> Any:
    """The demo's owner persona as ``load_demo`` makes it: a strategy owner
    with a password, neither staff nor superuser, here on a city of its own."""
    city = OrganisationFactory(name="Testilä", slug="testila", kind=Organisation.Kind.CITY)
    owner = UserFactory(
        username="owner", first_name="Sanna", last_name="Lindholm", email="sanna.lindholm@example.fi", password=DEMO_PASSWORD
    )
    MembershipFactory(user=owner, organisation=city, role=Role.OWNER, title="Kulttuuri- ja vapaa-aikapäällikkö")
    assert not owner.is_staff and not owner.is_superuser
    return owner


@pytest.fixture
def head_page(browser: Any, live_server: Any) -> Iterator[Page]:
    """A second browser with no cookies, for the invited head."""
    context = browser.new_context(
        base_url=live_server.url, locale="fi-FI", extra_http_headers={"Accept-Language": "fi-FI,fi;q=0.9"}
    )
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def sign_in(ui: Interactions, page: Page, username: str, password: str) -> None:
    """Type the username and password into the login page and press Enter."""
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    ui.fill(page.locator("input[name='username']"), username)
    ui.fill(page.locator("input[name='password']"), password)
    with page.expect_navigation():
        ui.press(page.locator("input[name='password']"), "Enter")
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def add_organisation(ui: Interactions, page: Page, parent: str, name: str, kind: str) -> None:
    """On the organisation tree: "Add a unit below" ``parent``, name it and choose its kind."""
    row = page.locator("#organisation-tree li.tree__item").filter(
        has=page.locator(":scope > .tree__row .tree__name", has_text=re.compile(rf"^{re.escape(parent)}"))
    )
    ui.click(row.locator(":scope > .tree__row a[href$='/new/']"))
    expect(page.locator("form.organisation-form")).to_be_visible()
    ui.fill(page.locator("#id_name_fi"), name)
    ui.select(page.locator("#id_kind"), kind)
    ui.click(page.locator("form.organisation-form button[type=submit]"))
    expect(page.locator("#organisation-tree")).to_contain_text(name)


def open_form(ui: Interactions, page: Page, region: str, add_link: Locator | None = None) -> Locator:
    """Open an "Add" form in an edit-mode region (htmx swaps it in) and return it."""
    ui.click(add_link if add_link is not None else page.locator(f"#region-{region} > .editor-add a").first)
    form = page.locator(f"#region-{region} form.part-form")
    expect(form).to_be_visible()
    return form


def save_form(ui: Interactions, page: Page, region: str, text: str) -> None:
    """Save the region's open form and wait until the region shows the new part."""
    ui.click(page.locator(f"#region-{region} form.part-form button[type=submit]"))
    expect(page.locator(f"#region-{region} form.part-form")).to_have_count(0)
    expect(page.locator(f"#region-{region}")).to_contain_text(text)


def save_grid_cell(ui: Interactions, page: Page, cell_id: str, year: int, value: str, *, choose: bool = False) -> None:
    """Type (or choose) a value in the indicator page's grid and save the cell in place."""
    cell = page.locator(f"#{cell_id}")
    if choose:
        ui.select(cell, value)
    else:
        ui.fill(cell, value)
    ui.click(cell.locator("xpath=ancestor::form").locator("button[type=submit]"))
    expect(page.locator("#indicator-announce")).to_contain_text(f", {year}.")


def pdf_text(content: bytes) -> str:
    """The PDF's text, with ligatures unfolded and whitespace collapsed, in lower case."""
    reader = PdfReader(BytesIO(content))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def test_owner_builds_a_strategy_from_nothing_and_the_council_report_shows_it(
    page: Page, head_page: Page, demo_owner: Any, media_root: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    # The report is rendered below by the same service the worker calls, in this process.
    ordered: list[int] = []
    monkeypatch.setattr(tasks.render_report, "delay", lambda report_id: ordered.append(report_id))
    this_year = clock.today().year
    first_year, last_year = this_year - 1, this_year + 4
    ui = Interactions()
    ui.watch(page)
    ui.watch(head_page)

    # --- The owner signs in and adds the sector and its library -------------
    page.goto("/")  # visitors who are not signed in get the welcome page
    with page.expect_navigation():
        ui.click(page.locator("main a[href^='/accounts/login/']"))
    sign_in(ui, page, "owner", DEMO_PASSWORD)
    ui.click(page.locator("main a[href='/organisations/']"))
    expect(page).to_have_url(re.compile(r"/organisations/testila/$"))
    add_organisation(ui, page, "Testilä", SECTOR, Organisation.Kind.SECTOR)
    add_organisation(ui, page, SECTOR, LIBRARY, Organisation.Kind.UNIT)
    assert_accessible(page)

    # --- A blank strategy for the sector, in Finnish -------------------------
    ui.click(page.locator(".site-nav a[href='/']"))
    ui.click(page.locator("main a[href='/strategies/new/']"))
    assert_accessible(page)
    ui.select_text(page.locator("#id_organisation"), SECTOR)
    ui.select(page.locator("#id_main_language"), "fi")
    ui.fill(page.locator("#id_title"), TITLE)
    ui.fill(page.locator("#id_period_start"), str(first_year))
    ui.fill(page.locator("#id_period_end"), str(last_year))
    with page.expect_navigation():
        ui.click(page.locator("main form button[type=submit]"))
    expect(page).to_have_url(re.compile(r"/edit/$"))
    strategy = Strategy.objects.get(title_fi=TITLE)
    assert strategy.organisation.name == SECTOR and strategy.main_language == "fi"

    # --- Its parts, each saved in place ---------------------------------------
    for label, text in VISIONS:
        open_form(ui, page, "vision")
        ui.fill(page.locator("#id_vision_label_fi"), label)
        ui.fill(page.locator("#id_vision_text_fi"), text)
        save_form(ui, page, "vision", label)
    for title in VALUES:
        open_form(ui, page, "principle")
        ui.fill(page.locator("#id_principle_title_fi"), title)
        save_form(ui, page, "principle", title)
    for goal in GOALS:
        open_form(ui, page, "goal")
        ui.fill(page.locator("#id_goal_title_fi"), goal)
        save_form(ui, page, "goal", goal)
    for goal, objectives in GOALS.items():
        for objective in objectives:
            part = page.locator("#region-goal > ol > li").filter(has=page.locator(":scope > .editor-part__row", has_text=goal))
            open_form(ui, page, "goal", part.locator(".editor-children .editor-add a"))
            ui.fill(page.locator("#id_objective_title_fi"), objective)
            save_form(ui, page, "goal", objective)

    form = open_form(ui, page, "spearhead")
    ui.fill(page.locator("#id_spearheadprogramme_name_fi"), SPEARHEAD)
    for goal in GOALS:
        ui.check(form.get_by_role("checkbox", name=goal))
    save_form(ui, page, "spearhead", SPEARHEAD)

    for title, goal in ACTIONS:
        form = open_form(ui, page, "focus-area", page.locator("#region-focus-area > .editor-add a[href$='/edit/action/new/']"))
        ui.select_text(form.locator("#id_action_goal"), goal)
        ui.fill(page.locator("#id_action_title_fi"), title)
        ui.check(form.get_by_role("checkbox", name=LIBRARY, exact=True))
        save_form(ui, page, "focus-area", title)

    open_form(ui, page, "indicator")
    ui.fill(page.locator("#id_indicator_name_fi"), NUMERIC)
    ui.fill(page.locator("#id_indicator_unit_of_measure_fi"), "käyntiä")
    ui.fill(page.locator("#id_indicator_baseline_year"), str(first_year))
    ui.fill(page.locator("#id_indicator_baseline_value"), "4.2")
    save_form(ui, page, "indicator", NUMERIC)
    open_form(ui, page, "indicator")
    ui.fill(page.locator("#id_indicator_name_fi"), QUALITATIVE)
    ui.check(page.locator("#id_indicator_kind input[value='qualitative']"))
    ui.select(page.locator("#id_indicator_scale"), "progress")
    save_form(ui, page, "indicator", QUALITATIVE)

    open_form(ui, page, "stakeholder")
    ui.fill(page.locator("#id_stakeholder_name_fi"), STAKEHOLDER)
    save_form(ui, page, "stakeholder", STAKEHOLDER)
    assert_accessible(page)

    # --- Targets in the indicator pages' grids -------------------------------
    def open_indicator(name: str) -> None:
        part = page.locator("#region-indicator > ol > li").filter(has_text=name)
        ui.click(part.locator("a[href*='/indicators/']"))
        expect(page.locator("h1")).to_have_text(name)

    open_indicator(NUMERIC)
    save_grid_cell(ui, page, f"target-total-{this_year + 1}", this_year + 1, "5")
    save_grid_cell(ui, page, f"target-total-{last_year}", last_year, "6,5")
    assert_accessible(page)
    ui.click(page.locator(".site-header__org a"))  # the strategy, then its edit mode
    ui.click(page.locator(f"main a[href='/strategies/{strategy.slug}/edit/']").first)
    open_indicator(QUALITATIVE)
    save_grid_cell(ui, page, f"target-total-{last_year}", last_year, "2", choose=True)
    assert_accessible(page)

    # --- The council approves it ----------------------------------------------
    ui.click(page.locator(".site-header__org a"))
    ui.click(page.locator(f".version-banner a[href='/strategies/{strategy.slug}/approve/']"))
    expect(page.locator("#approve-form")).to_be_visible()
    assert_accessible(page)
    ui.fill(page.locator("#id_decision_body_fi"), DECISION_BODY)
    ui.fill(page.locator("#id_decision_reference"), DECISION_REFERENCE)
    ui.click(page.locator("#approve-form button[type=submit]"))
    expect(page).to_have_url(re.compile(rf"/strategies/{strategy.slug}/$"))
    expect(page.locator(".approval-line")).to_contain_text(f"{DECISION_BODY} {DECISION_REFERENCE}")

    # --- The owner invites the library's head ----------------------------------
    ui.click(page.locator(".site-nav a[href='/']"))
    ui.click(page.locator("main a[href='/organisations/']"))
    ui.click(page.locator(".strategy-nav a[href$='/people/invite/']"))
    ui.fill(page.locator("#id_first_name"), "Mikko")
    ui.fill(page.locator("#id_last_name"), "Heikkinen")
    ui.fill(page.locator("#id_email"), "mikko.heikkinen@example.fi")
    ui.select_text(page.locator("#id_organisation"), LIBRARY)
    ui.select(page.locator("#id_role"), Role.HEAD)
    ui.select(page.locator("#id_language"), "fi")
    ui.click(page.locator("main form [type='submit']").last)
    expect(page).to_have_url(re.compile(r"/people/\d+/$"))
    expect(page.locator("#person-roles")).to_contain_text(LIBRARY)

    # --- The head chooses a password, signs in and writes the year's plan -----
    [invitation] = mail.outbox
    link = re.search(r"/invitation/\S+/", invitation.body)
    assert link is not None
    head_page.goto(link.group(0))
    expect(head_page).to_have_url(re.compile(r"/set-password/$"))
    assert_accessible(head_page)
    username = head_page.locator("main .narrow strong").first.inner_text()
    ui.fill(head_page.locator("#id_new_password1"), HEAD_PASSWORD)
    ui.fill(head_page.locator("#id_new_password2"), HEAD_PASSWORD)
    with head_page.expect_navigation():
        ui.click(head_page.locator("main form [type='submit']"))
    sign_in(ui, head_page, username, HEAD_PASSWORD)
    ui.click(head_page.locator(".my-units-banner a[href='/my-units/']"))
    ui.click(head_page.locator(f"main a[href^='/strategies/{strategy.slug}/plans/new/']"))
    expect(head_page.locator("#id_unit")).to_contain_text(LIBRARY)
    assert_accessible(head_page)
    for title, _goal in ACTIONS:
        ui.check(head_page.get_by_role("checkbox", name=title))
    with head_page.expect_navigation():
        ui.click(head_page.locator("main form.stack button[type=submit]"))
    expect(head_page).to_have_url(re.compile(r"/plans/\d+/$"))
    ui.click(head_page.locator("#plan-submit-button"))
    expect(head_page.locator("#plan-status .badge--submitted")).to_be_visible()
    plan = AnnualPlan.objects.get(strategy=strategy)
    assert (plan.unit.name, plan.year, plan.items.count()) == (LIBRARY, this_year, 3)

    # --- The owner approves the plan and orders the council report ------------
    ui.click(page.locator(".site-nav a[href='/']"))
    ui.click(page.locator(".my-units-banner a[href='/my-units/']"))
    ui.click(page.locator(f"main a[href='/plans/{plan.pk}/']"))
    ui.click(page.locator("#plan-approve-button"))
    expect(page.locator("#plan-status .badge--approved")).to_be_visible()
    ui.click(page.locator(f".strategy-nav a[href='/strategies/{strategy.slug}/reports/']"))
    ui.select(page.locator("form.report-order select[name='year']"), str(this_year))
    ui.select(page.locator("form.report-order select[name='language']"), "fi")
    ui.click(page.locator("form.report-order [type='submit']"))
    row = page.locator("tr[id^='report-']").first
    row.wait_for()
    report = Report.objects.get(strategy=strategy)
    assert ordered == [report.pk]
    assert report_run(report_id=report.pk).status == Report.Status.DONE
    download_link = row.locator("a[href$='/download/']")
    expect(download_link).to_be_visible(timeout=30_000)  # the row polls every two seconds
    assert_accessible(page)
    with page.expect_download() as downloading:
        ui.click(download_link)
    content = Path(downloading.value.path()).read_bytes()
    assert content.startswith(b"%PDF")

    # --- Every text typed above is in the PDF ----------------------------------
    text = pdf_text(content)
    expected = [
        *(part for vision in VISIONS for part in vision),
        *VALUES,
        *GOALS,
        *(objective for objectives in GOALS.values() for objective in objectives),
        SPEARHEAD,
        *(title for title, _goal in ACTIONS),
        NUMERIC,
        QUALITATIVE,
        STAKEHOLDER,
        DECISION_BODY,
        DECISION_REFERENCE,
    ]
    missing = [phrase for phrase in expected if " ".join(phrase.split()).casefold() not in text]
    assert not missing, f"Not in the council report: {missing}"
    assert LIBRARY.casefold() in text  # the approved plan is reported too

    assert ui.urls and not [url for url in ui.urls if "/admin/" in url]
    summary = f"studio: {ui.clicks} clicks, {ui.keys} keypresses"
    print(summary)
    out = Path(settings.BASE_DIR) / "var" / "ci" / "studio-interactions.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(summary + "\n")


def test_home_page_offers_owners_a_new_strategy(client: Any, world: Any) -> None:
    """The studio starts on the home page: an owner with no strategy yet has no edit mode to start from."""
    client.force_login(world.owner)
    assert 'href="/strategies/new/"' in client.get("/").content.decode()
    client.force_login(world.head)
    assert 'href="/strategies/new/"' not in client.get("/").content.decode()
