
"""Seed 000: Lahden museot — purpose and eight strategic choices.

The seed is a slide deck. Line breaks inside words ("toiminta-/resurssejamme",
"kansain-/välinen") are joined; the wording is the deck's own.
"""

from __future__ import annotations

import datetime

from strategy.models import Organisation, StrategicChoice, Strategy, TradeOff

from .base import ASSUMED_APPROVAL_NOTE, Approval, Loader, tr

SLUG = "lahden-museot-strategia"
CITY = "lahti"
MUSEUMS = "lahden-museot"
Kind = Organisation.Kind

# The deck names no decision: the demo assumes the museums approved it at the
# start of the assumed period.
APPROVAL = Approval(
    on=datetime.date(2021, 1, 1), body_fi="Lahden museot", body_sv="Lahtis museer", note=ASSUMED_APPROVAL_NOTE
)

# The seed speaks only of "neljään vahvaan ja erottuvaan museobrändiin"
# without naming them; these are the four brands Lahden museot runs.
BRANDS: list[tuple[str, str, str]] = [
    ("lahti-hiihtomuseo", "Hiihtomuseo", "Skidmuseet"),
    ("lahti-historiallinen-museo", "Historiallinen museo", "Historiska museet"),
    (
        "lahti-malva",
        "Malva (Lahden visuaalisten taiteiden museo)",
        "Malva (Lahtis museum för visuell konst)",
    ),
    ("lahti-mastola", "Radio- ja tv-museo Mastola", "Radio- och tv-museet Mastola"),
]

PURPOSE = "Tuomme ihmisiä yhteen ja tarjoamme keinoja oivaltaa mistä olemme tulossa ja minne olemme yhdessä menossa."

INTRODUCTION = """\
Strategialla kohti kokonaisvaltaista muutosta:
Tarkoitus – olemassaolomme ja työmme syy.
Strategiat – toiminta ja teot, joilla tarkoitus toteutuu.
Rakenne – työnteon mallit ja resurssit.
Tavat – työn käytänteet ja teknologiat.

Tarkoituksemme: "Yhteinen syy olemassaolollemme."
Strategiamme: "Suunnat, joihin panostamme ja joita kohti liikumme toteuttaaksemme tarkoitustamme."

Lahden museot – alueellinen vastuumuseo."""

EXTERNAL = StrategicChoice.Group.EXTERNAL  # "MITÄ TEEMME" – ulkoiset strategiat
INTERNAL = StrategicChoice.Group.INTERNAL  # "MITEN TEEMME" – sisäiset strategiat

