"""Answers, agreed levels, unit targets and the matrix itself keep their
history: who changed what, when, and from which level to which."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from maturity.models import AgreedLevel, Level, Rating, TargetLevel
from maturity.services import self_assessment_save

from .conftest import answer, colleague

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _levels(model: Any, **lookup: Any) -> list[tuple[str, str | None, int | None]]:
    """(type, who, level ordinal) of each historical record, oldest first."""
    return [
        (record.history_type, record.history_user.username if record.history_user else None, record.level.ordinal)
        for record in model.history.filter(**lookup).select_related("level", "history_user").order_by("history_date", "history_id")
    ]


def _assess(world: Any, round_: Any, ordinals: list[int], assessment: Any = "") -> dict[str, Any]:
    levels = {level.ordinal: level.pk for level in round_.model.levels.all()}
    data: dict[str, Any] = {"action": "submit", "assessment": assessment}
    for dimension, ordinal in zip(round_.model.dimensions.all(), ordinals, strict=True):
        data[f"level_{dimension.pk}"] = levels[ordinal]
        data[f"why_{dimension.pk}"] = f"Perustelu {ordinal}"
    return data


def test_changing_a_rating_keeps_the_earlier_level_and_reason(world, round_) -> None:
    url = reverse("maturity-assess", args=[world.strategy.slug, round_.pk, world.unit_a.slug])
    staff = _client(world.staff)
    staff.post(url, _assess(world, round_, [1, 2, 3, 4, 2]))
    assessment = world.staff.self_assessments.get()

    staff.post(url, _assess(world, round_, [3, 2, 3, 4, 2], assessment.pk))

    first = round_.model.dimensions.first()
    assert _levels(Rating, dimension_id=first.pk) == [("+", "staff", 1), ("~", "staff", 3)]
    latest = Rating.history.filter(dimension_id=first.pk).latest("history_date")
    assert latest.prev_record.justification == "Perustelu 1" and latest.justification == "Perustelu 3"
    # rows whose answer did not change get no new history
    assert Rating.history.filter(dimension_id=round_.model.dimensions.last().pk).count() == 1


def test_agreed_levels_record_who_changed_them_from_what_to_what(world, round_) -> None:
    url = reverse("maturity-agreed-save", args=[world.strategy.slug, round_.pk, world.unit_a.slug])
    dimension = round_.model.dimensions.first()
    levels = list(round_.model.levels.all())

    _client(world.head).post(url, {f"agreed_{dimension.pk}": levels[1].pk})
    _client(world.owner).post(url, {f"agreed_{dimension.pk}": levels[2].pk})
    _client(world.owner).post(url, {f"agreed_{dimension.pk}": levels[2].pk})  # unchanged: no new row

    assert AgreedLevel.objects.get().level == levels[2]
    assert _levels(AgreedLevel, dimension_id=dimension.pk) == [("+", "head", 2), ("~", "owner", 3)]


def test_unit_result_page_shows_the_history_of_agreed_levels(world, round_) -> None:
    url = reverse("maturity-agreed-save", args=[world.strategy.slug, round_.pk, world.unit_a.slug])
    dimension = round_.model.dimensions.first()
    levels = list(round_.model.levels.all())
    world.head.first_name, world.head.last_name = "Hanna", "Heikkinen"
    world.head.save()
    head = _client(world.head)
    head.post(url, {f"agreed_{dimension.pk}": levels[0].pk})
    head.post(url, {f"agreed_{dimension.pk}": levels[3].pk})
    for n in range(3):
        answer(round_, world.unit_a, colleague(world.unit_a, f"kollega{n}"), [2, 2, 2, 2, 2])

    page = _client(world.staff).get(
        reverse("maturity-unit-result", args=[world.strategy.slug, round_.pk, world.unit_a.slug])
    ).content.decode()

    history = page[page.index('id="agreed-history-heading"') :]
    assert "<caption>Who changed an agreed level and when, newest first</caption>" in history
    rows = history[: history.index("</table>")].split("<tr>")[2:]
    assert len(rows) == 2
    newest, oldest = rows
    assert "Hanna Heikkinen" in newest and "<td>Alkava</td>" in newest and "<td>Optimaalinen</td>" in newest
    assert "<td>–</td>" in oldest and "<td>Alkava</td>" in oldest


def test_unit_target_changes_are_kept_with_the_owner(world, matrix) -> None:
    dimension = matrix.dimensions[0]
    url = reverse("maturity-unit-target-set", args=[world.strategy.slug, matrix.model.pk, dimension.pk])
    owner = _client(world.owner)
    for level in (matrix.levels[2], matrix.levels[3]):
        owner.post(url, {"unit_target-unit": world.unit_b.pk, "unit_target-target_level": level.pk, "unit_target-target_year": 2026})
    owner.post(url, {"unit_target-unit": world.unit_b.pk, "unit_target-target_level": "", "unit_target-target_year": 2026})

    assert not TargetLevel.objects.exists()
    assert _levels(TargetLevel, unit_id=world.unit_b.pk) == [("+", "owner", 3), ("~", "owner", 4), ("-", "owner", 4)]


def test_matrix_history_keeps_every_language(world, matrix) -> None:
    level = matrix.levels[0]
    level.name_sv = "Börjar"
    level.save()

    latest, earlier = Level.history.filter(id=level.pk).order_by("-history_date", "-history_id")[:2]
    assert (earlier.name_fi, earlier.name_sv, latest.name_sv) == ("Alkava", "Inleds", "Börjar")


def test_service_outside_a_request_names_the_person_who_answered(world, matrix, round_) -> None:
    first = matrix.dimensions[0]
    self_assessment_save(
        round_=round_, unit=world.unit_a, person=world.staff, answers={first.pk: (matrix.levels[1], "Syy")}, submit=False
    )

    assert _levels(Rating, dimension_id=first.pk) == [("+", "staff", 2)]
