
"""The 17 goals of the UN's Agenda 2030, in Finnish, Swedish and English.

Finnish names as used by the Finnish UN Association and the Prime Minister's
Office, Swedish as used by the Swedish and Finland-Swedish global-goals
material, English as the UN publishes them.
"""

from __future__ import annotations

from strategy.models import SustainableDevelopmentGoal

from .base import Loader, tr

GOALS: list[tuple[str, str, str]] = [
    ("Ei köyhyyttä", "Ingen fattigdom", "No poverty"),
    ("Ei nälkää", "Ingen hunger", "Zero hunger"),
    ("Terveyttä ja hyvinvointia", "Hälsa och välbefinnande", "Good health and well-being"),
    ("Hyvä koulutus", "God utbildning för alla", "Quality education"),
    ("Sukupuolten tasa-arvo", "Jämställdhet", "Gender equality"),
    ("Puhdas vesi ja sanitaatio", "Rent vatten och sanitet för alla", "Clean water and sanitation"),
    ("Edullista ja puhdasta energiaa", "Hållbar energi för alla", "Affordable and clean energy"),
    (
        "Ihmisarvoista työtä ja talouskasvua",
        "Anständiga arbetsvillkor och ekonomisk tillväxt",
        "Decent work and economic growth",
    ),
    (
        "Kestävää teollisuutta, innovaatioita ja infrastruktuureja",
        "Hållbar industri, innovationer och infrastruktur",
        "Industry, innovation and infrastructure",
    ),
    ("Eriarvoisuuden vähentäminen", "Minskad ojämlikhet", "Reduced inequalities"),
    (
        "Kestävät kaupungit ja yhteisöt",
        "Hållbara städer och samhällen",
        "Sustainable cities and communities",
    ),
    (
        "Vastuullista kuluttamista",
        "Hållbar konsumtion och produktion",
        "Responsible consumption and production",
    ),
    ("Ilmastotekoja", "Bekämpa klimatförändringarna", "Climate action"),
    ("Vedenalainen elämä", "Hav och marina resurser", "Life below water"),
    ("Maanpäällinen elämä", "Ekosystem och biologisk mångfald", "Life on land"),
    (
        "Rauha, oikeudenmukaisuus ja hyvä hallinto",
        "Fredliga och inkluderande samhällen",
        "Peace, justice and strong institutions",
    ),
    (
        "Yhteistyö ja kumppanuus",
        "Genomförande och globalt partnerskap",
        "Partnerships for the goals",
    ),
]


def load(loader: Loader) -> dict[int, SustainableDevelopmentGoal]:
    return {
        number: loader.upsert(
            SustainableDevelopmentGoal, {"number": number}, **tr("name", fi, sv, en)
        )
        for number, (fi, sv, en) in enumerate(GOALS, start=1)
    }
