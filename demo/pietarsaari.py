
"""Seed 004: Pietarsaaren kaupungin kulttuuri- ja vapaa-aikapalvelut,
strategia 2022–2027 (Jakobstads stads kultur- och fritidstjänster).

The text is the strategy's own Finnish; obvious typing errors of the source
are corrected ("kestäväällä" → "kestävällä"), the wording is not. Swedish
appears where the source gives it (the maturity levels) and for the
organisation names of bilingual Jakobstad.
"""

from __future__ import annotations

import datetime

from indicators.models import Indicator
from maturity.models import Criterion, Dimension, Level, MaturityModel
from strategy.models import (
    Action,
    Direction,
    FocusArea,
    Goal,
    Organisation,
    Perspective,
    Section,
    Stakeholder,
    Strategy,
    SustainableDevelopmentGoal,
    TargetState,
    Vision,
)

from .base import ASSUMED_APPROVAL_NOTE, Approval, Loader, tr

SLUG = "pietarsaari-kulttuuri-ja-vapaa-aika-2022-2027"

# The seed names neither a date nor a body: the work began in January 2022 and
# the content "took shape over the spring", so the demo assumes approval at the
# start of June 2022, by the sector as the seed names itself.
APPROVAL = Approval(
    on=datetime.date(2022, 6, 1),
    body_fi="Pietarsaaren kaupungin kulttuuri- ja vapaa-aikapalvelut",
    body_sv="Jakobstads stads kultur- och fritidstjänster",
    note=ASSUMED_APPROVAL_NOTE,
)
Kind = Organisation.Kind

# Organisation keys used by the other demo modules.
CITY = "pietarsaari"
SECTOR = "pietarsaari-kulttuuri-ja-vapaa-aika"
ADMIN = "pietarsaari-hallintopalvelut"
CULTURE = "pietarsaari-kulttuurin-edistaminen"
SPORT_YOUTH = "pietarsaari-liikunta-ja-nuoriso"
EDUCATION = "pietarsaari-koulutus"
LIBRARY = "pietarsaari-kirjastopalvelut"
MUSEUM = "pietarsaari-museo"
CULTURE_GENERAL = "pietarsaari-yleinen-kulttuuripalvelu"
SPORT = "pietarsaari-liikuntapalvelut"
YOUTH = "pietarsaari-nuorisopalvelut"
ARBIS = "pietarsaari-arbis"
WORKERS_INSTITUTE = "pietarsaari-tyovaenopisto"
WAVA = "pietarsaari-wava"


def load_organisations(loader: Loader) -> None:
    """City → sector → four service areas (5.2 Organisaatio) → units (Lukijalle)."""
    city = loader.org(CITY, Kind.CITY, "Pietarsaaren kaupunki", name_sv="Jakobstads stad")
    sector = loader.org(
        SECTOR,
        Kind.SECTOR,
        "Kulttuuri- ja vapaa-aikapalvelut",
        parent=city,
        name_sv="Kultur- och fritidstjänster",
    )
    loader.org(
        ADMIN, Kind.SERVICE_AREA, "Hallintopalvelut", parent=sector, name_sv="Förvaltningstjänster"
    )
    culture = loader.org(
        CULTURE,
        Kind.SERVICE_AREA,
        "Kulttuurin edistämisen palvelut",
        parent=sector,
        name_sv="Tjänster för främjande av kultur",
    )
    sport_youth = loader.org(
        SPORT_YOUTH,
        Kind.SERVICE_AREA,
        "Liikunta ja nuoriso",
        parent=sector,
        name_sv="Idrott och ungdom",
    )
    education = loader.org(
        EDUCATION, Kind.SERVICE_AREA, "Koulutus", parent=sector, name_sv="Utbildning"
    )
    loader.org(LIBRARY, Kind.UNIT, "Kirjastopalvelut", parent=culture, name_sv="Bibliotekstjänster")
    loader.org(MUSEUM, Kind.UNIT, "Museo", parent=culture, name_sv="Museum")
    loader.org(
        CULTURE_GENERAL,
        Kind.UNIT,
        "Yleinen kulttuuripalvelu",
        parent=culture,
        name_sv="Allmän kulturservice",
    )
    loader.org(SPORT, Kind.UNIT, "Liikuntapalvelut", parent=sport_youth, name_sv="Idrottstjänster")
    loader.org(YOUTH, Kind.UNIT, "Nuorisopalvelut", parent=sport_youth, name_sv="Ungdomstjänster")
    loader.org(
        ARBIS,
        Kind.UNIT,
        "Ruotsinkielinen työväenopisto (Arbis)",
        parent=education,
        name_sv="Arbetarinstitutet Arbis",
        short_name_fi="Arbis",
    )
    loader.org(
        WORKERS_INSTITUTE,
        Kind.UNIT,
        "Suomenkielinen työväenopisto",
        parent=education,
        name_sv="Finska arbetarinstitutet",
    )
    loader.org(WAVA, Kind.UNIT, "Wava-instituutti", parent=education, name_sv="Wava-institutet")


