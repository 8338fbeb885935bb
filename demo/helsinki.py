
"""Seed 002: Helsingin kaupunginmuseo and HAM Helsingin taidemuseo,
"Digistrategia 2.0" — a grant application marked as a draft ("luonnos").

Goals come from "Hankkeen tavoitteet ja vaikutukset", actions from
"Hankkeen toteutus" and "Aikataulu" on the roadmap's short (about one year)
and medium (3–5 years) horizons, and the budget lines of
"Hankkeen kustannusarvio" sit on the actions they pay for: 7 800 + 2 000 +
4 600 + 1 000 = 15 400 €.
"""

from __future__ import annotations

from decimal import Decimal

from strategy.models import (
    Action,
    Direction,
    Goal,
    Organisation,
    Principle,
    Section,
    Stakeholder,
    Strategy,
)

from .base import Loader, tr

SLUG = "helsinki-digistrategia-2-0"
Kind = Organisation.Kind

CITY = "helsinki"
SECTOR = "helsinki-kulttuuri-ja-vapaa-aika"
CULTURE = "helsinki-kulttuuripalvelut"
CITY_MUSEUM = "helsinki-kaupunginmuseo"
HAM = "helsinki-ham"
PARTICIPANTS = "helsinki-digistrategia-osallistuvat-museot"
PARTICIPANT_COUNT = 6

PURPOSE = "Digistrategia 2.0 -hankkeessa kehitetään museoiden digitaalisten palveluiden strategisen suuntaamisen osaamista."

INTRODUCTION = """\
Hanke: Digistrategia 2.0. Museoiden digitaalisen strategian kehittämistyöpajat uuden normaalin aikana. Museoiden osaamisen kehittäminen.

Helsingin kaupunginmuseo ja HAM Helsingin taidemuseo hakevat avustusta strategiatyöskentelyhankkeeseen, jossa kehitetään museoiden digitaalisten palveluiden strategisen suuntaamisen osaamista.

Hankkeeseen osallistuvat museot laativat konsultin johdolla kunkin museon tarpeista lähtevän digitaalisen tavoiteohjelman ja tiekartan, jonka avulla digitaalisten palveluiden kehittämisessä voidaan siirtyä kokoelmien digitoinnista ja tiedon avaamisesta palvelutuotannon seuraavaan vaiheeseen.

Hankkeessa kehitetään vertaistuen käytäntöjä. Työpajoihin osallistuvat museot tapaavat työpajojen päätyttyä säännöllisin vuoden, kahden välein tarkastelemaan strategian ajankohtaisuutta ja tiekartan toimivuutta mahdollisesti muuttuneessa tilanteessa.

Rahoitussuunnitelma: Museovirastolta haettava avustus 12 320 €, oma rahoitus 3 080 €, yhteensä 15 400 euroa."""

# "Kestävän kehityksen periaatteet hankkeessa": the project's guiding principle.
PRINCIPLE = (
    "Kestävän kehityksen periaatteet hankkeessa",
    "Hanke edistää kestävää kehitystä erityisesti sosiaalisesti ja taloudellisesti kestävän kehityksen näkökulmista.",
    [
        "Sosiaalisesti kestävät painotukset (selkokieli, kielivalikoima)",
        "Digitaalisesti saavutettava käyttäjäkokemus",
        "Voimavarojen taloudellinen suuntaaminen",
        "Etätyöpajat: valtakunnallinen osallistaminen ilman matkustamista ja matkakuluja",
    ],
)

# "Hankkeen toimijat" and "Rahoitussuunnitelma": who the project is made with and for.
STAKEHOLDERS: list[tuple[str, str, str, list[int]]] = [
    (
        "Helsingin kaupunginmuseo ja HAM Helsingin taidemuseo",
        Stakeholder.Kind.AUTHORITY,
        "Hakijamuseot: vastaavat hankkeesta ja sen toteutuksesta.",
        [0, 1],
    ),
    (
        "Osallistuvat museot (6–8)",
        Stakeholder.Kind.PARTNER,
        "Laativat konsultin johdolla oman digitaalisen tavoiteohjelmansa ja tiekarttansa ja tapaavat "
        "työpajojen jälkeen vuoden, kahden välein.",
        [1],
    ),
    (
        "Museovirasto",
        Stakeholder.Kind.FUNDER,
        "Museovirastolta haettava avustus 12 320 €.",
        [],
    ),
]

