"""The plan page writes each row's inline status and progress fields from the
item itself: no form object per row (it was 40 % of the page's time at 40
items), the same fields and ids, and a pinned number of queries."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from strategy.forms import PlanItemForm
from strategy.models import PlanItem

from .test_plan_queries import make_plan

# Measured at 40 items (the same at 10 and 300: test_plan_queries).
PLAN_PAGE_QUERIES = 10


@pytest.fixture
def forms_built(monkeypatch: pytest.MonkeyPatch) -> list[PlanItemForm]:
    built: list[PlanItemForm] = []
    original = PlanItemForm.__init__

    def counting(self: PlanItemForm, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)
        built.append(self)

    monkeypatch.setattr(PlanItemForm, "__init__", counting)
    return built


def test_plan_page_of_40_items_builds_no_form_per_row(
    world, client, forms_built: list[PlanItemForm], django_assert_max_num_queries
) -> None:
    plan = make_plan(world, 40, 2026)
    client.force_login(world.head)
    url = reverse("plan-detail", args=[plan.pk])
    client.get(url)  # settle the session
    with django_assert_max_num_queries(PLAN_PAGE_QUERIES):
        page = client.get(url).content.decode()
    assert forms_built == []
    items = list(PlanItem.objects.filter(plan=plan).order_by("pk"))
    assert page.count('class="quick-form"') == 40
    item = items[7]
    row = page[page.index(f'<tr id="item-{item.pk}"') :]
    row = row[: row.index("</tr>")]
    assert f'<input type="hidden" name="version" value="{item.version}" id="id_item{item.pk}_version">' in row
    assert re.search(rf'<select name="status" id="id_item{item.pk}_status">.*<option value="on_track" selected>', row)
    assert f'value="{item.progress}" min="0" max="100"' in row and f'id="id_item{item.pk}_progress"' in row
    assert f'<label for="id_item{item.pk}_status">' in row and f'<label for="id_item{item.pk}_progress">' in row


def test_a_row_with_an_error_comes_back_with_its_bound_form(world, client) -> None:
    plan = make_plan(world, 3, 2026)
    item = plan.items.order_by("pk").first()
    client.force_login(world.head)
    response = client.post(
        reverse("plan-item-edit", args=[item.pk]),
        {"quick": "1", "version": str(item.version), "status": "on_track", "progress": "140"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert 'value="140"' in body and 'aria-invalid="true"' in body and f'id="id_item{item.pk}_progress_error"' in body
