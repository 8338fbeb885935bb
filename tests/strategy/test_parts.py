"""Small behaviour of the strategy parts themselves."""

from __future__ import annotations

from strategy.models import Principle, Vision


def test_a_long_vision_is_named_by_its_first_words_with_an_ellipsis() -> None:
    vision = Vision(text="Seutukaupunki Pietarsaari on rohkea ja luova kulttuurin ja vapaa-ajan kaupunki, jossa kaikki voivat hyvin")
    assert str(vision) == "Seutukaupunki Pietarsaari on rohkea ja luova kulttuurin ja vapaa-ajan kaupunki,…"
    assert str(Vision(label="ulkoinen", text="Pitkä teksti")) == "ulkoinen"


def test_value_points_are_read_one_per_line_without_bullets() -> None:
    principle = Principle(title="Avoimuus", points="- näkyy johtamisessa\n\n• näkyy viestinnässä\n")
    assert principle.point_list == ["näkyy johtamisessa", "näkyy viestinnässä"]