GOALS: list[tuple[str, str]] = [
    (
        "Digitaalisten palveluiden ja toimintamallien kehittämisosaaminen vahvistuu",
        "Hankkeessa vahvistetaan digitaalisten palveluiden ja toimintamallien kehittämisosaamista ja edistetään "
        "vertaisoppimista ja -kehittämistä sekä rakennetaan osaajaverkostoa.",
    ),
    (
        "Jokaisella osallistuvalla museolla on tavoiteohjelma ja tiekartta",
        "Hankkeeseen osallistuvat museot tarkastelevat nykyistä tilannettaan ja laativat kunkin museon "
        "tavoitteista lähtevän tavoiteohjelman ja tiekartan siitä, missä ne haluaisivat olla digitaalisten "
        "palveluittensa suhteen lyhyellä (noin 1 vuosi) ja keskipitkällä (3–5 vuotta) aikavälillä.",
    ),
    (
        "Digitalisaatio tehostaa työskentelyä ja kehittää ansaintalogiikkaa",
        "Digitaalinen strategia tai tavoiteohjelma tarvitaan, jotta museoissa päästään digitalisaation "
        "seuraavassa aallossa tehostamaan työskentelyä, joko nopeampien prosessien avulla tai löytämällä "
        "ratkaisuja, jotka auttavat museoita tuotteistamaan digitaalisia palveluita ja kehittämään "
        "ansaintalogiikkaa. Museoiden digitaalisten palveluiden avulla ei juurikaan ole saatu vähennettyä "
        "henkilötyömäärää tai saatu kehitettyä tulonmuodostusta.",
    ),
    (
        "Tietoa digitaalisten tuotteiden vaikuttavuudesta",
        "Digitaalisten tuotteiden vaikuttavuudesta on melko vähän tietoa, ja voimavarojen suuntaaminen on jossain "
        "määrin sattumanvaraista. Osallistuvat museot laativat tavoiteohjelman lisäksi työkalupakin, jossa "
        "määritellään konkreettisia toimenpiteitä ja se, miten asetettuja tavoitteita mitataan.",
    ),
]

# (title, description, horizon, start, end, budget, goal index, responsible)
ACTIONS: list[tuple[str, str, str, int, int | None, str | None, int, list[str]]] = [
    (
        "Kysely vastuumuseoalueen ammatillisille museoille keväällä 2021",
        "Hanke alkaa kyselyllä keväällä 2021. Kiinnostusta ja osallistumisen edellytyksiä kartoitetaan "
        "vastuumuseoalueen ammatillisille museoille suunnatulla kyselyllä, minkä jälkeen katsotaan, mahtuuko "
        "mukaan museoita myös Keski-Uudenmaan ulkopuolelta.",
        Action.Horizon.SHORT,
        2021,
        2021,
        None,
        0,
        [CITY_MUSEUM, HAM],
    ),
    (
        "Kipupisteiden tunnistaminen ennakkotehtävänä",
        "Mukaan valittavat museot tunnistavat digitaalisen toimintaympäristönsä kipupisteitä ennakkotehtävänä "
        "ennen työpajatyöskentelyn aloittamista.",
        Action.Horizon.SHORT,
        2021,
        2021,
        None,
        1,
        [PARTICIPANTS],
    ),
    (
        "Kolme työpajaa",
        "Työskentelytapana on kolme työpajaa, joissa määritellään ongelma-avaruus, asetetaan tavoitteet ja "
        "tuotetaan tavoiteohjelma ja työkalupakki. Työskentelytapa on vertaiskehittäminen, jota konsultti tukee "
        "palvelumuotoilun menetelmillä. Kustannusarvio: työpajapalkkiot 3 työpajaa, yhteensä 4 600 €.",
        Action.Horizon.SHORT,
        2021,
        2021,
        "4600",
        0,
        [CITY_MUSEUM, HAM],
    ),
    (
        "Asiantuntijatyön ostopalvelut",
        "Työpajojen lisäksi konsultti osallistuu välitehtävinä syntyvien tekstiluonnosten kommentointiin. "
        "Kustannusarvio: asiantuntijatyön ostopalvelut 2 000 €.",
        Action.Horizon.SHORT,
        2021,
        2021,
        "2000",
        0,
        [CITY_MUSEUM, HAM],
    ),
    (
        "Tavoiteohjelmat ja työkalupakit valmistuvat syksyllä 2021",
        "Koulutukseen osallistuvien museoiden tavoiteohjelmat ja työkalupakit valmistuvat syksyllä 2021; "
        "strategiat ja tiekartat valmistuvat loppuvuodesta 2021.",
        Action.Horizon.SHORT,
        2021,
        2021,
        None,
        1,
        [PARTICIPANTS],
    ),
    (
        "Oppaan laatiminen",
        "Hankkeeseen palkataan projektityöntekijä, joka tiivistää yhteisesti opitut asiat kevyeen, "
        "verkkopohjaiseen oppaaseen, josta kaikki museot voivat jatkossa ammentaa ideoita oman museon "
        "digitaalisen työkalupakin laatimiseksi. Kustannusarvio: palkat, oppaan laatiminen 2 kk à 2 800 €/kk "
        "+ sotu, 7 800 €.",
        Action.Horizon.SHORT,
        2021,
        2021,
        "7800",
        3,
        [CITY_MUSEUM, HAM],
    ),
    (
        "Oppaan graafinen suunnittelu ja taitto",
        "Kustannusarvio: muut kulut, oppaan graafinen suunnittelu ja taitto 1 000 €.",
        Action.Horizon.SHORT,
        2021,
        2021,
        "1000",
        3,
        [CITY_MUSEUM, HAM],
    ),
    (
        "Seuranta- ja arviointityöpaja syksyllä 2022",
        "Seuranta- ja arviointityöpaja järjestetään syksyllä 2022, jolloin päätetään jatkotoimista.",
        Action.Horizon.MEDIUM,
        2022,
        2022,
        None,
        1,
        [CITY_MUSEUM, HAM, PARTICIPANTS],
    ),
    (
        "Säännölliset tapaamiset vuoden, kahden välein",
        "Työpajoihin osallistuvat museot tapaavat työpajojen päätyttyä säännöllisin vuoden, kahden välein "
        "tarkastelemaan tavoiteohjelmien ajankohtaisuutta ja tiekartan toimivuutta.",
        Action.Horizon.MEDIUM,
        2022,
        None,
        None,
        0,
        [CITY_MUSEUM, HAM, PARTICIPANTS],
    ),
]

