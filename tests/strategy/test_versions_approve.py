"""Approving freezes a version: the snapshot keeps every part in every
language, later edits in the editor leave it untouched and show owners a
banner, and approving again makes version 2."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from strategy import versions
from strategy.editor import KINDS
from strategy.models import Goal, Strategy, StrategyVersion
from strategy.models.versions import FrozenVersionError
from tests.factories import every_part

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def owner_client(world: Any) -> Client:
    client = Client()
    client.force_login(world.owner)
    return client


def approve(client: Client, strategy: Strategy, *, headers: dict[str, str] | None = None, **data: str) -> Any:
    """Open the approval form and send it as its reader would."""
    url = reverse("strategy-approve", args=[strategy.slug])
    form = client.get(url).context["form"]
    posted = {
        "approved_on": "2022-06-14",
        "decision_body_fi": "Kaupunginvaltuusto",
        "decision_body_sv": "Stadsfullmäktige",
        "decision_reference": "14.6.2022 § 57",
        "version": str(form.initial["version"]),
        "content": form.initial["content"],
        **data,
    }
    return client.post(url, posted, headers=headers or {})


def edit_goal(client: Client, strategy: Strategy, goal: Goal, title: str) -> None:
    goal.refresh_from_db()
    url = reverse("part-edit", args=[strategy.slug, "goal", goal.pk])
    data = {"title_fi": title, "title_sv": goal.title_sv, "title_en": title, "version": str(goal.version)}
    if goal.perspective_id:
        data["perspective"] = str(goal.perspective_id)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_approving_freezes_every_part_in_every_language(world, caplog) -> None:
    every_part(world.strategy)
    client = owner_client(world)

    with caplog.at_level("INFO", logger="suunta.security"):
        response = approve(client, world.strategy, note="Ensimmäinen versio")

    assert response.status_code == 302 and response["Location"] == reverse("strategy-detail", args=[world.strategy.slug])
    version = StrategyVersion.objects.get(strategy=world.strategy)
    assert (version.number, version.approved_on, version.decision_reference) == (1, datetime.date(2022, 6, 14), "14.6.2022 § 57")
    assert version.decision_body == {"fi": "Kaupunginvaltuusto", "sv": "Stadsfullmäktige", "en": ""}
    assert version.created_by == world.owner and version.note == "Ensimmäinen versio"
    parts = version.snapshot["parts"]
    made = {"vision", "principle", "section", "target-state", "choice", "trade-off", "perspective",
            "goal", "objective", "spearhead", "focus-area", "action", "stakeholder"}
    assert set(parts) == set(KINDS) and made <= set(parts)  # every kind of the editor, made or not
    assert all(len(parts[key]) == 1 for key in made)
    goal = parts["goal"][0]
    assert goal["title"] == {"fi": "Tavoite 0 fi", "sv": "Tavoite 0 sv", "en": "Tavoite 0 en"}
    assert parts["trade-off"][0]["more_than"] == {"fi": "vanhaan 0 fi", "sv": "vanhaan 0 sv", "en": "vanhaan 0 en"}
    assert parts["spearhead"][0]["goals"] == [goal["id"]]
    assert parts["action"][0]["budget"] == "1000.00"
    assert version.is_intact
    strategy = Strategy.objects.get(pk=world.strategy.pk)
    assert (strategy.status, strategy.approved_on, strategy.decision_reference) == ("approved", datetime.date(2022, 6, 14), "14.6.2022 § 57")
    assert (strategy.decision_body_fi, strategy.decision_body_sv) == ("Kaupunginvaltuusto", "Stadsfullmäktige")
    # The approval is in the strategy's history and in the security log.
    assert strategy.history.first().status == "approved"
    assert strategy.history.first().history_user == world.owner
    events = [json.loads(r.getMessage()) for r in caplog.records if r.name == "suunta.security"]
    events = [(e["event"], e["strategy"], e["version"]) for e in events if e["event"].startswith("strategy.")]
    assert events == [("strategy.approved", world.strategy.slug, 1)]


def test_a_later_edit_leaves_the_approved_version_alone_and_owners_see_the_banner(world) -> None:
    every_part(world.strategy)
    client = owner_client(world)
    approve(client, world.strategy)
    version = StrategyVersion.objects.get()
    stored, sha = json.dumps(version.snapshot, sort_keys=True), version.snapshot_sha256
    overview = reverse("strategy-detail", args=[world.strategy.slug])
    assert "Draft changes since the approved version" not in client.get(overview).content.decode()

    edit_goal(client, world.strategy, Goal.objects.get(), "Lukutaito vahvistuu")

    version.refresh_from_db()
    assert json.dumps(version.snapshot, sort_keys=True) == stored and version.snapshot_sha256 == sha
    assert version.snapshot["parts"]["goal"][0]["title"]["fi"] == "Tavoite 0 fi"
    page = client.get(overview).content.decode()
    assert "Draft changes since the approved version 1" in page
    assert reverse("version-changes", args=[world.strategy.slug, 1]) in page
    assert "Lukutaito vahvistuu" in page  # the owner reads the working copy

    response = approve(client, world.strategy, approved_on="2023-02-01", decision_reference="1.2.2023 § 4")

    assert response.status_code == 302
    assert list(StrategyVersion.objects.values_list("number", flat=True)) == [2, 1]
    second = StrategyVersion.objects.get(number=2)
    assert second.snapshot["parts"]["goal"][0]["title"]["fi"] == "Lukutaito vahvistuu"
    version.refresh_from_db()
    assert version.snapshot_sha256 == sha and version.is_intact
    assert "Draft changes since" not in client.get(overview).content.decode()


def test_the_snapshot_cannot_be_changed_by_the_model_or_behind_its_back(world) -> None:
    approve(owner_client(world), world.strategy)
    version = StrategyVersion.objects.get()
    version.snapshot = {**version.snapshot, "strategy": {}}
    with pytest.raises(FrozenVersionError):
        version.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        StrategyVersion.objects.filter(pk=version.pk).update(snapshot_sha256="0" * 64)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE strategy_strategyversion SET snapshot = %s", ['{"parts": {}}'])
    version.refresh_from_db()
    assert version.is_intact and version.snapshot["strategy"]
    # The decision's note may still be corrected: it is not part of the snapshot.
    version.note = "Korjattu"
    version.save()


def test_nothing_new_is_not_approved_again(world) -> None:
    client = owner_client(world)
    approve(client, world.strategy)
    response = approve(client, world.strategy)
    assert response.status_code == 409
    assert "Nothing changed since version 1" in response.content.decode()
    assert StrategyVersion.objects.count() == 1


def test_a_part_saved_after_the_form_was_opened_is_not_approved_unseen(world) -> None:
    every_part(world.strategy)
    client = owner_client(world)
    url = reverse("strategy-approve", args=[world.strategy.slug])
    form = client.get(url).context["form"]
    Goal.objects.update(title_fi="Muutettu samaan aikaan", title_en="Muutettu samaan aikaan")
    response = client.post(
        url,
        {
            "approved_on": "2022-06-14",
            "decision_body_fi": "Kaupunginvaltuusto",
            "decision_reference": "§ 57",
            "version": str(form.initial["version"]),
            "content": form.initial["content"],
        },
        headers=HTMX,
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "<html" not in body and "changed after you opened this page" in body
    assert "Muutettu samaan aikaan" in body  # the changes to approve are shown again
    assert not StrategyVersion.objects.exists()
    assert Strategy.objects.get(pk=world.strategy.pk).version == world.strategy.version


def test_invalid_approval_is_refused_with_422_and_nothing_changes(world) -> None:
    client = owner_client(world)
    response = approve(client, world.strategy, decision_body_fi="", decision_reference="")
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"decision_body_fi", "decision_reference"}
    assert not StrategyVersion.objects.exists()


def test_approving_with_htmx_redirects_the_browser(world) -> None:
    response = approve(owner_client(world), world.strategy, headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("strategy-detail", args=[world.strategy.slug])
    assert StrategyVersion.objects.get().number == 1


def test_the_approval_date_defaults_to_todays_date(world, monkeypatch) -> None:
    monkeypatch.setattr(versions, "today", lambda: datetime.date(2024, 5, 17))
    form = owner_client(world).get(reverse("strategy-approve", args=[world.strategy.slug])).context["form"]
    assert form.initial["approved_on"] == datetime.date(2024, 5, 17)


def test_a_draft_becomes_approved_by_the_first_version(world) -> None:
    Strategy.objects.filter(pk=world.strategy.pk).update(status=Strategy.Status.DRAFT)
    client = owner_client(world)
    overview = client.get(reverse("strategy-detail", args=[world.strategy.slug])).content.decode()
    assert "This strategy is a draft" in overview
    approve(client, world.strategy)
    assert Strategy.objects.get(pk=world.strategy.pk).status == Strategy.Status.APPROVED
