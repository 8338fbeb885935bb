"""``snapshot_diff`` compares two snapshots without queries: added and removed
parts, changed fields, changed links and changed translations."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation

from strategy.versions import EMPTY_SNAPSHOT, Change, describe_changes, snapshot_diff


def texts(fi: str, sv: str = "", en: str = "") -> dict[str, str]:
    return {"fi": fi, "sv": sv, "en": en}


BASE: dict[str, Any] = {
    "format": 1,
    "strategy": {"id": 1, "slug": "s", "period_start": 2022, "period_end": 2027, "title": texts("Strategia", "Strategi")},
    "parts": {
        "perspective": [{"id": 3, "order": 0, "name": texts("Asukkaat"), "description": texts("")}],
        "goal": [
            {"id": 10, "order": 0, "perspective": 3, "direction": "increase", "contributes_to": None,
             "title": texts("Lukutaito", "Läskunnighet"), "description": texts("")},
            {"id": 11, "order": 1, "perspective": None, "direction": "", "contributes_to": None,
             "title": texts("Kävijät"), "description": texts("")},
        ],
        "action": [
            {"id": 20, "order": 0, "focus_area": None, "goal": 10, "objective": None, "number": "", "budget": "100.00",
             "responsible_units": [7], "sdgs": [], "title": texts("Lukudiplomi"), "description": texts("")},
        ],
    },
    "refs": {"strategy.organisation": {"7": texts("Kirjasto", "Biblioteket"), "8": texts("Museo")}},
}


def changed(edit: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    snapshot = copy.deepcopy(BASE)
    edit(snapshot)
    return snapshot


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(snapshot: dict[str, Any]) -> None:
        target = snapshot
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


def _append(kind: str, row: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    return lambda snapshot: snapshot["parts"].setdefault(kind, []).append(row)


def _remove(kind: str, pk: int) -> Callable[[dict[str, Any]], None]:
    def edit(snapshot: dict[str, Any]) -> None:
        snapshot["parts"][kind] = [row for row in snapshot["parts"][kind] if row["id"] != pk]

    return edit


CASES = [
    ("nothing", lambda s: None, []),
    (
        "added part",
        _append("goal", {"id": 12, "order": 2, "perspective": None, "direction": "", "contributes_to": None,
                         "title": texts("Uusi"), "description": texts("")}),
        [Change("goal", 12, "added")],
    ),
    ("removed part", _remove("goal", 11), [Change("goal", 11, "removed")]),
    (
        "changed field",
        _set(["parts", "goal", 1, "direction"], "decrease"),
        [Change("goal", 11, "changed", "direction", "", "", "decrease")],
    ),
    (
        "changed link",
        _set(["parts", "goal", 0, "perspective"], None),
        [Change("goal", 10, "changed", "perspective", "", 3, None)],
    ),
    (
        "changed many-to-many link",
        _set(["parts", "action", 0, "responsible_units"], [7, 8]),
        [Change("action", 20, "changed", "responsible_units", "", [7], [7, 8])],
    ),
    (
        "changed translation",
        _set(["parts", "goal", 0, "title", "sv"], "Läsförmåga"),
        [Change("goal", 10, "changed", "title", "sv", "Läskunnighet", "Läsförmåga")],
    ),
    (
        "added translation",
        _set(["parts", "goal", 1, "title", "en"], "Visitors"),
        [Change("goal", 11, "changed", "title", "en", "", "Visitors")],
    ),
    (
        "changed strategy field",
        _set(["strategy", "title", "fi"], "Uusi strategia"),
        [Change("strategy", 1, "changed", "title", "fi", "Strategia", "Uusi strategia")],
    ),
    ("renamed organisation elsewhere", _set(["refs", "strategy.organisation", "7"], texts("Pääkirjasto")), []),
    (
        "moved part",
        _set(["parts", "goal", 1, "order"], 5),
        [Change("goal", 11, "changed", "order", "", 1, 5)],
    ),
    (
        "new kind of part",
        _append("vision", {"id": 30, "order": 0, "label": texts(""), "text": texts("Visio")}),
        [Change("vision", 30, "added")],
    ),
]


@pytest.mark.parametrize(("name", "edit", "expected"), CASES, ids=[case[0] for case in CASES])
def test_snapshot_diff(name: str, edit: Callable[[dict[str, Any]], None], expected: list[Change]) -> None:
    assert snapshot_diff(BASE, changed(edit)) == expected


def test_the_diff_lists_changes_in_the_overviews_order_added_before_removed() -> None:
    new = changed(lambda s: (_remove("goal", 10)(s), _append("goal", {"id": 13, "order": 3, "title": texts("B")})(s),
                             _append("perspective", {"id": 4, "order": 1, "name": texts("Talous")})(s)))
    assert snapshot_diff(BASE, new) == [
        Change("perspective", 4, "added"),
        Change("goal", 13, "added"),
        Change("goal", 10, "removed"),
    ]


def test_everything_is_added_from_nothing_and_removed_to_nothing() -> None:
    assert [change.action for change in snapshot_diff(EMPTY_SNAPSHOT, BASE)] == ["added"] * 4
    assert [change.action for change in snapshot_diff(BASE, EMPTY_SNAPSHOT)] == ["removed"] * 4


@pytest.mark.django_db
def test_changes_read_in_words_with_names_for_links_and_languages() -> None:
    new = changed(lambda s: (
        _set(["parts", "action", 0, "responsible_units"], [7, 8])(s),
        _set(["parts", "goal", 0, "perspective"], None)(s),
        _set(["parts", "goal", 0, "direction"], "decrease")(s),
        _set(["parts", "goal", 0, "title", "sv"], "Läsförmåga")(s),
        _set(["parts", "goal", 1, "order"], 4)(s),
    ))
    with translation.override("en"):
        groups = describe_changes(snapshot_diff(BASE, new), BASE, new)
        rows = {(group.title, row.label, row.language, row.old, row.new) for group in groups for row in group.rows}
    assert rows == {
        ("Lukutaito", "Perspective", "", "Asukkaat", ""),
        ("Lukutaito", "Desired direction", "", "Increase", "Decrease"),
        ("Lukutaito", "Title", "Swedish", "Läskunnighet", "Läsförmåga"),
        ("Kävijät", "Position", "", "2", "5"),
        ("Lukudiplomi", "Responsible units", "", "Kirjasto", "Kirjasto; Museo"),
    }
    assert [(group.kind_label, group.action_label) for group in groups] == [
        ("Goal", "Changed"), ("Goal", "Changed"), ("Action", "Changed"),
    ]
