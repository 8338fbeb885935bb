"""One status policy on the maturity pages: 404 for what a person may not
see, 403 for what they see but may not do; a refused request changes nothing.

Every case pairs someone who must not see the thing (404) with someone who
sees it but may not act on it (403), on the same URL.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maturity.models import (
    AgreedLevel,
    AssessmentRound,
    Dimension,
    MaturityModel,
    SelfAssessment,
    TargetLevel,
)
from strategy.models import Organisation, Role, Strategy
from tests.factories import MembershipFactory, OrganisationFactory, StrategyFactory, UserFactory

from .conftest import answer, build_matrix, colleague, open_round

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def database_state() -> tuple[object, ...]:
    """What a refused request must leave as it was."""
    return (
        list(AssessmentRound.objects.order_by("pk").values_list("pk", "status")),
        list(MaturityModel.objects.order_by("pk").values_list("pk", "name")),
        list(Dimension.objects.order_by("pk").values_list("pk", "title")),
        SelfAssessment.objects.count(),
        AgreedLevel.objects.count(),
        TargetLevel.objects.count(),
    )


@pytest.fixture
def outsider(world):
    """The owner of another city's strategy: sees nothing of the world's drafts."""
    city = OrganisationFactory(kind=Organisation.Kind.CITY, name="Muukaupunki", slug="muukaupunki")
    user = UserFactory(username="outsider")
    MembershipFactory(user=user, organisation=city, role=Role.OWNER)
    return user


@pytest.fixture
def draft(world):
    """The world's strategy as a draft: unseen by people outside its organisation."""
    Strategy.objects.filter(pk=world.strategy.pk).update(status=Strategy.Status.DRAFT)
    world.strategy.refresh_from_db()
    return world.strategy


# (URL name, method, who sees but may not act → 403); the outsider gets 404
# on each, because the strategy is a draft they cannot read.
OWNER_ONLY: list[tuple[str, str, Callable[..., list[object]]]] = [
    ("maturity-model-create", "get", lambda w, r, m: [w.strategy.slug]),
    ("maturity-model-create", "post", lambda w, r, m: [w.strategy.slug]),
    ("maturity-model-copy", "post", lambda w, r, m: [w.strategy.slug]),
    ("maturity-model-edit", "get", lambda w, r, m: [w.strategy.slug, m.model.pk]),
    ("maturity-model-edit", "post", lambda w, r, m: [w.strategy.slug, m.model.pk]),
    ("maturity-dimension-create", "post", lambda w, r, m: [w.strategy.slug, m.model.pk]),
    ("maturity-dimension-edit", "post", lambda w, r, m: [w.strategy.slug, m.model.pk, m.dimensions[0].pk]),
    ("maturity-unit-target-set", "post", lambda w, r, m: [w.strategy.slug, m.model.pk, m.dimensions[0].pk]),
    ("maturity-round-create", "post", lambda w, r, m: [w.strategy.slug]),
    ("maturity-round-detail", "get", lambda w, r, m: [w.strategy.slug, r.pk]),
    ("maturity-round-close", "post", lambda w, r, m: [w.strategy.slug, r.pk]),
    ("maturity-round-csv", "get", lambda w, r, m: [w.strategy.slug, r.pk]),
    ("maturity-round-xlsx", "get", lambda w, r, m: [w.strategy.slug, r.pk]),
]


@pytest.mark.parametrize(("name", "method", "args"), OWNER_ONLY, ids=[f"{n}-{m}" for n, m, _a in OWNER_ONLY])
def test_owner_pages_are_404_for_the_unseeing_and_403_for_members_who_see(
    world, matrix, round_, draft, outsider, name: str, method: str, args: Callable[..., list[object]]
) -> None:
    url = reverse(name, args=args(world, round_, matrix))
    before = database_state()
    assert getattr(client_for(outsider), method)(url).status_code == 404
    # The head of the museum reads the sector's draft (and its rounds) but does not own it.
    assert getattr(client_for(world.otherhead), method)(url).status_code == 403
    assert database_state() == before


