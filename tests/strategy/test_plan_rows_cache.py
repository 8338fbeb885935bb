"""The plan page's rows come from the fragment cache until what a row shows
changes; a saved item renders its own row again and no other. Cached rows
are shared by people with the same rights, each form with the reader's own
CSRF token."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from strategy import services
from strategy.models import PlanComment, PlanItem

from .plan_fixtures import count_row_renders
from .test_plan_queries import make_plan

pytestmark = pytest.mark.django_db

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def rows_rendered(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pks of the items whose row the plan page renders (not read from the cache)."""
    return count_row_renders(monkeypatch, "item")


def _client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _row(page: str, item: PlanItem) -> str:
    row = page[page.index(f'<tr id="item-{item.pk}"') :]
    return row[: row.index("</tr>")]


def test_a_second_look_renders_no_row_and_a_save_renders_one(world, rows_rendered: list[int]) -> None:
    plan = make_plan(world, 12, 2026)
    client = _client(world.head)
    url = reverse("plan-detail", args=[plan.pk])
    client.get(url)
    assert len(rows_rendered) == 12
    rows_rendered.clear()
    client.get(url)
    assert rows_rendered == []
    item = plan.items.order_by("pk")[3]
    services.plan_item_update(item=item, user=world.head, expected_version=item.version, data={"status": "delayed", "progress": 35})
    page = client.get(url).content.decode()
    assert rows_rendered == [item.pk]
    assert '<option value="delayed" selected>' in _row(page, item) and 'value="35"' in _row(page, item)


def test_a_new_comment_and_an_edited_action_show_at_once(world) -> None:
    plan = make_plan(world, 3, 2026)
    item = plan.items.order_by("pk").first()
    client = _client(world.head)
    url = reverse("plan-detail", args=[plan.pk])
    before = _row(client.get(url).content.decode(), item)
    PlanComment.objects.create(item=item, author=world.staff, text="Hyvä")
    item.action.title_en = "Reading diploma"
    item.action.save()
    after = _row(client.get(url).content.decode(), item)
    assert after != before
    assert "Reading diploma" in after
    count = PlanComment.objects.filter(item=item).count()
    assert f"{count} comment" in after


def test_each_reader_posts_with_their_own_token_from_shared_rows(world) -> None:
    plan = make_plan(world, 3, 2026)
    item = plan.items.order_by("pk").first()
    url = reverse("plan-detail", args=[plan.pk])
    # Two people with the same rights: the head of the unit and the strategy's owner.
    head, owner = _client(world.head), _client(world.owner)
    head_page, owner_page = head.get(url).content.decode(), owner.get(url).content.decode()
    owner_tokens = set(_TOKEN.findall(_row(owner_page, item)))
    assert len(owner_tokens) == 1 and "csrf-token-slot" not in owner_page
    assert owner_tokens.isdisjoint(_TOKEN.findall(_row(head_page, item)))
    # Without JavaScript: the row's own form, with the token it carries.
    response = owner.post(
        reverse("plan-item-edit", args=[item.pk]),
        {"csrfmiddlewaretoken": owner_tokens.pop(), "quick": "1", "version": item.version, "status": "at_risk", "progress": 20},
    )
    assert response.status_code == 302
    assert PlanItem.objects.get(pk=item.pk).status == "at_risk"


def test_a_reader_who_may_not_edit_gets_rows_without_forms(world) -> None:
    plan = make_plan(world, 3, 2026)
    url = reverse("plan-detail", args=[plan.pk])
    assert _client(world.head).get(url).content.decode().count('class="quick-form"') == 3
    assert 'class="quick-form"' not in _client(world.otherhead).get(url).content.decode()
