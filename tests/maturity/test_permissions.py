"""Who may see and do what: 404 for what a person may not see, 403 for what
they see but may not do, and nothing changes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from maturity.models import AgreedLevel, AssessmentRound, SelfAssessment
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_other_units_head_gets_404_on_library_result(world, round_):
    url = reverse("maturity-unit-result", args=[world.strategy.slug, round_.pk, world.unit_a.slug])
    assert client_for("otherhead").get(url).status_code == 404
    assert client_for("head").get(url).status_code == 200
    assert client_for("owner").get(url).status_code == 200


def test_other_units_head_cannot_record_library_agreed_levels(world, round_):
    dimension = round_.model.dimensions.first()
    level = round_.model.levels.first()
    url = reverse("maturity-agreed-save", args=[world.strategy.slug, round_.pk, world.unit_a.slug])
    assert client_for("otherhead").post(url, {f"agreed_{dimension.pk}": level.pk}).status_code == 404
    # staff read the result but do not record the agreed level
    assert client_for("staff").post(url, {f"agreed_{dimension.pk}": level.pk}).status_code == 403
    assert not AgreedLevel.objects.exists()


def test_head_records_agreed_levels(world, round_):
    dimension = round_.model.dimensions.first()
    level = round_.model.levels.all()[2]
    url = reverse("maturity-agreed-save", args=[world.strategy.slug, round_.pk, world.unit_a.slug])

    response = client_for("head").post(url, {f"agreed_{dimension.pk}": level.pk, f"note_{dimension.pk}": "Sovittu"})

    assert response.status_code == 302
    agreed = AgreedLevel.objects.get()
    assert (agreed.unit, agreed.level, agreed.note, agreed.recorded_by) == (world.unit_a, level, "Sovittu", world.head)


def test_only_staff_of_the_unit_can_assess_it(world, round_):
    library = reverse("maturity-assess", args=[world.strategy.slug, round_.pk, world.unit_a.slug])
    museum = reverse("maturity-assess", args=[world.strategy.slug, round_.pk, world.unit_b.slug])
    assert client_for("staff").get(library).status_code == 200
    assert client_for("staff").get(museum).status_code == 404
    assert client_for("otherhead").get(library).status_code == 404
    # the council member reads the library's result but does not work there
    assert client_for("viewer").get(library).status_code == 403
    dimension = round_.model.dimensions.first()
    level = round_.model.levels.first()
    client_for("otherhead").post(library, {"action": "submit", f"level_{dimension.pk}": level.pk})
    assert not SelfAssessment.objects.exists()


def test_only_the_owner_manages_rounds_and_models(world, round_):
    slug = world.strategy.slug
    owner_only = [
        reverse("maturity-round-create", args=[slug]),
        reverse("maturity-round-detail", args=[slug, round_.pk]),
        reverse("maturity-model-edit", args=[slug, round_.model_id]),
        reverse("maturity-model-create", args=[slug]),
    ]
    # They all see the approved strategy and its rounds, but do not manage them.
    for username in ("head", "staff", "otherhead", "viewer"):
        client = client_for(username)
        for url in owner_only:
            assert client.get(url).status_code == 403, (username, url)
        assert client.post(reverse("maturity-round-close", args=[slug, round_.pk])).status_code == 403
    round_.refresh_from_db()
    assert round_.status == AssessmentRound.Status.OPEN
    for url in owner_only:
        assert client_for("owner").get(url).status_code == 200


def test_staff_sees_invitation_on_overview(world, round_):
    page = client_for("staff").get(reverse("maturity-overview", args=[world.strategy.slug])).content.decode()
    assert "Assess Kirjasto for" in page
    assert reverse("maturity-assess", args=[world.strategy.slug, round_.pk, world.unit_a.slug]) in page
    other = client_for("viewer").get(reverse("maturity-overview", args=[world.strategy.slug])).content.decode()
    assert "Assess Kirjasto" not in other


def test_heatmap_links_only_units_the_user_belongs_to(world, round_):
    url = reverse("maturity-heatmap", args=[world.strategy.slug])
    library = reverse("maturity-unit-history", args=[world.strategy.slug, world.unit_a.slug])
    museum = reverse("maturity-unit-history", args=[world.strategy.slug, world.unit_b.slug])
    page = client_for("otherhead").get(url).content.decode()
    assert museum in page and library not in page
    page = client_for("owner").get(url).content.decode()
    assert museum in page and library in page
