"""Every URL pattern name of ``config.urls`` and how its page is checked with axe.

``tests/browser/test_page_coverage.py`` has a fast test (no browser) that fails
when a named URL pattern has no entry here, and a browser test that opens
every ``Page`` below in Swedish at desktop width and in Finnish on a 390 px
wide phone, runs axe (WCAG 2.1 A/AA) on it and on each of its htmx states,
checks ``<html lang>`` and that the phone never scrolls sideways.

How to register a page you add
==============================

Add one entry to ``PAGES``, keyed by the URL pattern's name (with its
namespace, ``"public:strategy"``, if the pattern is namespaced). The value is
one of:

``Page(persona, url, states=(...))``
    The browser test opens ``url()`` as ``persona`` and checks it.

    * ``persona`` is a demo username (``"owner"``, ``"head"``, ``"staff"``,
      ``"otherhead"``, ``"viewer"``; see ``demo/personas.py``) or
      ``ANONYMOUS`` for someone who is not signed in.
    * ``url`` is a function without arguments that returns the path. It is
      called inside the test after ``load_demo`` has run, so it may look
      things up in the demo data with the helpers below (``demo_strategy()``,
      ``organisation(slug)``, ``library_plan()``…) and may create or change
      what the page needs (publish a strategy, make a report), as long as it
      leaves other pages as they were. Build paths with ``reverse()``.
    * ``states`` are htmx states of the page: ``State(name, open)`` where
      ``open(page)`` takes the Playwright page, already showing ``url()``,
      and brings it into the state (click "Edit", submit an empty form…)
      and waits for it (``expect(...).to_be_visible()``). The test runs axe
      after each state and reloads the page before the next one.
    * Use a tuple of ``Page`` to check a page as several personas.

``CoveredBy("tests/browser/test_x.py::test_name")``
    An existing test already runs axe on this page (and its htmx states) in
    Finnish and in Swedish. The fast test imports the module and fails if
    the function is not there.

``Exempt("reason")``
    Not an HTML page a person reads: POST-only actions (their responses are
    the pages they redirect to or the fragments checked as states), file
    downloads, JSON endpoints, the language switch, single sign-on callbacks.

Many names at once: ``MATCHING`` maps shell-style patterns (``fnmatch``) to
an entry, for groups such as a JSON API's endpoints
(``"api:*-list": Exempt("JSON")``). A name in ``PAGES`` wins over a pattern,
so a namespace's HTML pages (``"api:docs"``) can be checked while the rest
of it is exempt. Every pattern must match at least one URL name.

Whole namespaces are exempted in ``EXEMPT_NAMESPACES`` (Django's admin).
Patterns without a name cannot be reversed and so cannot be checked: the
fast test fails on them outside the exempted namespaces.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import expect

ANONYMOUS = ""
DEMO_SLUG = "pietarsaari-kulttuuri-ja-vapaa-aika-2022-2027"
LIBRARY = "pietarsaari-kirjastopalvelut"
SECTOR = "pietarsaari-kulttuuri-ja-vapaa-aika"
MUSEUM = "pietarsaari-museo"


@dataclass(frozen=True)
class State:
    """An htmx state of a page: ``open(page)`` brings the page into it."""

    name: str
    open: Callable[[Any], None]


@dataclass(frozen=True)
class Page:
    """A page the browser test opens as ``persona`` and checks with axe."""

    persona: str
    url: Callable[[], str]
    states: tuple[State, ...] = field(default=())


@dataclass(frozen=True)
class CoveredBy:
    """A page an existing test checks with axe in Finnish and Swedish: ``path/to/test.py::test_name``."""

    test: str


@dataclass(frozen=True)
class Exempt:
    """A URL that is not a page people read, and why."""

    reason: str


Entry = Page | tuple[Page, ...] | CoveredBy | Exempt

EXEMPT_NAMESPACES: dict[str, str] = {
    "admin": "Django's admin is for the server's administrators and is not part of the service's pages",
}

POST_ONLY = "a POST-only action: it redirects to a page checked here or returns a fragment checked as a state"
DOWNLOAD = "a file download, not an HTML page"
EDITOR_TEST = (
    "tests/browser/test_editor_pages_axe.py::test_every_editor_page_and_htmx_state_passes_axe"
)


# -- Looking things up in the demo data ---------------------------------------


def demo_strategy() -> Any:
    from strategy.models import Strategy

    return Strategy.objects.get(slug=DEMO_SLUG)


def strategy_url(name: str, *args: Any) -> Callable[[], str]:
    """A builder for a page of the demo's Pietarsaari strategy."""
    return lambda: reverse(name, args=[DEMO_SLUG, *args])