INTRODUCTION = """\
Alla oleva strategia on tulos tammikuussa 2022 aloitetusta Pietarsaaren kaupungin kulttuuri- ja vapaa-aikapalveluiden kehittämistyöstä. Sisältö on muotoutunut kevään aikana. Strategian tarkoituksena on luoda kulttuuri- ja vapaa-aikatoimialalle konkreettinen kehityssuunta. Painopistealueet ja suunnitellut toimenpiteet ovat valikoituneet kaupunkistrategian, strategiatyöryhmätyöskentelyn ja kentän kartoittamisen pohjalta. Strategia ei ole selvitys nykytilasta vaan suuntaa tulevaisuuteen. Se tarvitsee tuekseen toimialansa yksiköiden omia toimintasuunnitelmia.

Kulttuuri- ja vapaa-aikatoimialan yksiköitä ovat kirjastopalvelut, nuorisopalvelut, yleinen kulttuuripalvelu, museopalvelut, liikuntapalvelut, ruotsin- ja suomenkielinen työväenopisto sekä Wava-instituutti.

Kehittämishanketta on johtanut Pietarsaaren kaupungin kulttuuri- ja vapaa-aikapäällikkö Päivi Rosnell. Strategiaprosessin asiantuntijoiksi on palkattu Ralf Blomqvist, Main AB ja Ann Charlott Hästö, ACH architecture. Kehittämistyötä ovat tukeneet kulttuuri- ja vapaa-aikatoimialan yksiköt, sivistys- ja hyvinvointijohtaja, kulttuuri- ja vapaa-aikajaosto, johtavat päättäjät, yhdistystoimijat sekä muut yhteistyökumppanit.

Työ on jakautunut neljään vaiheeseen:
1) Toimintaympäristöanalyysi, joka sisälsi noin 15 henkilöhaastattelua, kyselyn ja kattavan arvioinnin asiaan liittyvistä materiaaleista (lait, raportit ja tutkimukset).
2) Kick off -luento, strategiatyöpajat ja työkokoukset, joissa olemme yhdessä muotoilleet suuntaa, prioriteetteja ja ehdotettuja toimenpiteitä.
3) Strategiasafarit, joissa työryhmät jatkoivat avainkysymysten parissa, jotka tunnistettiin toimintaympäristöanalyysissä.
4) Strategian kirjoittaminen, jossa yllä olevien vaiheiden näkemys on tiivistetty tässä asiakirjassa ja jalostetaan vuoropuhelussa edellä mainittujen eri toimijoiden kanssa.

Olemme tietoisesti valinneet viiden vuoden ajanjakson, jotta pysymme kunnianhimoisesti mukana muuttuvassa maailmassa. Samalla strategia tukee sitä konkreettista muutostyötä, jota teemme tällä hetkellä. Siksi olemme päättäneet määritellä painopisteet ja kuvailla ehdotettuja toimenpiteitä viiden vuoden aikajänteellä."""

VISION = (
    "Seutukaupunki Pietarsaari on rohkea ja luova kulttuurin ja vapaa-ajan mahdollistaja. Monipuolinen "
    "harrastus- ja tapahtumatarjonta, asiakaslähtöiset ja saavutettavat palvelut sekä kasvava luovien alojen "
    "koulutus ja yrittäjyys ovat Pietarsaaren keskeisiä veto- ja pitovoimatekijä ja tekevät kaupungista "
    "kokoluokkaansa suuremman. Yksinkertaistettu ja virtaviivaistettu organisaatio mahdollistaa toiminnan ja "
    "asiakaskokemuksen jatkuvaa yhteiskehittämistä. Tarinamme ihmiset ovat yhteisöllisiä ja aktiivisia "
    "harrastajia. Koti on siellä, missä vapaa-aika on lähellä."
)

TARGET_STATES: list[tuple[str, str]] = [
    (
        "Suuntana kaikenkattava hyvinvointi",
        "Olemme asiakaslähtöinen ja saavutettava palvelukokonaisuus, jolla on toimivat tieto- ja "
        "viestintämenetelmin tuotetut palvelut. Kulttuuri- ja vapaa-aikatoimialan keskeisiä tavoitteita ovat "
        "palvelujen saavutettavuuden parantaminen ja ennalta ehkäisevän hyvinvoinnin edistäminen kestävällä "
        "tavalla.",
    ),
    (
        "Asiakas toiminnan keskiössä",
        "Hyödynnämme monipuolisesti kaupunkilaisten ja yhteisöjen asiantuntemusta kulttuuri- ja "
        "vapaa-aikapalveluiden toiminnan kehittämisessä sekä päätöksenteon valmistelussa.",
    ),
    (
        "Selkeät toimintatavat muutoksen tukena",
        "Meillä on myönteinen ja yhtenäinen palvelukulttuuri. Määrittelemme nykyistä selkeämmin, mitä palveluja "
        "kaupunki tuottaa itse, mitä se tavoittelee avustustoiminnallaan, missä palveluissa se tekee yhteistyötä "
        "ja mitkä palvelualueet se rajaa oman toimintansa ulkopuolelle.",
    ),
    (
        "Talous pohjautuu tehokkuuteen ja joustavuuteen",
        "Kestävän kasvun turvaamiseksi muodostamme kulttuuri- ja vapaa-aikatoimialasta sellaisen kokonaisuuden, "
        "jossa taloutta ja tulonmuodostusta tarkastellaan ja suunnitellaan yhtenäisenä toimialana. "
        "Kehittämiskohteiden ja tapahtumien priorisointi tarjoaa vakautta ja taloudellista kestävyyttä.",
    ),
]

STEERING_INTRO = (
    "Teemme vuosittaisen toimintasuunnitelman strategian pohjalta ja kohdennamme voimavaroja sinne, missä "
    "niistä saadaan suurin hyöty. Pysymme selvillä siitä ovatko tulot ja menot suunnitellusti tasapainossa. "
    "Lisätään toimialan yhteistä valmiutta ja kykyä tehdä koko toimialaa koskevia yhteisiä päätöksiä ja "
    "priorisointeja."
)

# Section 4's steering table: parameter → goal ("Tavoite", one line a row) → indicators ("Mittari").
STEERING_TABLE: list[tuple[str, list[str], list[str]]] = [
    (
        "Asiakas",
        [
            "Osallisuus, näkyvyys, tyytyväisyys, ennaltaehkäisevä hyvinvointi",
            "Palveluntarve, kolmas sektori",
        ],
        ["Kävijämäärä", "Asiakastyytyväisyys", "Kävijämäärät sosiaalinen media", "Hyte-mittarit"],
    ),
    ("Toiminta", ["Painopistealueet", "Ennaltaehkäisevä hyvinvointi"], []),
    (
        "Sisäiset prosessit",
        [
            "Luodaan Kulttuuri- ja vapaa-aikapalveluiden käsikirja, jossa rutiinit, roolit ja työtavat on kuvattu.",
            "Vähennetään työntekijäriippuvuutta sekä kuormittavuutta.",
            "Sähköiset palvelut",
        ],
        [],
    ),
    (
        "Kestävyys",
        [
            "Paikallisuus",
            "Kulttuuri- ja vapaa-aika tukee kestävyystavoitteiden saavuttamista",
            "Olemassa olevat toimitilat",
        ],
        ["Agenda 2030", "Käyttöaste/toimivuus"],
    ),
    (
        "Talous",
        ["Taloudellinen vakaus ja kestävyys", "Kehittämiskohteiden ja tapahtumien priorisointi"],
        [],
    ),
]