SECTIONS: list[tuple[str, str]] = [
    (
        "Hankkeen toteutus",
        "Helsingin kaupunginmuseo ja HAM Helsingin taidemuseo ovat alueellisia vastuumuseoita ja digitaalisten "
        "työvälineiden kehittäminen ja niiden käytön edistäminen on osa alueellista vastuumuseotehtävää. Työpajat "
        "suunnataan sen vuoksi ensisijaisesti vastuualueen ammatillisille museoille, mutta verkossa tapahtuvan "
        "työskentelyn vuoksi kehittämishankkeeseen voidaan mahdollisuuksien mukaan ottaa mukaan museoita myös "
        "Keski-Uudenmaan ulkopuolelta.\n\n"
        "Hankkeeseen voidaan ottaa 6–8 museota Helsingin kaupunginmuseon ja HAM Helsingin taidemuseon lisäksi.\n\n"
        "Työpajoissa museot jakavat omia kokemuksiaan ja osaamistaan. Ulkopuolinen katse on välttämätön uuden "
        "osaamisen saamiseksi työskentelyyn. Koulutus ostetaan museoalan ulkopuolelta, digitaaliseen "
        "palvelumuotoiluun erikoistuneelta yritykseltä, jotta työskentelyyn saadaan museoalan ulkopuolista "
        "näkökulmaa ja osaamista.",
    ),
    (
        "Kestävän kehityksen periaatteet hankkeessa",
        "Hanke edistää kestävää kehitystä erityisesti sosiaalisesti ja taloudellisesti kestävän kehityksen "
        "näkökulmista. Strategiatyöskentely antaa mahdollisuuden sosiaalisesti kestävien painotusten (selkokieli, "
        "kielivalikoima) sekä digitaalisesti saavutettavan käyttäjäkokemuksen korostamiseen. Strategiatyöskentely "
        "edistää osaltaan myös voimavarojen taloudellista suuntaamista. Taloudellisesti ja ekologisesti kestävää "
        "on myös hankkeen toteutus etätyöpajoina, mikä mahdollistaa valtakunnallisen osallistamisen ilman "
        "matkustamista ja matkakuluja.",
    ),
    (
        "Hankkeen toimijat",
        "Helsingin kaupunginmuseo ja HAM Helsingin taidemuseo ovat osa Helsingin kaupungin kulttuurin ja "
        "vapaa-ajan toimialan palveluita. Toimiala jakautuu neljään palvelukokonaisuuteen, jotka ovat kirjasto, "
        "kulttuuri, liikunta ja nuoriso. Kulttuuripalvelukokonaisuus sisältää HAM Helsingin taidemuseon, "
        "kaupunginmuseon, kaupunginorkesterin ja yleiset kulttuuripalvelut.",
    ),
    (
        "Aikataulu",
        "Hanke alkaa kyselyllä keväällä 2021, sen jälkeen kolme työpajaa siten, että strategiat ja tiekartat "
        "valmistuvat loppuvuodesta 2021. Seurantatyöpaja syksyllä 2022, jolloin päätetään jatkotoimista.",
    ),
    (
        "Hankkeen kustannusarvio ja rahoitussuunnitelma",
        "Palkat: oppaan laatiminen 2 kk à 2 800 €/kk + sotu 7 800 euroa.\n"
        "Palkkiot: asiantuntijatyön ostopalvelut 2 000 euroa; työpajapalkkiot 3 työpajaa, yhteensä 4 600.\n"
        "Muut kulut: oppaan graafinen suunnittelu ja taitto 1 000.\n\n"
        "Rahoitussuunnitelma: Museovirastolta haettava avustus 12 320, oma rahoitus 3 080. "
        "Yhteensä 15 400 euroa.",
    ),
]


