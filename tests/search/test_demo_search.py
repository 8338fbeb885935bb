"""The five demo seeds: every part that carries a seed's strategy is found by
its Finnish title: Pietarsaari's focus areas, Lahti's strategic choices,
Lappeenranta's goals and spearheads, Helsinki's goals and actions, Heinola's actions."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from search.services import KIND_BY_KEY, python_rank, scope_for_user, search_run, search_terms
from strategy.models import Strategy

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

PART_KINDS = ("goal", "objective", "choice", "spearhead", "focus-area", "action")
SEEDS = {
    "pietarsaari-kulttuuri-ja-vapaa-aika-2022-2027": "focus-area",
    "lahden-museot-strategia": "choice",
    "lpr2033": "spearhead",
    "helsinki-digistrategia-2-0": "goal",
    "heinolan-taidemuseo-tulevaisuusaskelmat": "action",
}


def _parts(strategy: Strategy) -> list[tuple[str, int, str]]:
    """(kind, id, Finnish title) of every searched part of ``strategy``."""
    parts = []
    for key in PART_KINDS:
        kind = KIND_BY_KEY[key]
        rows = kind.model._default_manager.filter(**{kind.strategy_field: strategy.pk})
        parts += [(key, pk, title) for pk, title in rows.values_list("pk", f"{kind.title}_fi")]
    return parts


def test_every_part_of_the_five_seeds_is_found_by_its_finnish_title() -> None:
    # One test loads the demo once and asks every question of it.
    call_command("load_demo", force=True, stdout=StringIO())
    insider = UserFactory(username="search-superuser", is_superuser=True)
    # Signed in without a role anywhere: reads approved versions only, never a draft.
    outsider = UserFactory(username="search-outsider")
    live, frozen = scope_for_user(insider), scope_for_user(outsider)
    assert live.live and not live.snapshots

    for slug, main_kind in SEEDS.items():
        strategy = Strategy.objects.get(slug=slug)
        parts = _parts(strategy)
        assert main_kind in {kind for kind, _pk, _title in parts}, slug
        approved = strategy.pk in frozen.snapshots
        assert approved == (strategy.status == Strategy.Status.APPROVED), slug
        for key, pk, title in parts:
            for scope in (live, frozen) if approved else (live,):
                hits = [
                    hit
                    for hit in search_run(scope=scope, query=title, language="fi").hits
                    if hit.kind_key == key
                ]
                assert pk in [hit.pk for hit in hits], (slug, key, title)
                if connection.vendor == "postgresql" and scope is live:
                    # Ranked: parts whose title has every word come before those that only mention them.
                    terms = search_terms(title)
                    in_title = [python_rank({"fi": hit.title}, [], terms) == 1.0 for hit in hits]
                    assert in_title == sorted(in_title, reverse=True), (
                        title,
                        [hit.title for hit in hits],
                    )
        if not approved:  # Helsinki's draft: nothing of it reaches an outsider
            for key, pk, title in parts:
                hits = search_run(scope=frozen, query=title, language="fi").hits
                assert (key, pk) not in [(hit.kind_key, hit.pk) for hit in hits], (slug, title)