# The table gives only the names of the indicators; unit of measure,
# direction and data source are the demo's reading of them.
INDICATORS: dict[str, dict[str, object]] = {
    "Kävijämäärä": {
        "unit": "käyntiä/vuosi",
        "description": "Kirjaston, museon ja muiden yksiköiden käynnit vuodessa; seurataan myös yksiköittäin.",
        "source": "Kävijälaskurit ja lipunmyynti",
        "sdgs": [],
    },
    "Asiakastyytyväisyys": {
        "unit": "keskiarvo 1–5",
        "decimals": 1,
        "description": "Asiakaskyselyn yleisarvosana asteikolla 1–5 (3.4: teemme säännöllisesti tutkimuksia "
        "asiakas-/vierailijakokemuksista).",
        "source": "Asiakaskysely",
        "sdgs": [],
    },
    "Kävijämäärät sosiaalinen media": {
        "unit": "seuraajaa",
        "description": "Toimialan sosiaalisen median kanavien seuraajat vuoden lopussa.",
        "source": "Kanavien tilastot",
        "sdgs": [],
    },
    "Hyte-mittarit": {
        "unit": "%",
        "percentage": True,
        "description": "Hyvinvoinnin ja terveyden edistämisen mittarit. Demossa yksi luku: kulttuuri- ja "
        "liikuntatoimintaan osallistuvien asukkaiden osuus.",
        "source": "Hyvinvointikertomus",
        "sdgs": [3],
    },
    "Agenda 2030": {
        "unit": "toimenpidettä",
        "description": "Kestävän kehityksen tavoitteita edistävät toimenpiteet vuoden aikana "
        "(kulttuuri- ja vapaa-aika tukee kestävyystavoitteiden saavuttamista).",
        "source": "Toimintasuunnitelmien seuranta",
        "sdgs": [11, 12, 13],
    },
    "Käyttöaste/toimivuus": {
        "unit": "%",
        "percentage": True,
        "description": "Olemassa olevien toimitilojen käyttöaste ja toimivuus.",
        "source": "Tilavarausjärjestelmä",
        "sdgs": [11],
    },
}