def load(loader: Loader) -> Strategy:
    city = loader.org(
        CITY,
        Kind.CITY,
        "Helsingin kaupunki",
        name_sv="Helsingfors stad",
        name_en="City of Helsinki",
    )
    sector = loader.org(
        SECTOR,
        Kind.SECTOR,
        "Kulttuurin ja vapaa-ajan toimiala",
        parent=city,
        name_sv="Kultur- och fritidssektorn",
    )
    culture = loader.org(
        CULTURE, Kind.SERVICE_AREA, "Kulttuuripalvelut", parent=sector, name_sv="Kulturtjänster"
    )
    loader.org(
        CITY_MUSEUM,
        Kind.UNIT,
        "Helsingin kaupunginmuseo",
        parent=culture,
        name_sv="Helsingfors stadsmuseum",
    )
    loader.org(
        HAM,
        Kind.UNIT,
        "HAM Helsingin taidemuseo",
        parent=culture,
        name_sv="HAM Helsingfors konstmuseum",
    )
    # "Hankkeeseen voidaan ottaa 6–8 museota": the seed names none, so the
    # demo has six placeholders. They hang under the owning service area so
    # that their people can read the joint draft; the tree models their part
    # in the project, not their real owners.
    participants = loader.org(
        PARTICIPANTS,
        Kind.SERVICE_AREA,
        "Osallistuvat museot (demo)",
        parent=culture,
        name_sv="Deltagande museer (demo)",
    )
    for number in range(1, PARTICIPANT_COUNT + 1):
        loader.org(
            f"{PARTICIPANTS}-{number}",
            Kind.UNIT,
            f"Osallistuva museo {number} (demo)",
            parent=participants,
            name_sv=f"Deltagande museum {number} (demo)",
        )

    strategy = loader.upsert(
        Strategy,
        {"slug": SLUG},
        organisation=culture,
        **tr(
            "title",
            "Digistrategia 2.0 – museoiden digitaalisen strategian kehittämistyöpajat uuden normaalin aikana",
            "Digistrategi 2.0 – verkstäder för museernas digitala strategi",
        ),
        period_start=2021,
        period_end=2022,
        status=Strategy.Status.DRAFT,
        parent=None,
        main_language="fi",
        **tr("purpose", PURPOSE),
        **tr("introduction", INTRODUCTION),
        source="Helsingin kaupunginmuseo ja HAM Helsingin taidemuseo: avustushakemus (luonnos)",
    )
    for order, (title, body) in enumerate(SECTIONS, start=1):
        loader.upsert(
            Section,
            {"strategy": strategy, "number": str(order)},
            **tr("title", title),
            **tr("body", body),
            order=order,
        )
    goals = [
        loader.upsert(
            Goal,
            {"strategy": strategy, "order": order},
            perspective=None,
            **tr("title", title),
            **tr("description", description),
            direction=Direction.INCREASE,
        )
        for order, (title, description) in enumerate(GOALS)
    ]
    for order, (title, description, horizon, start, end, budget, goal, units) in enumerate(
        ACTIONS, start=1
    ):
        action = loader.upsert(
            Action,
            {"strategy": strategy, "number": str(order)},
            focus_area=None,
            goal=goals[goal],
            **tr("title", title),
            **tr("description", description),
            horizon=horizon,
            start_year=start,
            end_year=end,
            budget=Decimal(budget) if budget else None,
            order=order,
        )
        loader.set_m2m(action.responsible_units, [loader.orgs[slug] for slug in units])
    title, description, points = PRINCIPLE
    loader.upsert(
        Principle,
        {"strategy": strategy, "order": 0},
        **tr("title", title),
        **tr("description", description),
        **tr("points", "\n".join(points)),
    )
    for order, (name, kind, role, goal_indexes) in enumerate(STAKEHOLDERS):
        stakeholder = loader.upsert(
            Stakeholder, {"strategy": strategy, "order": order}, **tr("name", name), kind=kind, **tr("role", role)
        )
        loader.set_m2m(stakeholder.goals, [goals[index] for index in goal_indexes])
    loader.strategies[SLUG] = strategy
    return strategy
