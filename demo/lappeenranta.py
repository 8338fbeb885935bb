
"""Seed 003: Lappeenranta's city strategy LPR2033 as its communications
guideline summarises it: vision, four perspectives, eight main goals and
three spearheads."""

from __future__ import annotations

import datetime

from strategy.models import (
    Direction,
    Goal,
    Organisation,
    Perspective,
    SpearheadProgramme,
    Strategy,
    Vision,
)

from .base import ASSUMED_APPROVAL_NOTE, Approval, Loader, tr

SLUG = "lpr2033"
CITY = "lappeenranta"

# The guideline names no decision. A city strategy is the council's by the
# Local Government Act, so the body is the city council; the date is the
# start of the assumed period.
APPROVAL = Approval(
    on=datetime.date(2021, 1, 1),
    body_fi="Lappeenrannan kaupunginvaltuusto",
    body_sv="Villmanstrands stadsfullmäktige",
    body_en="Lappeenranta City Council",
    note=ASSUMED_APPROVAL_NOTE,
)

VISION = (
    "Eloisassa, puhtaassa ja turvallisessa Lappeenrannassa on kaikenikäisten hyvä elää. Lappeenrantalaiset "
    "kehittävät aktiivisesti yritysystävällistä yliopisto- ja matkailukaupunkiaan, joka kasvaa ja kansainvälistyy "
    "rohkeasti."
)

INTRODUCTION = (
    "Lappeenrannan strategian nimi on USKALLAMME. TEEMME. ONNISTUMME. Viestintäohjeen lähtökohtana on tukea "
    "LPR2033 -strategian toteuttamista ja kiteyttää strategian ydinviestit arkiviestinnän tueksi.\n\n"
    "Strategian tavoitteet on asetettu seuraavista näkökulmista: hyvinvoivat asukkaat ja osallisuus, "
    "elinvoimainen kaupunki ja imago, digitaaliset prosessit ja motivoitunut henkilöstö, talous ja resurssit."
)

# The guideline lists the eight main goals in the order of the four
# perspectives, two for each; that is how they are attached here. The
# direction is the goal's own word: kasvu, lisääntyminen, paraneminen →
# increase; vähentyminen, väheneminen → decrease.
PERSPECTIVES: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Hyvinvoivat asukkaat ja osallisuus",
        [
            ("Elämänlaatunsa hyväksi tuntevien määrän kasvu", Direction.INCREASE),
            ("Luottamuksen lisääntyminen kunnan päätöksentekoon", Direction.INCREASE),
        ],
    ),
    (
        "Elinvoimainen kaupunki ja imago",
        [
            ("Työssäkäyvien määrän kasvu", Direction.INCREASE),
            ("Yritysimagon parantuminen", Direction.INCREASE),
        ],
    ),
    (
        "Digitaaliset prosessit ja motivoitunut henkilöstö",
        [
            ("Henkilöstötyytyväisyyden paraneminen", Direction.INCREASE),
            ("Asiakkaan palveluun käyttämän ajan vähentyminen", Direction.DECREASE),
        ],
    ),
    (
        "Talous ja resurssit",
        [
            ("Lainojen/asukas väheneminen", Direction.DECREASE),
            ("Hukkatyöhön kuluvan ajan väheneminen", Direction.DECREASE),
        ],
    ),
]

SPEARHEADS: list[tuple[str, str]] = [
    (
        "Kasvua ja osaamista",
        "Kasvua ja osaamista -ohjelmassa keskitytään nuorten työllistymisedellytysten parantamiseen ja "
        "osaamispohjaisten työpaikkojen luomiseen.",
    ),
    (
        "Puhdasta ja kestävää",
        "Puhdasta ja kestävää keskittyy energia-, ilmasto-, vesistö- ja kiertotalousasioihin.",
    ),
    (
        "Sykettä ja säpinää",
        "Sykettä ja säpinää aktivoi asukkaita liikkumaan ja harrastamaan sekä luo edellytyksiä vetovoimaisille "
        "tapahtumille.",
    ),
]


def load(loader: Loader) -> Strategy:
    city = loader.org(
        CITY, Organisation.Kind.CITY, "Lappeenrannan kaupunki", name_sv="Villmanstrands stad"
    )
    # The name says 2033; the first year is not in the seed: 2021 is the demo's assumption.
    strategy = loader.upsert(
        Strategy,
        {"slug": SLUG},
        organisation=city,
        **tr(
            "title",
            "Lappeenrannan kaupunkistrategia LPR2033",
            "Villmanstrands stadsstrategi LPR2033",
        ),
        **tr("motto", "Uskallamme. Teemme. Onnistumme."),
        period_start=2021,
        period_end=2033,
        status=Strategy.Status.APPROVED,
        parent=None,
        main_language="fi",
        **tr("introduction", INTRODUCTION),
        source="Lappeenrannan kaupungin viestintäohje: LPR2033 – Uskallamme. Teemme. Onnistumme.",
        **APPROVAL.fields(),
    )
    loader.approvals[SLUG] = APPROVAL
    loader.upsert(Vision, {"strategy": strategy, "order": 0}, **tr("text", VISION))

    goal_order = 0
    for order, (name, goals) in enumerate(PERSPECTIVES):
        perspective = loader.upsert(
            Perspective, {"strategy": strategy, "order": order}, **tr("name", name)
        )
        for title, direction in goals:
            loader.upsert(
                Goal,
                {"strategy": strategy, "order": goal_order},
                perspective=perspective,
                **tr("title", title),
                direction=direction,
            )
            goal_order += 1
    for order, (name, description) in enumerate(SPEARHEADS):
        loader.upsert(
            SpearheadProgramme,
            {"strategy": strategy, "order": order},
            **tr("name", name),
            **tr("description", description),
        )
    loader.strategies[SLUG] = strategy
    return strategy