# (number, title, description, responsible units, SDG numbers)
FOCUS_AREAS: list[dict[str, object]] = [
    {
        "number": "3.1",
        "title": "Kulttuurin ja vapaa-aikapalveluiden saavutettava ja kestävä palveluverkko",
        "description": """\
Panostamme saavutettavuuteen huomioimalla jatkuvasti moninaisuutta kaikessa strategisessa työssä ja suunnittelemme toimintamme huolella. Perustamme yhteisen kulttuurin- ja vapaa-ajan viraston Campus Allegroon ja yhdistämme vapaan sivistyksen, taiteen perusopetuksen sekä kulttuuri- ja vapaa-aikatoiminnan yhdeksi palveluksi. Kulttuurin ja vapaa-ajan toimiala vastaavasti jakaantuu neljään palvelukokonaisuuteen.

Pietarsaaren ruotsinkielisen ja suomenkielisen työväenopiston ja Wava-opiston hallinto yhdistetään yhdeksi palvelukokonaisuudeksi. Yhteinen vahva profiili vahvistaa opistojen opetustyön ja taiteen perusopetuksen kilpailukykyä ja houkuttelevuutta.

Kulttuuri- ja vapaa-aikavirasto toimii yhteisöllisenä hallinnon yksikkönä, joka koostuu tukipalveluista ja esimiehistä. Virastoon Campus Allegroon muuttavat ne yksikön esimiehet, jotka oman yksikön toiminnan kannalta voivat toimia yhteisestä palvelupisteestä käsin.""",
        "actions": [
            (
                "Toimintamme sijoitetaan esteettömiin tiloihin Campus Allegroon",
                "Toimintamme sijoitetaan esteettömiin tiloihin Campus Allegroon, johon perustamme kulttuuri- ja "
                "vapaa-aikatoimialan hallinnon. Perustamme kampukselle myös palvelupisteen (Front Office), joka "
                "palvelee niin kulttuurin- ja vapaa-aikatoimialan asiakkaita kuin myös muita kaupungin yksiköitä ja "
                "muita sidosryhmiä. Myös muut kaupunkiorganisaation toimialat voivat välittää palvelupisteen kautta "
                "palvelujaan kuten kaupungin markkinointiin, turismiin, elinkeinoelämään, asukkaiden arkielämään, "
                "lupa-asioihin liittyvissä asioissa.",
                [ADMIN],
                [10, 11],
            ),
            (
                "Palvelupisteen toiminnot ja Jeppis this week -palvelu",
                "Toimintoihin kuuluvat mm. viestintä eri kielillä, lippujen myynti, eri etuuksien ja alennusten "
                "myynti (museokortti, uimahallikortti jne.), yhdistyspalvelut, vapaan sivistyksen sekä muiden "
                "yksiköiden palvelut. Yhteistä viestintää ja markkinointia lisätään tuottamalla Jeppis this week "
                "-palvelua, joka toimii digitaalisella alustalla.",
                [ADMIN, MUSEUM],
                [],
            ),
            (
                "Kehitämme yhteiset sähköiset palvelut",
                "Kehitämme yhteiset sähköiset palvelut, jossa erilliset yksiköt voivat tarjota joustavan tavan "
                "tilavarauksiin, laitteisiin, liikuntaneuvontaan, liikuntaryhmiin, avustusten hakemiseen ja lippujen "
                "myyntiin.",
                [ADMIN, LIBRARY, SPORT],
                [],
            ),
            (
                "Yhteinen opistokokonaisuus (Arbis, Työväenopisto ja Wava-instituutti)",
                "Yhteisessä opistokokonaisuudessa (Arbis, Työväenopisto ja Wava-instituutti) koulutus- ja hallinnon "
                "henkilöresurssit yhdistetään siten, että se tuo monipuolisesti etuja toimintaan, jossa taloudellinen "
                "asema ja valtionosuudet voidaan turvata. Tämä parantaa laatua, luotettavuutta ja monipuolisuutta.",
                [ARBIS, WORKERS_INSTITUTE, WAVA],
                [4],
            ),
        ],
    },
    {
        "number": "3.2",
        "title": "Kulttuuri- ja vapaa-aikapalveluiden yhteistyö kolmannen sektorin kanssa",
        "description": """\
Kulttuuri- ja vapaa-aikapalvelut ovat aktiivisena toimijana mukana kolmannen sektorin yhteistyörakenteissa ja -verkostoissa. Kulttuuri- ja vapaa-aikavirasto toimii myös yhteistyöryhmien ja -foorumeiden koordinoijana ja kokoonkutsujana. Palveluissa tarkastellaan tuottamistapoja kaupungin ja kolmannen sektorin yhteistyönä sekä tuotetaan niitä enenevästi kumppanuudella. Yhteistyötä tehdään kaupungin toimijoiden varmistamana niin, että kansalais- ja järjestötoiminta on vahvasti mukana ja vastuussa.

Tehtävänämme on yhteistyössä luoda asukkaille toimivia arjen ratkaisuja ja sujuvan elämän edellytyksiä. Näin mahdollistetaan erilaisista lähtökohdista tuleville ihmisille samanlaiset mahdollisuudet hyvään elämään.""",
        "actions": [
            (
                "Aktiivinen toimija kolmannen sektorin yhteistyörakenteissa ja -verkostoissa",
                "Kulttuuri- ja vapaa-aikapalvelut ovat aktiivisena toimijana mukana kolmannen sektorin "
                "yhteistyörakenteissa ja -verkostoissa. Kulttuuri- ja vapaa-aikavirasto toimii myös yhteistyöryhmien "
                "ja -foorumeiden koordinoijana ja kokoonkutsujana.",
                [ADMIN, CULTURE_GENERAL],
                [17],
            ),
            (
                "Tarjoamme kontaktihenkilön yhdistysten käyttöön",
                "Tarjoamme kontaktihenkilön yhdistysten käyttöön. Kontaktihenkilö toimii yhdyshenkilönä eri "
                "yksiköiden ja sektoreiden välillä. Tuemme yhdistyksiä erilaisissa käytännön kysymyksissä ja eri "
                "toimitilojen varauksissa.",
                [ADMIN],
                [],
            ),
            (
                "Kehitämme uusia rahoitus- ja resursointimalleja",
                "Kehitämme uusia rahoitus- ja resursointimalleja yhteistyössä kolmannen sektorin sekä "
                "elinkeinoelämän kanssa. Kestävän kasvun turvaamiseksi laajennamme varauspalvelua ja samalla "
                "kehitämme tilahinnoittelua ja otamme käyttöön digitaalisen maksamisen ratkaisuja.",
                [ADMIN],
                [],
            ),
            (
                "Uudistamme avustuspolitiikkaa",
                "Uudistamme avustuspolitiikkaa ja kehitämme parempia tapoja osoittaa avustustoiminnan vaikuttavuutta.",
                [ADMIN],
                [],
            ),
        ],
    },
    {
        "number": "3.3",
        "title": "Moniympäristöiset nuorisopalvelut",
        "description": (
            "Muuttuvat ja mahdollisesti kokonaan uudet toimintaympäristöt haastavat nuorisotyön osaamista. Tuleva "
            "toimialamuutos tuo moniympäristöiselle nuorisotyölle uusia merkityksiä, kun nuorisotyön "
            "toimintaympäristöt laajenevat muiden hallintokuntien alueelle."
        ),
        "actions": [
            (
                "Nuorisotyön menetelmät digitaalisiin toimintaympäristöihin",
                "Digitaalisuus ja verkko tuovat nuorisotyölle uusia toimintaympäristöjä, joiden myötä nuorisotyön "
                "menetelmiä ja työtapoja muokataan uusiin toimintaympäristöihin sopiviksi.",
                [YOUTH],
                [4],
            ),
            (
                "Jalkautuva ja liikkuva nuorisotyö",
                "Moniympäristöisessä nuorisotyössä nuorisotyöntekijä jalkautuu nuorisotalolta erilaisiin julkisiin, "
                "puolijulkisiin ja yksityisiin tiloihin. Nuorisotyön resursseja käytetään myös liikkuvassa "
                "nuorisotyössä, jossa voidaan tavoittaa nuoria, jotka eivät käy nuorisotalolla.",
                [YOUTH],
                [3, 10],
            ),
            (
                "Nuorisotyön osa-alueet ja niiden vaikuttavuuden arviointi",
                "Nuorisotyö jaetaan eri toimintoihin ja henkilöstön osaaminen huomioidaan seuraavissa osa-alueissa: "
                "kulttuurinen-, liikunnallinen-, koulu-, etsivä-, työpaja-, neuvonta-, erityis-, jalkautuva-, "
                "kansainvälinen-, monikulttuurinen- sekä sukupuolisensitiivinen nuorisotyö. Näiden osa-alueiden "
                "vaikuttavuutta tullaan arvioimaan.",
                [YOUTH],
                [5],
            ),
        ],
    },
    {
        "number": "3.4",
        "title": "Vetovoimainen kulttuuri- ja vapaa-ajan kaupunki",
        "description": (
            "Vetovoimaisuus näkyy yhteistyönä elinkeinoelämän, kaupunki- ja ympäristösuunnittelun, koulutuksen ja "
            "matkailun kanssa. Edistämme kulttuurin-, liikunnan- ja vapaa-ajanyrittäjyyttä yhteistyössä yritysten ja "
            "oppilaitosten kanssa."
        ),
        "actions": [
            (
                "Tietoa kulttuuri- ja vapaa-aikatapahtumista elinkeinoelämälle",
                "Pyrimme systemaattisesti välittämään tietoa kulttuuri- ja vapaa-aikatapahtumista elinkeinoelämälle. "
                "Tuemme yrityksiä paneutumaan kulttuurikohteen hyödyntämiseen, suunnitteluun ja toteutukseen. "
                "Tuotteistamme kulttuurikohteita yrityksiä kiinnostavaksi paketeiksi.",
                [CULTURE_GENERAL, MUSEUM],
                [8],
            ),
            (
                "Taiteen, kulttuurin ja liikkumisen hyödyt kaupunki- ja ympäristösuunnittelussa",
                "Pyrimme todentamaan hyötyjä, joita taide, kulttuuri ja liikkuminen voivat tuottaa, kun ne "
                "yhdistetään kaupunki- ja ympäristösuunnitteluun ja rakentamiseen.",
                [CULTURE_GENERAL, SPORT],
                [11],
            ),
            (
                "Laajennamme markkinointia ja verkostoitumista",
                "Laajennamme markkinointia ja verkostoitumista houkuttelevista tapahtumista ja kulttuurimatkailusta. "
                "Tavoitteenamme on tuottaa vetovoimaisia tapahtumia niin kulttuurin kuin urheilun aloilla ympäri "
                "vuoden.",
                [CULTURE_GENERAL, SPORT],
                [8],
            ),
            (
                "Tunnistamme paikallisia vahvuuksia ja kulttuurimatkailun kohderyhmät",
                "Tunnistamme paikallisia vahvuuksia ja tuomme tarjonnan monipuolisesti esille. Vahvistamme "
                "aluenäkökulmaa asuinalueiden ominaispiirteitä hyödyntämällä. Tunnistamme kulttuurimatkailun "
                "kohderyhmät, jotka jakautuvat kahteen ryhmään eli niihin, joiden matkustusmotiivina on jokin "
                "kapea-alainen kulttuuri-/taidesisältö ja niihin, jotka hakevat yleisemmin kulttuurimatkailusta "
                "uusia elämyksiä. Luomme elämyksiä ja mahdollistamme tutustumisen kaupungin kulttuuri- ja "
                "vapaa-aikapalveluihin. Järjestämme tutustumiskäyntejä ja työpajoja ja tarinallistamme omaa "
                "kaupunkikulttuuriamme.",
                [MUSEUM, CULTURE_GENERAL],
                [],
            ),
            (
                "Tutkimukset asiakas- ja vierailijakokemuksista",
                "Teemme säännöllisesti tutkimuksia asiakas-/vierailijakokemuksista. Seuraamme järjestelmällisesti "
                "eri asiakasryhmien kävijämääriä ja tuloja.",
                [LIBRARY, MUSEUM, SPORT],
                [],
            ),
        ],
    },
    {
        "number": "3.5",
        "title": "Omaehtoisen toiminnan mahdollistaja",
        "description": (
            "Osallisuus on hyvinvoinnin tärkeä osatekijä, jonka tulee näkyä asukkaille konkreettisena tekemisen "
            "mahdollisuutena. Korostamme luovuutta ja innovatiivisuutta kaupungin toiminnassa ja "
            "palvelutuotannossa. Mahdollistamme asukkaille paikkoja omatoimiseen kulttuurin ja vapaa-ajan "
            "tekemiseen. Kannustamme ei-kävijää osalliseksi ja pyrimme kehittämään yleisötyöprojekteja ja "
            "laitosten ulkopuolisia tempauksia."
        ),
        "actions": [
            (
                "Tietoa kulttuuri- ja liikuntapaikkojen vastaavuudesta kuntalaisten tarpeisiin",
                "Keräämme tietoa siitä, miten kulttuuri- ja liikuntapaikat vastaavat kuntalaisten tarpeisiin, miten "
                "niitä kunnissa suunnitellaan ja miten suunnittelussa huomioidaan kaikkien käyttäjäryhmien tarpeita.",
                [CULTURE_GENERAL, SPORT],
                [11],
            ),
            (
                "Yleisötyöprojektit ja laitosten ulkopuoliset tempaukset",
                "Pyrimme kehittämään yleisötyöprojekteja ja laitosten ulkopuolisia tempauksia.",
                [LIBRARY, MUSEUM, CULTURE_GENERAL],
                [],
            ),
            (
                "Kulttuurikaveritoiminta ja bussikuljetukset erityisryhmille",
                "Kannustamme ei-kävijää osalliseksi kulttuurikaveritoiminnan avulla ja järjestämme erityisryhmille "
                "bussikuljetuksia tapahtumiin.",
                [LIBRARY, CULTURE_GENERAL],
                [3, 10],
            ),
        ],
    },
]

