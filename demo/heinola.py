
"""Seed 001: Heinolan taidemuseon tulevaisuusaskelmat — a sub-strategy of
the art museum, attached to Heinolan museoiden pitkän aikavälin
toimintasuunnitelma, with its 2021 schedule as actions."""

from __future__ import annotations

import datetime

from strategy.models import Action, Organisation, Strategy

from .base import ASSUMED_APPROVAL_NOTE, Approval, Loader, tr

PARENT_SLUG = "heinolan-museot-toimintasuunnitelma"
SLUG = "heinolan-taidemuseo-tulevaisuusaskelmat"
Kind = Organisation.Kind

CITY = "heinola"
MUSEUMS = "heinolan-museot"
ART_MUSEUM = "heinolan-taidemuseo"
CITY_MUSEUM = "heinolan-kaupunginmuseo"

DIRECTOR = "Terhi Pietiläinen, museonjohtaja"

# The press release names no decision on the long-term plan: the museums and
# the start of its assumed period are the demo's assumption.
PARENT_APPROVAL = Approval(
    on=datetime.date(2021, 1, 1), body_fi="Heinolan museot", body_sv="Heinola museer", note=ASSUMED_APPROVAL_NOTE
)
# The future steps were published on the museum's 30th anniversary, 6.10.2021;
# the demo reads that as their approval by the art museum.
APPROVAL = Approval(
    on=datetime.date(2021, 10, 6),
    body_fi="Heinolan taidemuseo",
    body_sv="Heinola konstmuseum",
    note="Demo: julkistettu taidemuseon 30-vuotisjuhlapäivänä 6.10.2021; demo lukee julkistuksen hyväksymiseksi.",
)

PURPOSE = (
    "Tulevaisuusaskelmat on eräänlainen alastrategia, joka auttaa kehittämään erityisesti asiakaslähtöisiä "
    "palveluja ja toteuttamaan toimintaa vaikuttavammin olemassa olevilla resursseilla. "
    "(Museonjohtaja Terhi Pietiläinen)"
)

INTRODUCTION = """\
30-vuotisjuhlavuottaan viettävän Heinolan taidemuseon tulevaisuusaskelmia työstetään webinaarissa 19.5.2021 klo 18–19.30. Teams-alustalla toteutettava webinaari on tarkoitettu kaikille museon yhteiskehittämisestä kiinnostuneille asiakkaille, ystäville ja yhteistyökumppaneille.

– Uudistuneen kaupunginmuseon palveluiden kehittäminen on jo päässyt hyvään vauhtiin, ja nyt on taidemuseon vuoro, museonjohtaja Terhi Pietiläinen kertoo.

Heinolan taidemuseon kehittämistyötä tukee myös parhaillaan valmisteilla oleva maakunnallinen julkisen taiteen ohjelma sekä alueellinen yhteistyö, jota ohjaa aluevastuumuseo, Lahden visuaalisten taiteiden museo Malva. – Heinolan taidemuseota on hyvä kehittää Päijät-Hämeessä, josta löytyy runsaasti sekä kiinnostavaa taidetarjontaa että omaleimaisia museokohteita, toteaa Pietiläinen."""

PARENT_INTRODUCTION = (
    "Heinolan taidemuseon tulevaisuusaskelmat liitetään Heinolan museoiden pitkän aikavälin "
    "toimintasuunnitelmaan. Lähdeaineisto nimeää vain tämän suunnitelman; sen sisältö ei ole mukana "
    "demoaineistossa."
)

# (title, description) of each step of the 2021 schedule
SCHEDULE: list[tuple[str, str]] = [
    (
        "Webinaari 19.5.2021 klo 18–19.30",
        "Tulevaisuusaskelmia työstetään Teams-alustalla toteutettavassa webinaarissa 19.5.2021 klo 18–19.30. "
        "Webinaarissa keskitytään pohtimaan tulevaisuuden taidemuseon mahdollisuuksia ja visioimaan uutta "
        "asiakkaan ja elämyksellisten palveluiden näkökulmasta.",
    ),
    (
        "Työpaja alkusyksyllä 2021",
        "Tulevaisuusaskelmien suunnittelua jatketaan alkusyksyllä järjestettävässä työpajassa. Siihen asti "
        "kootun tiedon pohjalta arvioidaan ja kirkastetaan niin museon vahvuuksia ja tulevaisuuden "
        "keskittymiskohteita kuin myös palveluiden resursointia ja yhteistyökumppanuuksia erilaisilla "
        "menetelmillä.",
    ),
    (
        "Julkistus 6.10.2021",
        "Tulevaisuusaskelmat julkistetaan 30-vuotiaan taidemuseon kunniaksi järjestettävänä varsinaisena "
        "juhlapäivänä 6.10.2021. Ne liitetään Heinolan museoiden pitkän aikavälin toimintasuunnitelmaan.",
    ),
]


def load(loader: Loader) -> Strategy:
    city = loader.org(CITY, Kind.CITY, "Heinolan kaupunki", name_sv="Heinola stad")
    museums = loader.org(
        MUSEUMS, Kind.SECTOR, "Heinolan museot", parent=city, name_sv="Heinola museer"
    )
    art_museum = loader.org(
        ART_MUSEUM, Kind.UNIT, "Heinolan taidemuseo", parent=museums, name_sv="Heinola konstmuseum"
    )
    loader.org(
        CITY_MUSEUM,
        Kind.UNIT,
        "Heinolan kaupunginmuseo",
        parent=museums,
        name_sv="Heinola stadsmuseum",
    )

    # Neither plan states its period: the long-term plan is given 2021–2030
    # and the future steps 2021–2025 as the demo's assumption.
    parent = loader.upsert(
        Strategy,
        {"slug": PARENT_SLUG},
        organisation=museums,
        **tr("title", "Heinolan museoiden pitkän aikavälin toimintasuunnitelma"),
        period_start=2021,
        period_end=2030,
        status=Strategy.Status.APPROVED,
        parent=None,
        main_language="fi",
        **tr("introduction", PARENT_INTRODUCTION),
        source="Nimetty Heinolan kaupungin tiedotteessa (2021)",
        **PARENT_APPROVAL.fields(),
    )
    strategy = loader.upsert(
        Strategy,
        {"slug": SLUG},
        organisation=art_museum,
        **tr(
            "title", "Heinolan taidemuseon tulevaisuusaskelmat", "Heinola konstmuseums framtidssteg"
        ),
        period_start=2021,
        period_end=2025,
        status=Strategy.Status.APPROVED,
        parent=parent,
        main_language="fi",
        **tr("purpose", PURPOSE),
        **tr("introduction", INTRODUCTION),
        source="Heinolan kaupunki: Vielä ehdit ilmoittautua Heinolan taidemuseon tulevaisuusaskelmat -webinaariin",
        **APPROVAL.fields(),
    )
    for order, (title, description) in enumerate(SCHEDULE, start=1):
        action = loader.upsert(
            Action,
            {"strategy": strategy, "number": str(order)},
            focus_area=None,
            **tr("title", title),
            **tr("description", description),
            start_year=2021,
            end_year=2021,
            horizon=Action.Horizon.SHORT,
            responsible_person=DIRECTOR,
            order=order,
        )
        loader.set_m2m(action.responsible_units, [art_museum])
    loader.strategies[PARENT_SLUG] = parent
    loader.strategies[SLUG] = strategy
    loader.approvals[PARENT_SLUG] = PARENT_APPROVAL
    loader.approvals[SLUG] = APPROVAL
    return strategy
