"""Nobody's answer can be singled out: small groups are hidden, staff never see
others' answers, names only to the owner of a round that is not anonymous."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from maturity.services import round_open
from tests.factories import PASSWORD

from .conftest import answer, colleague, open_round

pytestmark = pytest.mark.django_db


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def result_url(world, round_, unit) -> str:
    return reverse("maturity-unit-result", args=[world.strategy.slug, round_.pk, unit.slug])


def test_distribution_is_hidden_with_two_respondents(world, matrix):
    round_ = open_round(matrix, [world.unit_a])
    answer(round_, world.unit_a, world.staff, [4, 4, 4, 4, 4], why="staffin perustelu")
    answer(round_, world.unit_a, colleague(world.unit_a, "kollega"), [2, 2, 2, 2, 2], why="kollegan perustelu")

    for username in ("owner", "head", "staff"):
        page = client_for(username).get(result_url(world, round_, world.unit_a)).content.decode()
        assert "2 submitted answers" in page
        assert "the distribution and the median are hidden" in page
        assert "(50 %)" not in page
        assert "perustelu" not in page  # no justification either


def test_distribution_shows_from_three_respondents(world, matrix):
    round_ = open_round(matrix, [world.unit_a])
    for name, level in (("a1", 1), ("a2", 3), ("a3", 3)):
        answer(round_, world.unit_a, colleague(world.unit_a, name), [level] * 5, why=f"syy {name}")

    page = client_for("head").get(result_url(world, round_, world.unit_a)).content.decode()

    assert "are hidden" not in page
    assert "(67 %)" in page and "(33 %)" in page
    assert "syy a1" in page  # the head reads justifications, without names
    assert "Who answered what" not in page


def test_threshold_comes_from_settings(world, matrix, settings, django_capture_on_commit_callbacks):
    settings.SUUNTA_MATURITY_MIN_RESPONDENTS = 2
    round_ = round_open(
        model=matrix.model, year=2025, units=[world.unit_a], opens=datetime.date(2025, 1, 1), closes=datetime.date(2025, 12, 31)
    )
    assert round_.min_respondents == 2


def test_staff_never_sees_another_persons_answer(world, matrix):
    round_ = open_round(matrix, [world.unit_a], is_anonymous=False)
    others = [colleague(world.unit_a, f"muu{n}") for n in range(3)]
    for person in others:
        answer(round_, world.unit_a, person, [2, 2, 2, 2, 2], why=f"SALAINEN-{person.username}")
    answer(round_, world.unit_a, world.staff, [3, 3, 3, 3, 3], why="oma perustelu")
    client = client_for("staff")
    slug = world.strategy.slug
    pages = [
        reverse("maturity-overview", args=[slug]),
        reverse("maturity-heatmap", args=[slug]),
        result_url(world, round_, world.unit_a),
        reverse("maturity-assess", args=[slug, round_.pk, world.unit_a.slug]),
        reverse("maturity-unit-history", args=[slug, world.unit_a.slug]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert "SALAINEN" not in text, url
        assert "muu0" not in text and "muu1" not in text, url
    # the staff member's own answers are in their own form
    assert "oma perustelu" in client.get(pages[3]).content.decode()
    # the exports and the round page are the owner's only
    for name in ("maturity-round-csv", "maturity-round-xlsx", "maturity-round-detail"):
        assert client.get(reverse(name, args=[slug, round_.pk])).status_code == 403


def test_non_anonymous_round_shows_names_to_owner_only(world, matrix):
    round_ = open_round(matrix, [world.unit_a], is_anonymous=False)
    for name in ("liisa", "pekka", "maija"):
        answer(round_, world.unit_a, colleague(world.unit_a, name), [2, 3, 3, 1, 2])
    url = result_url(world, round_, world.unit_a)

    owner_page = client_for("owner").get(url).content.decode()
    assert "Who answered what" in owner_page
    assert "liisa" in owner_page and "pekka" in owner_page

    for username in ("head", "staff", "viewer"):
        page = client_for(username).get(url).content.decode()
        assert "Who answered what" not in page
        assert "liisa" not in page and "pekka" not in page


def test_anonymous_round_shows_no_names_even_to_owner(world, matrix):
    round_ = open_round(matrix, [world.unit_a], is_anonymous=True)
    for name in ("liisa", "pekka", "maija"):
        answer(round_, world.unit_a, colleague(world.unit_a, name), [2, 3, 3, 1, 2])

    page = client_for("owner").get(result_url(world, round_, world.unit_a)).content.decode()
    assert "Who answered what" not in page and "liisa" not in page
    csv_text = client_for("owner").get(reverse("maturity-round-csv", args=[world.strategy.slug, round_.pk])).content.decode()
    assert "liisa" not in csv_text


def test_export_is_anonymised_like_the_pages(world, matrix):
    round_ = open_round(matrix, [world.unit_a, world.unit_b], is_anonymous=True)
    answer(round_, world.unit_a, world.staff, [4, 4, 4, 4, 4])
    answer(round_, world.unit_a, colleague(world.unit_a, "toinen"), [1, 1, 1, 1, 1])
    for n in range(3):
        answer(round_, world.unit_b, colleague(world.unit_b, f"museo{n}"), [2, 2, 3, 3, 3], why=f"museon syy {n}")
    client = client_for("owner")
    slug = world.strategy.slug

    response = client.get(reverse("maturity-round-csv", args=[slug, round_.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    library = [row for row in rows[1:] if row[0] == "Kirjasto"]
    museum = [row for row in rows[1:] if row[0] == "Museo"]
    assert len(library) == 5 and all("hidden" in row[3] for row in library)
    assert all(row[4:] == ["", "", "", "", "", ""] for row in library)
    assert museum[0][3:5] == ["2", "Kehittyvä"] and museum[0][6:] == ["0", "3", "0", "0"]
    text = response.content.decode("utf-8-sig")
    assert "staff" not in text and "toinen" not in text and "museon syy" not in text

    workbook = load_workbook(io.BytesIO(client.get(reverse("maturity-round-xlsx", args=[slug, round_.pk])).content))
    values = [[cell.value for cell in row] for row in workbook.active.iter_rows()]
    assert values[0][:3] == ["Unit", "Dimension", "Answers"]
    assert len(values) == 11
    flat = " ".join(str(v) for row in values for v in row)
    assert "staff" not in flat and "toinen" not in flat and "museon syy" not in flat


def test_export_of_non_anonymous_round_names_people_for_the_owner(world, matrix):
    round_ = open_round(matrix, [world.unit_b], is_anonymous=False)
    for n in range(3):
        answer(round_, world.unit_b, colleague(world.unit_b, f"museo{n}"), [2, 2, 3, 3, 3], why=f"museon syy {n}")

    text = client_for("owner").get(reverse("maturity-round-csv", args=[world.strategy.slug, round_.pk])).content.decode("utf-8-sig")

    assert "museo0" in text and "museon syy 2" in text