# (number, title, body); "3.x" bodies are the focus areas' descriptions.
SECTIONS: list[tuple[str, str, str]] = [
    ("1", "Visio ja tavoitetila 2027", ""),
    ("1.1", "Visio 2027", VISION),
    (
        "1.2",
        "Tavoitetila 2027",
        "\n\n".join(f"{title}\n{body}" for title, body in TARGET_STATES),
    ),
    ("2", "Toimintaympäristöanalyysi", ""),
    (
        "2.1",
        "Vastuu ennaltaehkäisevän hyvinvoinnin edistämiseksi",
        "Vastuu ennaltaehkäisevän hyvinvoinnin edistämisestä on toimialamme haasteellisin tehtävä. Kulttuuri- ja "
        "vapaa-aikapalveluiden merkitys alueen elinvoimaisuuden ja kuntalaisten hyvinvoinnin kannalta on "
        "merkittävä. Jokaisella on oikeus kulttuuri- ja vapaa-aikapalveluihin iästä, kulttuuritaustasta ja "
        "elämäntilanteesta riippumatta ja palvelut ovat luonteva osa asukkaiden jokapäiväistä elämää. Viestintä "
        "on lähtökohta hyvinvoinnin edistämiseksi. Tieto käytettävissä olevista palveluista, osallistumisen ja "
        "vaikuttamisen mahdollisuuksista sekä päätöksenteosta on välttämätöntä yhteisössä toimimiseksi.",
    ),
    (
        "2.2",
        "Hyvinvoinnin edistämisen edellytykset jatkuvassa muutoksessa",
        "Asiakastarpeet ja asiakaskäyttäytyminen moninaistuu. Se edellyttää luovia ratkaisuja, verkostoitumista "
        "ja yhteiskehittelyä asukkaiden, yhdistysten, elinkeinoelämän ja naapurikuntien kanssa. Seutukaupunkina "
        "Pietarsaarella on alueellisesti tärkeä rooli kulttuurin ja vapaa-ajan keskuksena. Perinteinen näkemys "
        "kaupungista erillisenä palveluntuottajana muuttuu.\n\n"
        "Palveluilla on merkittävä rooli strategiassamme. Pietarsaaren veto- ja pitovoimaisuuden kehittämisessä. "
        "Meidän on asennoiduttava asiakastarpeiden kasvavaan moninaisuuteen sekä varauduttava yhä nopeampiin "
        "muutoksiin asiakaskäyttäytymisessä. Valtiotason ratkaisut tuovat muutospaineita kaupungin vastuuseen ja "
        "toiminnan rahoitukseen. Kuntien hyvinvoinnin rahoittaminen muuttuu, oppivelvollisuus laajenee ja myös "
        "työllisyyspalvelut tulevat kuntien vastuulle. Meillä on tärkeä rooli Pietarsaaren kaksikielisyyden ja "
        "monikielisyyden ja yksilön identiteetin edistämisessä. Toimialan on myös varauduttava globaaleihin "
        "ilmiöihin, joilla on suora vaikutus toimintaan ja resursointiin (esim. pandemia ja "
        "konfliktit/pakolaisvirrat).",
    ),
    (
        "3",
        "Kulttuurin- ja vapaa-aikapalveluiden painopistealueet strategiassa 2022–2027",
        "\n".join(f"{area['number']} {area['title']}" for area in FOCUS_AREAS),
    ),
    *[(str(area["number"]), str(area["title"]), str(area["description"])) for area in FOCUS_AREAS],
    (
        "4",
        "Ohjaus ja seuranta",
        STEERING_INTRO
        + "\n\n"
        + "\n".join(
            f"{parameter}. Tavoite: {'; '.join(goal)}."
            + (f" Mittari: {', '.join(metrics)}." if metrics else "")
            for parameter, goal, metrics in STEERING_TABLE
        ),
    ),
    ("5", "Strategia arjessa", ""),
    (
        "5.1",
        "Työtavat",
        "Kulttuuri- ja vapaa-aikaohjelma seuraa kaupunkikehittämistä ja kaupungin omaa strategiaa, se huomioi myös "
        "kulttuuri- ja vapaa-aikapalveluiden lait ja suositukset, seudun kestävän kehityksen suuntaviivat sekä "
        "Pohjanmaan hyvinvointialueen suunnitelmat ja ohjeistukset ennaltaehkäisevästä hyvinvoinnista.\n\n"
        "Strategian painopisteet ja priorisoinnit eritellään vuosittain toimintasuunnitelmassa ja siihen "
        "liittyvässä budjetissa. Johtoryhmä päättää yhdessä henkilöstön kanssa kehittämistoiminnasta, jonka "
        "johtoryhmä hyväksyy. Johtoryhmä etsii yhdessä luovia ratkaisukeinoja tarpeiden ja talouden perusteella "
        "resurssointia tapahtumiin ja yksittäisiin projekteihin. Tällä tavoin saamme oikeat henkilöt oikeisiin "
        "paikkoihin ja vältämme ylikuormitusta. Luodaan kulttuuri- ja vapaa-aikapalveluiden käsikirja, jossa "
        "rutiinit, roolit ja työtavat on kuvattu. Käsikirja toimii samalla työkaluna ja tarkistuslistana.\n\n"
        "Huomioimme ennaltaehkäisevän hyvinvoinnin suunnitelmat kaikessa toiminnassamme. Strategia huomioi "
        "Pohjanmaan hyvinvointialueen suunnitelmat ja ohjeistukset ennaltaehkäisevästä hyvinvoinnista. "
        "Perustamme poikkihallinnollisen ennaltaehkäisevän hyvinvoinnin työryhmän toimialamme tueksi sekä "
        "yhteistyöryhmiä kolmannen sektorin sekä tapahtuma- ja matkailualan kehittämiseksi. Hyödynnämme "
        "kaupunkilaisten ja yhteisöjen asiantuntemusta kulttuuri- ja vapaa-aikapalveluiden toiminnan "
        "kehittämisessä sekä päätöksenteon valmistelussa.\n\n"
        "Kun maailma ympärillä muuttuu, myös kulttuuri- ja vapaa-aikatoimiala sopeutuu uusiin toimintatapoihin. "
        "Edistämme uusia konsepteja kestävälle kulttuurille ja vapaa-ajalle. Tilojen yhteiskäyttö on "
        'monipuolista ja luovaa. Vähennämme "henkilöriippuvuutta" lisäämällä yhteistekemistä ja edistämällä '
        "tiimipohjaista työskentelyä.",
    ),
    (
        "5.2",
        "Organisaatio",
        "Kulttuurin ja vapaa-ajan toimiala jakaantuu neljään palvelukokonaisuuteen.\n"
        "1. Hallintopalveluihin kuuluvat yleiset toimistopalvelut, kehittämispalvelut, viestintä- ja "
        "markkinointipalvelut sekä vapaan sivistyksen ja taiteen perusopetuksen toimistopalvelut.\n"
        "2. Kulttuurin edistämisen palveluihin kuuluvat kirjastopalvelut, kaupungin museo, yleinen "
        "kulttuuripalvelu yhdessä kolmannen sektorin kulttuuriyhteistyön ja tapahtumatuotannon kanssa.\n"
        "3. Liikunta- ja urheiluun kuuluvat liikunnan aktivointi, liikuntapaikat, ulkoilupalvelut sekä "
        "seuratoiminnan tukeminen. Nuorisopalveluihin kuuluu nuorisotyöyksikkö, joka jakaantuu tarvittaviin "
        "osa-alueisiin.\n"
        "4. Vapaan sivistyksen ja taiteen perusopetuksen, Pietarsaaren ruotsinkielisen ja suomenkielisen "
        "työväenopiston ja Wava -instituutin hallinto yhdistetään koulutuksen palvelukokonaisuudeksi.",
    ),
    (
        "5.3",
        "Viestintä",
        "Hyvä sisäinen viestintä on onnistuneen ulkoisen viestinnän edellytys. Onnistunut viestintä ja myönteisen "
        "Pietarsaari-kuvan rakentaminen ja ylläpitäminen edellyttää pitkäjänteistä ja sitoutunutta "
        "viestintäyhteistyötä sekä kulttuuri- että vapaa-aikapalveluiden sisällä että median ja muiden "
        "sidosryhmien kanssa. Hyvä viestintä edellyttää jatkuvaa kehittämistä. Kulttuuri- ja vapaa-aikapalvelut "
        "kehittävät viestintäsuunnitelmaansa muun muassa ottamalla käyttöön uusia viestintävälineitä ja "
        "-kanavia, kehittämällä sisällöntuotantoaan, tehostamalla ulkoista ja sisäistä viestintäyhteistyötä, "
        "parantamalla viestintävastaavien ja toimialansa viestintätaitoja sekä yleisesti luomalla "
        "tiedotusmyönteistä ilmapiiriä koko kaupunkikonserniin.\n\n"
        "Asiakaspalvelupiste palvelee asukkaita, vierailijoita, kaupungin sidosryhmiä ja toimialoja Pietarsaaren "
        "kaupungin palveluihin tai elinkeinoelämään liittyvissä kysymyksissä. Positiivinen asiakaspalvelu viestii "
        "siitä, että olemme ajan tasalla kaupungin tapahtumista ja palveluista. Monipuolistamme asiakaspalvelua "
        "tarjotaksemme kaupunkilaisille ja matkailijoille sekä henkilökohtaisia että virtuaalisia kohtaamisia. "
        "Jeppis This Week – sähköinen palvelu viestii luovasta ja rohkeasta kaupunkimielikuvasta, joka palvelee "
        "kestävästi sekä sisäisiä että ulkoisia käyttäjiä. Kolmas sektori voi käydä vuoropuhelua alustalla "
        "muiden yhdistysten kanssa. JTW-palvelu on kaupungin tapahtumapalveluiden markkinointikanava.",
    ),
    (
        "5.4",
        "Strategian päivitys",
        "Kulttuuri- ja vapaa-aikapalvelujen strategisten päämäärien ja tavoitteiden toteutumista seurataan "
        "sisäisesti sekä kalenterivuosittain että valtuustokausittain. Seurannan koonnista vastaa kulttuuri- ja "
        "vapaa-aikapäällikkö. Samalla strategia päivitetään ja tarkennetaan ajanmukaiseksi. Strategian "
        "päivittäminen tehdään dialogisesti yhdessä henkilöstön kanssa. Uuden strategian toteutumista voidaan "
        "arvioida kypsyysmallin avulla toimiala- ja yksikkötasolla vuosittain. Se antaa selkeän kuvan strategian "
        "nyky- ja tavoitetilasta ja tilaa strategian kehittymiselle.",
    ),
]

