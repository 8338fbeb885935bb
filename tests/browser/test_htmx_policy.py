"""htmx's response handling is configured once: a 422 answer (invalid input)
is swapped into the page like a 200, on every page, so the person sees why
nothing happened. Before, an invalid report order sent by htmx answered 400,
which htmx drops, and the person saw nothing."""

from __future__ import annotations

import pytest

from reports.models import Report
from tests.reports.conftest import media_root, report_world  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_invalid_report_order_sent_by_htmx_shows_its_message(report_world, media_root, page, login) -> None:  # noqa: F811
    login(page, "owner")
    url = f"/strategies/{report_world.strategy.slug}/reports/"
    page.goto(url)
    form = page.locator("form.report-order")
    years = form.locator("select[name='year'] option").evaluate_all("options => options.map(o => o.value)")
    first, last = max(years), min(years)
    assert first != last
    form.locator("select[name='year']").select_option(first)
    form.locator("select[name='to_year']").select_option(last)
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        form.locator("[type='submit']").click()
    assert answer.value.status == 422
    message = page.get_by_text("Viimeinen vuosi ei voi olla ennen ensimmäistä vuotta.")
    message.wait_for()
    assert page.url.endswith(url)
    assert not Report.objects.exists()