def organisation(slug: str) -> Any:
    from strategy.models import Organisation

    return Organisation.objects.get(slug=slug)


def public_actions_url() -> str:
    """The public action list of the first published demo strategy."""
    from public.services import public_strategies

    strategy = public_strategies().order_by("pk").first()
    return reverse("public-action-list", args=[strategy.organisation.slug, strategy.slug])


def organisation_url(name: str, slug: str) -> Callable[[], str]:
    return lambda: reverse(name, args=[slug])


def user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def library_plan() -> Any:
    """The library's newest annual plan of the demo strategy."""
    from strategy.models import AnnualPlan

    return (
        AnnualPlan.objects.filter(strategy__slug=DEMO_SLUG, unit__slug=LIBRARY)
        .order_by("-year")
        .first()
    )


def library_item() -> Any:
    return library_plan().items.order_by("pk").first()


def indicator() -> Any:
    """The demo strategy's first numeric indicator (its grid has text boxes)."""
    from indicators.models import Indicator, IndicatorKind

    return (
        Indicator.objects.filter(strategy__slug=DEMO_SLUG, kind=IndicatorKind.NUMERIC)
        .order_by("pk")
        .first()
    )


def maturity_model() -> Any:
    from maturity.models import MaturityModel

    return MaturityModel.objects.filter(strategy__slug=DEMO_SLUG).order_by("pk").first()


def maturity_round() -> Any:
    from maturity.models import AssessmentRound

    return AssessmentRound.objects.filter(model__strategy__slug=DEMO_SLUG).order_by("-year").first()


def dimension() -> Any:
    return maturity_model().dimensions.order_by("order", "pk").first()


def person_url() -> str:
    return reverse("person-detail", args=[SECTOR, user("staff").pk])


def person_deactivate_url() -> str:
    return reverse("person-deactivate", args=[SECTOR, user("staff").pk])


def invitation_url() -> str:
    from strategy import services_people as services

    invited = user("staff2")
    uid = urlsafe_base64_encode(force_bytes(invited.pk))
    return reverse("invitation-accept", args=[uid, services.invitation_token.make_token(invited)])


def password_reset_url() -> str:
    person = user("staff3")
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    return reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(person)])


def second_factor_url() -> str:
    """The code page of someone who has set up two-step sign-in (staff4, who
    is used for nothing else, because they must give a code after signing in)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=user("staff4"), name="phone", confirmed=True)
    return reverse("totp-verify")


def import_job_url() -> str:
    """A finished import with a row error, so the page shows its error table."""
    from indicators.models import ImportJob

    job = ImportJob.objects.create(
        strategy=demo_strategy(),
        created_by=user("owner"),
        original_name="arvot.xlsx",
        status=ImportJob.Status.INVALID,
    )
    return reverse("import-detail", args=[DEMO_SLUG, job.pk])


def report_url() -> str:
    """A finished report of the demo strategy."""
    from reports.models import Report

    report = Report.objects.create(
        strategy=demo_strategy(), year=2023, language="fi", status=Report.Status.DONE
    )
    return reverse("report-status", args=[DEMO_SLUG, report.pk])


def cell_url(name: str) -> Callable[[], str]:
    return lambda: reverse(
        name, args=[DEMO_SLUG, indicator().pk, demo_strategy().years[0], "total"]
    )


# -- htmx states ----------------------------------------------------------------


def submit_empty(form_selector: str) -> Callable[[Any], None]:
    """Empty every text field of the form and submit it: the validation errors."""

    def open_state(page: Any) -> None:
        form = page.locator(form_selector).first
        # The server's messages are the state to check, not the browser's own.
        form.evaluate("form => { form.noValidate = true; }")
        for box in form.locator(
            "input[type=text]:visible, input[type=email]:visible, input[type=number]:visible, textarea:visible"
        ).all():
            box.fill("")
        form.locator("[type=submit]").first.click()
        expect(page.locator("[role=alert], .errorlist").first).to_be_visible()

    return open_state


def login_error(page: Any) -> None:
    """A wrong username or password: the form's error."""
    page.locator("input[name=username]").fill("nobody")
    page.locator("input[name=password]").fill("wrong password")
    page.locator("main form [type=submit]").click()
    expect(page.locator("main [role=alert]")).to_be_visible()