# Section 5.4: the columns are bilingual in the source ("Inleds Alkava" …).
LEVELS: list[tuple[str, str, str]] = [
    ("Alkava", "Inleds", "Beginning"),
    ("Kehittyvä", "Utvecklas", "Developing"),
    ("Hyvä", "Bra", "Good"),
    ("Optimaalinen", "Optimalt", "Optimal"),
]

# Rows of 5.4 with the strategy section each refers to. The source leaves
# the cells empty: the criteria below are demo criteria derived from the
# strategy's own text, one a level.
DIMENSIONS: list[tuple[str, str, str, list[str]]] = [
    (
        "1",
        "Visio 2027",
        "1",
        [
            "Visio 2027 on kirjattu strategiaan, mutta se on henkilöstölle vielä vieras.",
            "Visio ja tavoitetila tunnetaan yksikössä, ja niihin viitataan toimintasuunnitelmassa.",
            "Visio ja tavoitetila ohjaavat yksikön valintoja; henkilöstö osaa kertoa, miten oma työ tukee niitä.",
            "Visio elää arjessa: asukkaat ja kumppanit tunnistavat rohkean ja luovan kulttuurin ja vapaa-ajan "
            "mahdollistajan.",
        ],
    ),
    (
        "2",
        "Saavutettava palveluverkko",
        "3.1",
        [
            "Saavutettavuutta ja moninaisuutta tarkastellaan yksittäisinä kysymyksinä.",
            "Yksikkö on kartoittanut tilojensa ja palvelujensa saavutettavuuden ja sopinut parannuksista.",
            "Palvelupiste (Front Office) ja yhteiset sähköiset palvelut ovat käytössä; saavutettavuus "
            "huomioidaan kaikessa suunnittelussa.",
            "Palveluverkko on esteetön ja kestävä, ja saavutettavuutta arvioidaan jatkuvasti yhdessä asiakkaiden "
            "kanssa.",
        ],
    ),
    (
        "3",
        "Painopistealueet",
        "3",
        [
            "Painopistealueet on luettu, mutta ne eivät vielä näy yksikön toimintasuunnitelmassa.",
            "Toimintasuunnitelmassa on toimenpiteitä osalle yksikön painopistealueista.",
            "Yksikön toimenpiteet kattavat sille kuuluvat painopistealueet ja etenevät aikataulussa.",
            "Painopistealueiden toimenpiteet toteutuvat, ja niiden vaikuttavuutta arvioidaan yhdessä kolmannen "
            "sektorin ja kumppanien kanssa.",
        ],
    ),
    (
        "4",
        "Ohjaus ja seuranta",
        "4",
        [
            "Seuranta on satunnaista, eikä yksikön mittareista ole sovittu.",
            "Vuosittainen toimintasuunnitelma laaditaan strategian pohjalta, ja osaa mittareista seurataan.",
            "Ohjaustaulukon mittarit seurataan vuosittain, ja tulot ja menot ovat suunnitellusti tasapainossa.",
            "Seurannan tiedot ohjaavat voimavarojen kohdentamista sinne, missä niistä saadaan suurin hyöty, "
            "kalenterivuosittain ja valtuustokausittain.",
        ],
    ),
    (
        "5",
        "Strategia arjessa",
        "5",
        [
            "Strategia on johtoryhmän asiakirja; työtavat ja roolit vaihtelevat yksiköittäin.",
            "Kulttuuri- ja vapaa-aikapalveluiden käsikirjaa laaditaan, ja henkilöstö osallistuu strategian "
            "päivitykseen.",
            "Käsikirja on käytössä, tiimipohjainen työskentely vähentää henkilöriippuvuutta ja viestintä on "
            "suunnitelmallista.",
            "Strategiaa päivitetään dialogisesti koko henkilöstön kanssa, ja se näkyy jokapäiväisessä työssä ja "
            "viestinnässä.",
        ],
    ),
]