def test_unit_pages_are_404_for_another_unit_and_403_for_those_who_only_read(world, round_) -> None:
    slug = world.strategy.slug
    dimension = round_.model.dimensions.first()
    level = round_.model.levels.first()
    result = reverse("maturity-unit-result", args=[slug, round_.pk, world.unit_a.slug])
    assess = reverse("maturity-assess", args=[slug, round_.pk, world.unit_a.slug])
    agreed = reverse("maturity-agreed-save", args=[slug, round_.pk, world.unit_a.slug])
    history = reverse("maturity-unit-history", args=[slug, world.unit_a.slug])
    before = database_state()

    other_unit = client_for(world.otherhead)
    for url in (result, assess, history):
        assert other_unit.get(url).status_code == 404, url
    assert other_unit.post(agreed, {f"agreed_{dimension.pk}": level.pk}).status_code == 404
    assert other_unit.post(assess, {"action": "submit", f"level_{dimension.pk}": level.pk}).status_code == 404

    # The council member reads the library's result but neither assesses nor agrees.
    viewer = client_for(world.viewer)
    assert viewer.get(result).status_code == 200
    assert viewer.get(history).status_code == 200
    assert viewer.get(assess).status_code == 403
    assert viewer.post(assess, {"action": "submit", f"level_{dimension.pk}": level.pk}).status_code == 403
    assert viewer.post(agreed, {f"agreed_{dimension.pk}": level.pk}).status_code == 403
    # Staff assess their unit and read its result, but the head records the agreed level.
    assert client_for(world.staff).post(agreed, {f"agreed_{dimension.pk}": level.pk}).status_code == 403
    # The owner reads every unit but is not invited to assess one.
    assert client_for(world.owner).get(assess).status_code == 403
    assert database_state() == before


def test_a_round_or_model_of_another_strategy_is_404_even_for_its_owner(world, round_, outsider) -> None:
    other_strategy = StrategyFactory(organisation=outsider.memberships.get().organisation, slug="muu")
    other = build_matrix(other_strategy, name="Muu malli")
    other_round = open_round(other, [world.unit_a])
    slug = world.strategy.slug
    owner = client_for(world.owner)
    assert owner.get(reverse("maturity-round-detail", args=[slug, other_round.pk])).status_code == 404
    assert owner.get(reverse("maturity-model-edit", args=[slug, other.model.pk])).status_code == 404
    assert owner.get(reverse("maturity-heatmap", args=[slug]) + f"?model={other.model.pk}").status_code == 404
    # Its own owner sees it under its own strategy only.
    assert client_for(outsider).get(reverse("maturity-round-detail", args=["muu", other_round.pk])).status_code == 200
    assert client_for(outsider).get(reverse("maturity-round-detail", args=[slug, round_.pk])).status_code == 403


def test_querysets_answer_who_sees_and_who_manages(world, matrix, round_, draft, outsider) -> None:
    def ids(queryset) -> set[int]:  # type: ignore[no-untyped-def]
        return set(queryset.values_list("pk", flat=True))

    assert ids(MaturityModel.objects.visible_to(world.otherhead)) == {matrix.model.pk}
    assert ids(MaturityModel.objects.owned_by(world.otherhead)) == set()
    assert ids(MaturityModel.objects.owned_by(world.owner)) == {matrix.model.pk}
    assert ids(MaturityModel.objects.visible_to(outsider)) == set()
    assert ids(AssessmentRound.objects.visible_to(world.viewer)) == {round_.pk}
    assert ids(AssessmentRound.objects.owned_by(world.viewer)) == set()
    assert ids(AssessmentRound.objects.owned_by(world.owner)) == {round_.pk}
    assert ids(AssessmentRound.objects.visible_to(outsider)) == set()

    both = {world.unit_a.pk, world.unit_b.pk}
    assert ids(round_.units_readable_by(world.owner)) == both
    assert ids(round_.units_readable_by(world.viewer)) == both
    assert ids(round_.units_readable_by(world.head)) == {world.unit_a.pk}
    assert ids(round_.units_readable_by(outsider)) == set()
    assert ids(round_.units_agreeable_by(world.owner)) == both
    assert ids(round_.units_agreeable_by(world.head)) == {world.unit_a.pk}
    assert ids(round_.units_agreeable_by(world.staff)) == set()
    assert ids(round_.units_agreeable_by(world.viewer)) == set()
    assert ids(round_.units_assessable_by(world.staff)) == {world.unit_a.pk}
    assert ids(round_.units_assessable_by(world.otherhead)) == {world.unit_b.pk}
    assert ids(round_.units_assessable_by(world.owner)) == set()
    assert ids(matrix.model.units_readable_by(world.otherhead)) == {world.unit_b.pk}


def test_unit_result_reads_memberships_once_and_does_not_grow_with_the_data(world, matrix, round_) -> None:
    url = reverse("maturity-unit-result", args=[world.strategy.slug, round_.pk, world.unit_a.slug])
    client = client_for(world.head)

    def queries() -> list[str]:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return [query["sql"] for query in context.captured_queries]

    queries()  # the first request after signing in also saves the session
    small = queries()
    for n in range(6):
        answer(round_, world.unit_a, colleague(world.unit_a, f"kollega{n}"), [2, 3, 3, 1, 2])
        unit = OrganisationFactory(name=f"Yksikkö {n}", slug=f"yksikko-{n}", parent=world.service_area)
        round_.units.add(unit)
    large = queries()
    assert len(large) == len(small) <= 22
    # The person's memberships are read once for the whole page.
    assert sum(sql.startswith('SELECT "strategy_membership"') for sql in large) == 1