# (group, theme, question, [(invest in, more than), …], summary from the last slide)
CHOICES: list[tuple[str, str, str, list[tuple[str, str]], str]] = [
    (
        EXTERNAL,
        "Asiakkaat",
        "Keitä ovat tärkeimmät asiakkaamme, kenelle pyrimme ensisijaisesti luomaan uutta arvoa?",
        [
            (
                "asiakkaisiin, jotka haluavat oppia uutta ja saada elämyksiä",
                "asiakkaisiin, jotka käyvät museoissa tavan vuoksi, ja joiden tulemiseen voimme luottaa.",
            )
        ],
        "Ihmiset, jotka haluavat oppia ja oivaltaa uutta yhdessä museon kanssa.",
    ),
    (
        EXTERNAL,
        "Arvonluonti",
        "Mitä tarjoamme asiakkaillemme, mitä autamme heitä tekemään ja saavuttamaan?",
        [
            (
                "innostaviin, kokemuksellisiin, toiminnallisiin ja laajaa yleisöä kiinnostaviin sisältöihin ja "
                "kokonaisuuksiin",
                "perinteisillä tavoilla toteutettuihin näyttelyihin.",
            ),
            (
                "yhteiskunnallisesti oivaltavaan ja tutkittuun tietoon perustuvaan toimintaan ja sisältöihin sekä "
                "vastuulliseen ja kestävän kehityksen periaatteiden mukaiseen toimintaan",
                "kritiikittömään tai tietyn yrityksen / järjestön agendan kautta määriteltyyn toimintaan ja "
                "sisältöihin.",
            ),
        ],
        "Innostavat kokemukset, yhteiskunnallisesti oivaltava toiminta ja vastuullisuus.",
    ),
    (
        EXTERNAL,
        "Osaaminen",
        "Mitä kyvykkyyksiä kehitämme organisaatio-, tiimi- ja yksilötasolla?",
        [
            (
                "yleisötyöosaamisen ja asiakaslähtöisyyden kehittämiseen koko organisaatiossa",
                "yleisötyöhön erikoistuneen tiimin kehittämiseen.",
            ),
            (
                "markkinointiosaamisen kohdennettuun kehittämiseen",
                "sen tuomiseen osaksi koko organisaation osaamista.",
            ),
        ],
        "Laaja yleisötyö- ja asiakasosaaminen sekä kohdennettu markkinointiosaaminen.",
    ),
    (
        EXTERNAL,
        "Brändi",
        "Miten ihmiset kokevat meidät, miten viestimme itsestämme erottuvasti ja kiinnostavasti?",
        [
            (
                "neljään vahvaan ja erottuvaan museobrändiin, joita yhdistää ja tukee Lahden museoiden "
                "organisaatio",
                "yhteen näkyvään kattobrändiin.",
            )
        ],
        "Vahvat ja erottuvat museobrändit ja näitä yhdistävä ja tukeva organisaatio.",
    ),
    (
        INTERNAL,
        "Yhteistyö",
        "Keitä ovat tärkeimmät kumppanimme ja minkälaisissa verkostoissa toimimme?",
        [
            (
                "yhteistyöhön, josta todella opimme uutta (esimerkiksi laadukkaaseen näyttely-yhteistyöhön sekä "
                "kansainvälisiin ja kansallisiin yhteistyöverkostoihin)",
                "perinteiseen yritys-, järjestö- ja yhdistysyhteistyöhön.",
            )
        ],
        "Laadukas kansainvälinen ja paikallinen yhteistyö, josta todella opimme uutta.",
    ),
    (
        INTERNAL,
        "Kasvu",
        "Miten lisäämme vaikuttavuuttamme ja laajennamme asiakaskuntaamme?",
        [
            (
                "uusien, laajojen asiakasryhmien tavoittamiseen sekä alueelliseen ja kansainväliseen "
                "vaikuttavuuteen",
                "nykyasiakasryhmien aktivointiin ja käynti- ja asiointikertojen lisäämiseen.",
            )
        ],
        "Uudet ja laajat asiakasryhmät sekä alueellinen ja kansainvälinen vaikuttavuus.",
    ),
    (
        INTERNAL,
        "Talous",
        "Miten lisäämme toimintaresurssejamme ja mihin panostamme niitä?",
        [
            (
                "tuotteista, palveluista ja näyttelykäynneistä maksavien asiakkaiden määrän ja tulojen "
                "kasvattamiseen",
                "perinteiseen tulonhankintaan.",
            )
        ],
        "Tuotteista, palveluista ja käynneistä maksavien asiakkaiden määrän ja tulojen kasvattaminen.",
    ),
    (
        INTERNAL,
        "Työkulttuuri",
        "Miten organisoimme, johdamme ja teemme yhdessä työtä, joka päivä?",
        [
            (
                "uuden toimintamallin kehittämiseen ja suunnitelmalliseen käyttöönottoon",
                "nykymallin arvioimiseen ja optimoimiseen.",
            ),
            (
                "työntekijäkokemuksen parantamiseen ja innostuksen lisäämiseen",
                "vanhoihin tapoihin kehittää työkulttuuria.",
            ),
        ],
        "Uuden toimintamallin kehittäminen ja työntekijäkokemuksen parantaminen.",
    ),
]


def load(loader: Loader) -> Strategy:
    city = loader.org(CITY, Kind.CITY, "Lahden kaupunki", name_sv="Lahtis stad")
    museums = loader.org(
        MUSEUMS, Kind.SECTOR, "Lahden museot", parent=city, name_sv="Lahtis museer"
    )
    for slug, name_fi, name_sv in BRANDS:
        loader.org(slug, Kind.UNIT, name_fi, parent=museums, name_sv=name_sv)

    # The deck gives no period; 2021–2025 is the demo's assumption.
    strategy = loader.upsert(
        Strategy,
        {"slug": SLUG},
        organisation=museums,
        **tr("title", "Lahden museoiden strategia", "Lahtis museers strategi"),
        period_start=2021,
        period_end=2025,
        status=Strategy.Status.APPROVED,
        parent=None,
        main_language="fi",
        **tr("purpose", PURPOSE),
        **tr("introduction", INTRODUCTION),
        source="Lahden museot: strategiaesitys",
        **APPROVAL.fields(),
    )
    loader.approvals[SLUG] = APPROVAL
    for order, (group, theme, question, trade_offs, summary) in enumerate(CHOICES):
        (invest_in, more_than), *further = trade_offs
        choice = loader.upsert(
            StrategicChoice,
            {"strategy": strategy, "order": order},
            group=group,
            **tr("theme", theme),
            **tr("question", question),
            **tr("invest_in", invest_in),
            **tr("more_than", more_than),
            **tr("summary", summary),
        )
        for trade_order, (extra_invest_in, extra_more_than) in enumerate(further, start=1):
            loader.upsert(
                TradeOff,
                {"choice": choice, "order": trade_order},
                **tr("invest_in", extra_invest_in),
                **tr("more_than", extra_more_than),
            )
    loader.strategies[SLUG] = strategy
    return strategy