# "Lukijalle": who supported the work, in the strategy's own words.
STAKEHOLDERS: list[tuple[str, str, str, str]] = [
    (
        "Kulttuuri- ja vapaa-aikajaosto",
        "Kultur- och fritidssektionen",
        Stakeholder.Kind.AUTHORITY,
        "Tuki kehittämistyötä; päättäjät seuraavat strategian toteutumista.",
    ),
    (
        "Yhdistystoimijat ja kolmas sektori",
        "Föreningsaktörer och tredje sektorn",
        Stakeholder.Kind.PARTNER,
        "Palveluita tuotetaan enenevästi kumppanuudella; kansalais- ja järjestötoiminta on vahvasti mukana ja vastuussa.",
    ),
    (
        "Ralf Blomqvist, Main AB ja Ann Charlott Hästö, ACH architecture",
        "",
        Stakeholder.Kind.OTHER,
        "Strategiaprosessin asiantuntijat.",
    ),
]

MATURITY_DESCRIPTION = (
    "Uuden strategian toteutumista arvioidaan kypsyysmallin avulla toimiala- ja yksikkötasolla vuosittain "
    "(luku 5.4). Lähdeasiakirjan taulukon solut ovat tyhjiä: solujen kuvaukset ovat demoa varten strategian "
    "tekstistä johdettuja esimerkkikriteerejä."
)