def start_second_factor(page: Any) -> None:
    """Setting up two-step sign-in: the QR code and the code field. (Once
    started, the page shows them until the setup is finished.)"""
    start = page.locator("main form[action$='/totp/start/'] [type=submit]")
    if start.count():
        start.click()
    expect(page.locator("main img")).to_be_visible()


def wrong_code(page: Any) -> None:
    page.locator("main input[name=code]").fill("000000")
    page.locator("main form [type=submit]").click()
    expect(
        page.locator("main .errorlist, main .field-error, main [role=alert]").first
    ).to_be_visible()


def wrong_cell_value(page: Any) -> None:
    """A value that is not a number in the indicator's grid."""
    form = page.locator("form.cell-form:has(input[name=value])").first
    form.locator("input[name=value]").fill("not a number")
    form.locator("[type=submit]").click()
    expect(page.locator(".cell-form .field-error").first).to_be_visible()


def open_plan_item_form(page: Any) -> None:
    page.locator(".plan-item__links a[hx-get]").first.click()
    expect(page.locator("form.item-form")).to_be_visible()


def plan_item_form_error(page: Any) -> None:
    open_plan_item_form(page)
    form = page.locator("form.item-form")
    form.evaluate("form => { form.noValidate = true; }")
    form.locator("input[name=progress]").fill("150")
    form.locator("[type=submit]").click()
    expect(
        page.locator("form.item-form .errorlist, form.item-form [role=alert]").first
    ).to_be_visible()


def quick_form_error(page: Any) -> None:
    form = page.locator("form.quick-form").first
    form.evaluate("form => { form.noValidate = true; }")
    form.locator("input[name=progress]").fill("150")
    form.locator("[type=submit]").click()
    expect(page.locator("form.quick-form .errorlist").first).to_be_visible()


# -- The registry -----------------------------------------------------------------