def load(loader: Loader, sdgs: dict[int, SustainableDevelopmentGoal]) -> Strategy:
    load_organisations(loader)
    orgs = loader.orgs
    strategy = loader.upsert(
        Strategy,
        {"slug": SLUG},
        organisation=orgs[SECTOR],
        **tr(
            "title",
            "Kulttuuri- ja vapaa-aikapalveluiden strategia 2022–2027",
            "Kultur- och fritidstjänsternas strategi 2022–2027",
        ),
        period_start=2022,
        period_end=2027,
        status=Strategy.Status.APPROVED,
        parent=None,
        main_language="fi",
        **tr("introduction", INTRODUCTION),
        source="Pietarsaaren kaupungin kulttuuri- ja vapaa-aikapalvelut: Strategia 2022/2027",
        **APPROVAL.fields(),
    )
    loader.approvals[SLUG] = APPROVAL

    loader.upsert(Vision, {"strategy": strategy, "order": 0}, **tr("text", VISION))

    sections: dict[str, Section] = {}
    for order, (number, title, body) in enumerate(SECTIONS):
        sections[number] = loader.upsert(
            Section,
            {"strategy": strategy, "number": number},
            **tr("title", title),
            **tr("body", body),
            order=order,
        )

    for order, (title, body) in enumerate(TARGET_STATES):
        loader.upsert(
            TargetState,
            {"strategy": strategy, "order": order},
            **tr("title", title),
            **tr("body", body),
        )

    for area_order, area in enumerate(FOCUS_AREAS):
        number = str(area["number"])
        focus_area = loader.upsert(
            FocusArea,
            {"strategy": strategy, "number": number},
            **tr("title", str(area["title"])),
            **tr("description", str(area["description"])),
            section=sections[number],
            order=area_order,
        )
        for order, (title, description, units, sdg_numbers) in enumerate(area["actions"], start=1):  # type: ignore[arg-type]
            action = loader.upsert(
                Action,
                {"strategy": strategy, "number": f"{number}.{order}"},
                focus_area=focus_area,
                **tr("title", title),
                **tr("description", description),
                start_year=2022,
                end_year=2027,
                order=order,
            )
            loader.set_m2m(action.responsible_units, [orgs[slug] for slug in units])
            loader.set_m2m(action.sdgs, [sdgs[n] for n in sdg_numbers])

    for order, (parameter, goal_lines, metrics) in enumerate(STEERING_TABLE):
        perspective = loader.upsert(
            Perspective, {"strategy": strategy, "order": order}, **tr("name", parameter)
        )
        goal = loader.upsert(
            Goal,
            {"strategy": strategy, "order": order},
            perspective=perspective,
            **tr("title", ". ".join(line.rstrip(".") for line in goal_lines)),
            direction="",
        )
        for name in metrics:
            spec = INDICATORS[name]
            indicator = loader.upsert(
                Indicator,
                {"strategy": strategy, "name_fi": name},
                **tr("name", name),
                perspective=perspective,
                goal=goal,
                **tr("description", str(spec["description"])),
                **tr("unit_of_measure", str(spec["unit"])),
                is_percentage=bool(spec.get("percentage", False)),
                direction=Direction.INCREASE,
                decimals=int(spec.get("decimals", 0)),  # type: ignore[call-overload]
                data_source=f"{spec['source']} (demo)",
                order=list(INDICATORS).index(name),
            )
            loader.set_m2m(indicator.sdgs, [sdgs[n] for n in spec["sdgs"]])  # type: ignore[attr-defined]

    model = loader.upsert(
        MaturityModel,
        {"strategy": strategy, "name_fi": "Kypsyystasot strategiatyössä"},
        **tr(
            "name",
            "Kypsyystasot strategiatyössä",
            "Mognadsnivåer i strategiarbetet",
            "Maturity levels in strategy work",
        ),
        **tr("description", MATURITY_DESCRIPTION),
    )
    levels = [
        loader.upsert(Level, {"model": model, "ordinal": ordinal}, **tr("name", fi, sv, en))
        for ordinal, (fi, sv, en) in enumerate(LEVELS, start=1)
    ]
    for order, (number, title, section_number, criteria) in enumerate(DIMENSIONS):
        dimension = loader.upsert(
            Dimension,
            {"model": model, "number": number},
            **tr("title", title),
            section=sections[section_number],
            order=order,
        )
        for level, text in zip(levels, criteria, strict=True):
            loader.upsert(Criterion, {"dimension": dimension, "level": level}, **tr("text", text))
        if section_number == "3.1":
            loader.set_m2m(
                dimension.actions,
                Action.objects.filter(strategy=strategy, number__startswith="3.1."),
            )
    for order, (name, name_sv, kind, role) in enumerate(STAKEHOLDERS):
        loader.upsert(
            Stakeholder, {"strategy": strategy, "order": order}, **tr("name", name, name_sv), kind=kind, **tr("role", role)
        )
    loader.strategies[SLUG] = strategy
    return strategy