PAGES: dict[str, Entry] = {
    # accounts
    "login": Page(ANONYMOUS, lambda: reverse("login"), (State("wrong password", login_error),)),
    "logout": Exempt(POST_ONLY),
    "password_change": Page("owner", lambda: reverse("password_change")),
    "password_change_done": Page("owner", lambda: reverse("password_change_done")),
    "password_reset": Page(ANONYMOUS, lambda: reverse("password_reset")),
    "password_reset_done": Page(ANONYMOUS, lambda: reverse("password_reset_done")),
    "password_reset_confirm": Page(ANONYMOUS, password_reset_url),
    "password_reset_complete": Page(ANONYMOUS, lambda: reverse("password_reset_complete")),
    "account-security": Page(
        "owner", lambda: reverse("account-security"), (State("QR code", start_second_factor),)
    ),
    "totp-verify": Page("staff4", second_factor_url, (State("wrong code", wrong_code),)),
    "totp-start": Exempt(POST_ONLY),
    "totp-confirm": Exempt(POST_ONLY),
    "totp-disable": Exempt(POST_ONLY),
    "oidc_authentication_init": Exempt("redirects to the city's identity provider"),
    "oidc_authentication_callback": Exempt(
        "the identity provider's callback: a redirect, not a page"
    ),
    "set_language": Exempt("the language switch: a POST that redirects back"),
    # strategy: overview and plans
    "home": Page("owner", lambda: reverse("home")),
    "accessibility": Page(ANONYMOUS, lambda: reverse("accessibility")),
    "accessibility-feedback-send": CoveredBy(
        "tests/browser/test_accessibility_fixes.py::test_statement_and_feedback_form_pass_axe_and_fit_a_phone"
    ),
    "accessibility-feedback-list": CoveredBy(
        "tests/browser/test_accessibility_fixes.py::test_superuser_pages_pass_axe_and_fit_a_phone"
    ),
    "accessibility-feedback-answered": Exempt(POST_ONLY),
    "accessibility-edit": CoveredBy(
        "tests/browser/test_accessibility_fixes.py::test_superuser_pages_pass_axe_and_fit_a_phone"
    ),
    "strategy-detail": (
        Page("owner", strategy_url("strategy-detail")),
        Page("viewer", strategy_url("strategy-detail")),
    ),
    "my-units": Page("head", lambda: reverse("my-units")),
    "plan-list": Page("owner", strategy_url("plan-list")),
    "plan-create": Page("head", strategy_url("plan-create")),
    "plan-year-close": Exempt(POST_ONLY),
    "plan-year-reopen": Exempt(POST_ONLY),
    "roadmap": Page("owner", strategy_url("roadmap")),
    "plan-detail": (
        Page(
            "head",
            lambda: reverse("plan-detail", args=[library_plan().pk]),
            (
                State("item edit form", open_plan_item_form),
                State("item edit form with an error", plan_item_form_error),
                State("quick form with an error", quick_form_error),
            ),
        ),
        Page("viewer", lambda: reverse("plan-detail", args=[library_plan().pk])),
    ),
    "plan-submit": Exempt(POST_ONLY),
    "plan-approve": Exempt(POST_ONLY),
    "plan-return": Exempt(POST_ONLY),
    "plan-export-xlsx": Exempt(DOWNLOAD),
    "plan-print": Page("head", lambda: reverse("plan-print", args=[library_plan().pk])),
    "plan-item-edit": Page("head", lambda: reverse("plan-item-edit", args=[library_item().pk])),
    "plan-item-history": Page(
        "head", lambda: reverse("plan-item-history", args=[library_item().pk])
    ),
    "plan-item-comment": Page(
        "head",
        lambda: reverse("plan-item-comment", args=[library_item().pk]),
        (State("empty comment", submit_empty("main form.stack")),),
    ),
    # strategy: the studio (the editor's own test covers every kind of part)
    "editor": CoveredBy(EDITOR_TEST),
    "part-create": CoveredBy(EDITOR_TEST),
    "part-edit": CoveredBy(EDITOR_TEST),
    "part-delete": CoveredBy(EDITOR_TEST),
    "part-move": Exempt(POST_ONLY),
    "strategy-settings": Page("owner", strategy_url("strategy-settings")),
    "strategy-history": Page("owner", strategy_url("strategy-history")),
    "strategy-create": Page("owner", lambda: reverse("strategy-create")),
    "version-list": Page("owner", strategy_url("version-list")),
    "version-changes": Page("owner", strategy_url("version-changes", 1)),
    "strategy-approve": Page(
        "owner",
        strategy_url("strategy-approve"),
        (State("errors", submit_empty("form.approve-form")),),
    ),
    "strategy-archive": Page("owner", strategy_url("strategy-archive")),
    # Of an approved strategy: the page says why it cannot be restored now.
    "strategy-restore": Page("owner", strategy_url("strategy-restore")),
    # organisations and people
    "organisation-index": Page("owner", lambda: reverse("organisation-index")),
    "organisation-tree": Page("owner", organisation_url("organisation-tree", SECTOR)),
    "organisation-create": Page(
        "owner",
        organisation_url("organisation-create", SECTOR),
        (State("errors", submit_empty("form.organisation-form")),),
    ),
    "organisation-edit": Page("owner", organisation_url("organisation-edit", LIBRARY)),
    "organisation-move": Page("owner", organisation_url("organisation-move", LIBRARY)),
    "organisation-dissolve": Page("owner", organisation_url("organisation-dissolve", MUSEUM)),
    "people-list": Page("owner", organisation_url("people-list", SECTOR)),
    "person-invite": Page(
        "owner",
        organisation_url("person-invite", SECTOR),
        (State("errors", submit_empty("main form.stack")),),
    ),
    "person-detail": Page("owner", person_url),
    "person-role-add": Exempt(POST_ONLY),
    "person-role-remove": Exempt(POST_ONLY),
    "person-deactivate": Page("owner", person_deactivate_url),
    "invitation-accept": Page(ANONYMOUS, invitation_url),
    "profile": Page(
        "staff", lambda: reverse("profile"), (State("errors", submit_empty("main form.stack")),)
    ),
    # indicators
    "indicator-list": Page("owner", strategy_url("indicator-list")),
    "indicator-export-xlsx": Exempt(DOWNLOAD),
    "indicator-export-csv": Exempt(DOWNLOAD),
    "import-upload": Page("owner", strategy_url("import-upload")),
    "import-detail": Page("owner", import_job_url),
    "import-apply": Exempt(POST_ONLY),
    "import-cancel": Exempt(POST_ONLY),
    "indicator-detail": Page(
        "owner",
        lambda: reverse("indicator-detail", args=[DEMO_SLUG, indicator().pk]),
        (State("a value that is not a number", wrong_cell_value),),
    ),
    "measurement-edit": Page("owner", cell_url("measurement-edit")),
    "target-edit": Page("owner", cell_url("target-edit")),
    "sdg-filter": Page("viewer", strategy_url("sdg-filter")),
    # maturity
    "maturity-overview": Page("owner", strategy_url("maturity-overview")),
    "maturity-heatmap": Page("owner", strategy_url("maturity-heatmap")),
    "maturity-model-create": Page("owner", strategy_url("maturity-model-create")),
    "maturity-model-copy": Exempt(POST_ONLY),
    "maturity-model-edit": Page(
        "owner", lambda: reverse("maturity-model-edit", args=[DEMO_SLUG, maturity_model().pk])
    ),
    "maturity-dimension-create": Page(
        "owner", lambda: reverse("maturity-dimension-create", args=[DEMO_SLUG, maturity_model().pk])
    ),
    "maturity-dimension-edit": Page(
        "owner",
        lambda: reverse(
            "maturity-dimension-edit", args=[DEMO_SLUG, maturity_model().pk, dimension().pk]
        ),
    ),
    "maturity-unit-target-set": Exempt(POST_ONLY),
    "maturity-round-create": Page("owner", strategy_url("maturity-round-create")),
    "maturity-round-detail": Page(
        "owner", lambda: reverse("maturity-round-detail", args=[DEMO_SLUG, maturity_round().pk])
    ),
    "maturity-round-close": Exempt(POST_ONLY),
    "maturity-round-csv": Exempt(DOWNLOAD),
    "maturity-round-xlsx": Exempt(DOWNLOAD),
    "maturity-unit-result": Page(
        "head",
        lambda: reverse("maturity-unit-result", args=[DEMO_SLUG, maturity_round().pk, LIBRARY]),
    ),
    "maturity-assess": Page(
        "staff", lambda: reverse("maturity-assess", args=[DEMO_SLUG, maturity_round().pk, LIBRARY])
    ),
    "maturity-agreed-save": Exempt(POST_ONLY),
    "maturity-unit-history": Page("head", strategy_url("maturity-unit-history", LIBRARY)),
    # reports
    "report-list": Page("owner", strategy_url("report-list")),
    "report-order": Exempt(POST_ONLY),
    "report-status": Page("owner", report_url),
    "report-download": Exempt(DOWNLOAD),
    "report-reorder": Exempt(POST_ONLY),
    "report-publish": Exempt(POST_ONLY),
    # the REST API: JSON endpoints (MATCHING below) and these pages
    "api:docs": CoveredBy(
        "tests/browser/test_api_docs.py::test_api_docs_page_renders_under_the_csp_and_passes_axe"
    ),
    "api:report-download": Exempt(DOWNLOAD),
    "api-token-create": CoveredBy(
        "tests/browser/test_api_docs.py::test_profile_api_token_section_passes_axe"
    ),
    "api-token-revoke": CoveredBy(
        "tests/browser/test_api_docs.py::test_profile_api_token_section_passes_axe"
    ),
    # search
    "search": CoveredBy(
        "tests/browser/test_search.py::test_signed_in_search_passes_axe_with_results_with_none_and_while_typing"
    ),
    "public-search": CoveredBy(
        "tests/browser/test_search.py::test_public_search_passes_axe_with_results_with_none_and_while_typing"
    ),
    # the public pages for residents (anonymous, fi and sv, desktop and phone)
    "public-index": CoveredBy(
        "tests/browser/test_public_pages.py::test_every_public_page_passes_axe_in_finnish_and_swedish_and_on_a_phone"
    ),
    "public-organisation": CoveredBy(
        "tests/browser/test_public_pages.py::test_every_public_page_passes_axe_in_finnish_and_swedish_and_on_a_phone"
    ),
    "public-strategy": CoveredBy(
        "tests/browser/test_public_pages.py::test_every_public_page_passes_axe_in_finnish_and_swedish_and_on_a_phone"
    ),
    "public-action-list": Page(ANONYMOUS, public_actions_url),
    "public-indicator-list": CoveredBy(
        "tests/browser/test_public_pages.py::test_every_public_page_passes_axe_in_finnish_and_swedish_and_on_a_phone"
    ),
    "public-indicator": CoveredBy(
        "tests/browser/test_public_pages.py::test_every_public_page_passes_axe_in_finnish_and_swedish_and_on_a_phone"
    ),
    "public-maturity": CoveredBy(
        "tests/browser/test_public_pages.py::test_every_public_page_passes_axe_in_finnish_and_swedish_and_on_a_phone"
    ),
    "public-language": Exempt(
        "the public pages' language switch: a link that sets the cookie and redirects back"
    ),
    "public-report-download": Exempt(DOWNLOAD),
    # StratML import and export
    "stratml-download": Exempt(DOWNLOAD),
    "stratml-import": CoveredBy(
        "tests/browser/test_stratml.py::test_stratml_import_pages_pass_axe"
    ),
    "stratml-import-job": CoveredBy(
        "tests/browser/test_stratml.py::test_stratml_import_pages_pass_axe"
    ),
    "stratml-import-apply": Exempt(POST_ONLY),
    "stratml-import-cancel": Exempt(POST_ONLY),
    # translations
    "translation-overview": CoveredBy(
        "tests/browser/test_translations.py::test_translation_pages_and_their_htmx_states_pass_axe"
    ),
    "translation-text": CoveredBy(
        "tests/browser/test_translations.py::test_translation_pages_and_their_htmx_states_pass_axe"
    ),
    "translation-export": Exempt(DOWNLOAD),
    "translation-import": CoveredBy(
        "tests/browser/test_translations.py::test_translation_pages_and_their_htmx_states_pass_axe"
    ),
    "translation-import-detail": CoveredBy(
        "tests/browser/test_translations.py::test_translation_pages_and_their_htmx_states_pass_axe"
    ),
    "translation-import-apply": Exempt(POST_ONLY),
}


# Shell-style patterns of URL names (fnmatch) for groups of names; see the docstring.
MATCHING: dict[str, Entry] = {
    "api:*": Exempt(
        "a JSON endpoint of the REST API (schema, lists, details, writes), not an HTML page"
    ),
}


def entry_for(name: str) -> Entry | None:
    """The registry's entry for a URL name: its own, else the first matching pattern's."""
    if name in PAGES:
        return PAGES[name]
    for pattern, entry in MATCHING.items():
        if fnmatch.fnmatchcase(name, pattern):
            return entry
    return None


def pages() -> list[tuple[str, Page]]:
    """Every ``Page`` in the registry with its URL name, in registry order."""
    found: list[tuple[str, Page]] = []
    for name, entry in PAGES.items():
        if isinstance(entry, Page):
            found.append((name, entry))
        elif isinstance(entry, tuple):
            found.extend((name, page) for page in entry)
    return found
