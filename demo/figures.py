
"""Generated demo figures for the Pietarsaari strategy: indicator values,
annual action plans with progress, and maturity self-assessments.

Nothing here comes from the seed. The numbers are drawn from a random
generator with a fixed seed, so every run writes the same values, and each
figure says that it is an example ("Demo", "esimerkkiluku").

The figures follow the calendar: the demo's current year is this year, kept
within 2025–2027 (the strategy runs to 2027), so the pages about "this
year" (my units, the overview's roll-up, the open self-assessment round)
always have something to show. Earlier years are closed: plans 2022 onwards
with year-end assessments, rounds 2023 onwards with agreed levels.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from indicators.models import Indicator, Measurement, Target
from maturity.models import (
    AgreedLevel,
    AssessmentRound,
    Dimension,
    Level,
    MaturityModel,
    Rating,
    SelfAssessment,
    TargetLevel,
)
from strategy.models import Action, AnnualPlan, PlanItem, ProgressUpdate, Strategy

from . import personas
from . import pietarsaari as p
from .base import DEMO_NOTE, Loader

SEED = 20220101
FIRST_YEAR = 2022
LAST_YEAR = 2027
TARGET_YEARS = range(FIRST_YEAR, LAST_YEAR + 1)
BASELINE_YEAR = 2021


@dataclass(frozen=True)
class Calendar:
    """Which years are closed and which one is under way, from today's date."""

    today: datetime.date

    @property
    def current_year(self) -> int:
        return min(max(self.today.year, 2025), LAST_YEAR)

    @property
    def plan_years(self) -> range:
        return range(FIRST_YEAR, self.current_year + 1)

    @property
    def measured_years(self) -> range:
        # Values of a year are known once it has ended; 2025 at the least.
        return range(FIRST_YEAR, max(self.current_year, 2026))

    @property
    def round_years(self) -> range:
        return range(2023, self.current_year + 1)

    def is_closed(self, year: int) -> bool:
        return year < self.current_year

    def until_today(self, days: list[datetime.date]) -> list[datetime.date]:
        return [day for day in days if day <= self.today]


def _rng(*key: object) -> random.Random:
    """A generator of its own for each figure, seeded by what the figure is:
    adding a year or a unit never changes the figures already there."""
    return random.Random(":".join(str(part) for part in (SEED, *key)))


def _aware(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def _dec(value: float, decimals: int) -> Decimal:
    return Decimal(str(round(value, decimals))) if decimals else Decimal(round(value))


# --- indicators -----------------------------------------------------------------

# Visits a year in 2021 (the baseline) and yearly growth, per unit; the
# total is the sum over the sector's units.
VISITS: dict[str, tuple[int, float]] = {
    p.LIBRARY: (146_000, 0.025),
    p.MUSEUM: (19_500, 0.05),
    p.CULTURE_GENERAL: (36_000, 0.03),
    p.SPORT: (212_000, 0.015),
    p.YOUTH: (13_800, 0.02),
    p.ARBIS: (14_200, 0.01),
    p.WORKERS_INSTITUTE: (9_600, 0.01),
    p.WAVA: (8_100, 0.02),
}
VISITS_BY_UNIT = [p.LIBRARY, p.MUSEUM]

# name: (baseline, yearly change of the actual value, yearly change of the target, noise, decimals)
OTHER_INDICATORS: dict[str, tuple[float, float, float, float, int]] = {
    "Asiakastyytyväisyys": (4.1, 0.06, 0.07, 0.05, 1),
    "Kävijämäärät sosiaalinen media": (6_400, 900, 800, 250, 0),
    "Hyte-mittarit": (38.0, 1.4, 2.0, 0.8, 0),
    "Agenda 2030": (4, 1.6, 2.0, 0.6, 0),
    "Käyttöaste/toimivuus": (62.0, 1.8, 2.2, 1.5, 0),
}


def load_indicators(loader: Loader, strategy: Strategy, calendar: Calendar) -> None:
    owner = loader.users["owner"]
    heads = {p.LIBRARY: loader.users["head"], p.MUSEUM: loader.users["otherhead"]}
    indicators = {
        indicator.name_fi: indicator for indicator in Indicator.objects.filter(strategy=strategy)
    }

    visits = indicators["Kävijämäärä"]
    per_unit: dict[str, dict[int, float]] = {}
    for unit, (base, growth) in VISITS.items():
        # 2022 was still a year of recovery from the pandemic: start lower.
        per_unit[unit] = {
            year: base
            * (1 + growth) ** (year - BASELINE_YEAR)
            * (0.93 if year == 2022 else 1)
            * _rng("visits", unit, year).uniform(0.97, 1.03)
            for year in calendar.measured_years
        }
    _upsert_indicator(
        loader,
        visits,
        baseline=sum(base for base, _ in VISITS.values()),
        decimals=0,
        actual={
            year: sum(values[year] for values in per_unit.values())
            for year in calendar.measured_years
        },
        target={
            year: sum(base for base, _ in VISITS.values()) * 1.03 ** (year - BASELINE_YEAR)
            for year in TARGET_YEARS
        },
        entered_by=owner,
        round_to=100,
    )
    for unit in VISITS_BY_UNIT:
        base, growth = VISITS[unit]
        _upsert_indicator(
            loader,
            visits,
            unit=loader.orgs[unit],
            decimals=0,
            actual=per_unit[unit],
            target={
                year: base * (1 + growth + 0.01) ** (year - BASELINE_YEAR) for year in TARGET_YEARS
            },
            entered_by=heads[unit],
            round_to=100,
        )
    for name, (base, change, target_change, noise, decimals) in OTHER_INDICATORS.items():
        _upsert_indicator(
            loader,
            indicators[name],
            baseline=base,
            decimals=decimals,
            actual={
                year: base
                + change * (year - BASELINE_YEAR)
                + _rng("value", name, year).uniform(-noise, noise)
                for year in calendar.measured_years
            },
            target={year: base + target_change * (year - BASELINE_YEAR) for year in TARGET_YEARS},
            entered_by=owner,
        )


def _upsert_indicator(
    loader: Loader,
    indicator: Indicator,
    *,
    actual: dict[int, float],
    target: dict[int, float],
    decimals: int,
    entered_by: Any,
    unit: Any = None,
    baseline: float | None = None,
    round_to: int = 0,
) -> None:
    def value(number: float) -> Decimal:
        if round_to:
            return Decimal(round(number / round_to) * round_to)
        return _dec(number, decimals)

    if baseline is not None:
        loader.upsert(
            Indicator,
            {"pk": indicator.pk},
            baseline_year=BASELINE_YEAR,
            baseline_value=value(baseline),
        )
    for year, number in actual.items():
        loader.upsert(
            Measurement,
            {"indicator": indicator, "year": year, "unit": unit},
            value=value(number),
            source_note=DEMO_NOTE,
            entered_by=entered_by,
        )
    for year, number in target.items():
        loader.upsert(
            Target, {"indicator": indicator, "year": year, "unit": unit}, value=value(number)
        )


# --- annual action plans -------------------------------------------------------

# What each unit does about an action in a year: (action number, description, schedule).
PLAN_ITEMS: dict[str, list[tuple[str, str, str]]] = {
    p.LIBRARY: [
        (
            "3.1.3",
            "Kirjaston tilavaraukset ja laitelainaus siirretään yhteiseen sähköiseen varauspalveluun.",
            "Helmi–kesäkuu",
        ),
        (
            "3.4.5",
            "Kirjaston asiakaskysely keväällä ja kävijälaskureiden tietojen kokoaminen kuukausittain.",
            "Maalis–huhtikuu",
        ),
        (
            "3.5.2",
            "Pop up -kirjasto kesätapahtumiin ja lukutempaukset kirjaston ulkopuolella.",
            "Touko–syyskuu",
        ),
        (
            "3.5.3",
            "Kirjastokaveritoiminta ja kuljetukset palvelutaloista kirjaston tapahtumiin.",
            "Koko vuosi",
        ),
    ],
    p.MUSEUM: [
        (
            "3.1.2",
            "Museokortin ja pääsylippujen myynti palvelupisteessä; museon tapahtumat Jeppis this week -palveluun.",
            "Koko vuosi",
        ),
        (
            "3.4.1",
            "Museon näyttelyistä ja opastuksista tuotteistetaan paketteja yrityksille.",
            "Tammi–toukokuu",
        ),
        (
            "3.4.4",
            "Tarinallistetut kaupunkikävelyt ja tutustumiskäynnit kulttuurimatkailijoille.",
            "Kesä–elokuu",
        ),
        (
            "3.4.5",
            "Vierailijakysely näyttelyissä ja kävijämäärien seuranta asiakasryhmittäin.",
            "Koko vuosi",
        ),
        (
            "3.5.2",
            "Yleisötyöprojekti koulujen kanssa ja museon tempaus kaupungin tapahtumassa.",
            "Syys–marraskuu",
        ),
    ],
    p.YOUTH: [
        (
            "3.3.1",
            "Digitaalisen nuorisotyön ilta kahdesti viikossa ja nuorten Discord-palvelin.",
            "Koko vuosi",
        ),
        (
            "3.3.2",
            "Liikkuvan nuorisotyön auto kiertää asuinalueilla perjantai-iltaisin.",
            "Huhti–lokakuu",
        ),
        (
            "3.3.3",
            "Nuorisotyön osa-alueiden vaikuttavuuden arviointimalli ja ensimmäinen arviointi.",
            "Syys–joulukuu",
        ),
    ],
}


# Which units have which years' plans, and in which state.
def plans_by_unit(calendar: Calendar) -> dict[str, dict[int, str]]:
    """The library and the museum have approved plans for every year; youth
    services has just submitted this year's plan for the owner to approve."""
    return {
        p.LIBRARY: dict.fromkeys(calendar.plan_years, AnnualPlan.Status.APPROVED),
        p.MUSEUM: dict.fromkeys(calendar.plan_years, AnnualPlan.Status.APPROVED),
        p.YOUTH: {calendar.current_year: AnnualPlan.Status.SUBMITTED},
    }


UNIT_HEADS = {p.LIBRARY: "head", p.MUSEUM: "otherhead", p.YOUTH: "youthhead"}
UNIT_PEOPLE = {
    p.LIBRARY: personas.LIBRARY_RESPONDENTS,
    p.MUSEUM: personas.MUSEUM_RESPONDENTS,
    p.YOUTH: personas.YOUTH_RESPONDENTS,
}

S = PlanItem.Status
CLOSED_OUTCOMES = [S.DONE] * 6 + [S.DELAYED] * 3 + [S.CANCELLED]
CURRENT_STATES = [S.ON_TRACK] * 5 + [S.AT_RISK] * 2 + [S.DELAYED] * 2 + [S.NOT_STARTED]
ASSESSMENTS = {
    S.DONE: "Toteutui suunnitellusti; tulokset raportoitu johtoryhmälle. (demo)",
    S.DELAYED: "Toteutui osittain; loppuosa siirtyy seuraavan vuoden suunnitelmaan. (demo)",
    S.CANCELLED: "Jätettiin toteuttamatta, koska resurssit kohdennettiin tärkeämpiin kohteisiin. (demo)",
}
UPDATE_TEXTS = {
    S.NOT_STARTED: "Valmistelu ei ole vielä alkanut; aloitus siirtyy syksyyn. (demo)",
    S.ON_TRACK: "Etenee suunnitellusti. (demo)",
    S.AT_RISK: "Henkilöstövajeen vuoksi aikataulu on vaarassa. (demo)",
    S.DELAYED: "Viivästynyt; osa työstä siirtyy myöhemmäksi. (demo)",
    S.DONE: "Valmis. (demo)",
    S.CANCELLED: "Peruttu. (demo)",
}


def _progress_for(status: str, rng: random.Random) -> int:
    return {
        S.DONE: 100,
        S.CANCELLED: rng.randrange(0, 31, 5),
        S.DELAYED: rng.randrange(30, 71, 5),
        S.AT_RISK: rng.randrange(20, 61, 5),
        S.ON_TRACK: rng.randrange(40, 86, 5),
        S.NOT_STARTED: 0,
    }[status]


def load_plans(loader: Loader, strategy: Strategy, calendar: Calendar) -> None:
    owner = loader.users["owner"]
    actions = {action.number: action for action in Action.objects.filter(strategy=strategy)}
    for unit_key, years in plans_by_unit(calendar).items():
        unit = loader.orgs[unit_key]
        head = loader.users[UNIT_HEADS[unit_key]]
        people = [loader.users[name] for name in UNIT_PEOPLE[unit_key]]
        previous: dict[str, PlanItem] = {}
        for year, status in years.items():
            closed = calendar.is_closed(year)
            approved = status == AnnualPlan.Status.APPROVED
            plan = loader.upsert(
                AnnualPlan,
                {"strategy": strategy, "unit": unit, "year": year},
                status=status,
                deadline=datetime.date(year, 1, 31),
                is_closed=closed,
                submitted_at=_aware(datetime.date(year, 1, 25)),
                approved_by=owner if approved else None,
                approved_at=_aware(datetime.date(year, 2, 10)) if approved else None,
            )
            current: dict[str, PlanItem] = {}
            for order, (number, description, schedule) in enumerate(PLAN_ITEMS[unit_key]):
                rng = _rng("plan", unit_key, year, number)
                outcome = rng.choice(CLOSED_OUTCOMES if closed else CURRENT_STATES)
                if not approved:
                    outcome = S.NOT_STARTED
                progress = _progress_for(outcome, rng)
                carried = previous.get(number)
                item = loader.upsert(
                    PlanItem,
                    {"plan": plan, "action": actions[number]},
                    description=f"{description} (demo)",
                    budget=Decimal(rng.randrange(500, 6001, 500)),
                    responsible_person=rng.choice(people).get_full_name(),
                    schedule=f"{schedule} {year}",
                    status=outcome,
                    progress=progress,
                    year_end_assessment=ASSESSMENTS.get(outcome, "") if closed else "",
                    carried_from=carried
                    if carried is not None and carried.status == S.DELAYED
                    else None,
                    updated_by=head,
                    order=order,
                    # Written into the plan before its deadline: an item nobody
                    # has updated since shows that day as its last update.
                    created_at=_aware(min(datetime.date(year, 1, 15), calendar.today)),
                )
                current[number] = item
                if approved:
                    _load_updates(
                        loader,
                        calendar,
                        item,
                        year=year,
                        closed=closed,
                        outcome=outcome,
                        progress=progress,
                        author=head,
                    )
            previous = current


def _load_updates(
    loader: Loader,
    calendar: Calendar,
    item: PlanItem,
    *,
    year: int,
    closed: bool,
    outcome: str,
    progress: int,
    author: Any,
) -> None:
    """Dated notes leading up to the item's state: spring, late summer and
    (for a closed year) December, or mid-October for the current year."""
    days = [datetime.date(year, 4, 15), datetime.date(year, 8, 29)]
    days.append(datetime.date(year, 12, 12) if closed else datetime.date(year, 10, 14))
    days = calendar.until_today(days)
    for index, day in enumerate(days, start=1):
        last = index == len(days)
        step_progress = progress if last else progress * index // len(days)
        step_status = outcome if last else (S.ON_TRACK if step_progress else S.NOT_STARTED)
        loader.upsert(
            ProgressUpdate,
            {"item": item, "date": day},
            author=author,
            status=step_status,
            progress=step_progress,
            text=UPDATE_TEXTS[step_status],
        )


# --- maturity ----------------------------------------------------------------------

ROUND_UNITS = [p.LIBRARY, p.MUSEUM, p.YOUTH]

# Where the individual answers centre in each round (levels 1–4 for the
# dimensions 1–5); in a closed round the unit agreed on exactly these
# levels. The library moves up between 2023 and 2024, so year-over-year
# change shows.
CENTRE: dict[str, dict[int, list[int]]] = {
    p.LIBRARY: {
        2023: [2, 1, 2, 1, 1],
        2024: [2, 2, 3, 2, 2],
        2025: [3, 2, 3, 2, 2],
        2026: [3, 3, 3, 2, 3],
        2027: [4, 3, 3, 3, 3],
    },
    p.MUSEUM: {
        2023: [1, 2, 2, 1, 1],
        2024: [2, 2, 2, 2, 1],
        2025: [2, 3, 2, 2, 2],
        2026: [2, 3, 3, 2, 2],
        2027: [3, 3, 3, 2, 2],
    },
    p.YOUTH: {
        2023: [1, 1, 2, 1, 1],
        2024: [2, 1, 2, 1, 2],
        2025: [2, 2, 2, 2, 2],
        2026: [2, 2, 3, 2, 2],
        2027: [3, 2, 3, 2, 2],
    },
}
AGREED_UNITS = [p.LIBRARY, p.MUSEUM]
RESPONDENTS = {
    p.LIBRARY: personas.LIBRARY_RESPONDENTS,
    p.MUSEUM: personas.MUSEUM_RESPONDENTS,
    p.YOUTH: personas.YOUTH_RESPONDENTS,
}
# In the open round the persona "staff" has not answered yet, so a
# walkthrough can show the form, and "staff4" has saved a draft.
NOT_YET_ANSWERED = {"staff"}
DRAFT = {"staff4"}


def round_dates(calendar: Calendar, year: int) -> tuple[str, datetime.date, datetime.date]:
    """Status, opening and closing day of a year's round; the open round is
    kept open around today so that answers can be given."""
    opens, closes = datetime.date(year, 9, 28), datetime.date(year, 11, 30)
    if calendar.is_closed(year):
        return AssessmentRound.Status.CLOSED, opens, closes
    today = calendar.today
    return (
        AssessmentRound.Status.OPEN,
        min(opens, today),
        max(closes, today + datetime.timedelta(days=21)),
    )


TARGETS_2027: dict[str | None, list[int]] = {
    None: [4, 3, 4, 3, 3],
    p.LIBRARY: [4, 4, 4, 3, 3],
    p.MUSEUM: [3, 3, 4, 3, 3],
}

JUSTIFICATIONS = {
    1: "Asia on vasta tunnistettu, käytännöt puuttuvat.",
    2: "Olemme aloittaneet, mutta työ on vielä kesken ja riippuu muutamasta ihmisestä.",
    3: "Toimintatapa on sovittu ja näkyy arjessa useimmissa tehtävissä.",
    4: "Toimii vakiintuneesti, ja kehitämme sitä yhdessä asiakkaiden kanssa.",
}


def load_maturity(loader: Loader, strategy: Strategy, calendar: Calendar) -> None:
    model = MaturityModel.objects.get(strategy=strategy, name_fi="Kypsyystasot strategiatyössä")
    levels = {level.ordinal: level for level in Level.objects.filter(model=model)}
    dimensions = list(Dimension.objects.filter(model=model).order_by("order"))
    units = [loader.orgs[key] for key in ROUND_UNITS]
    for year in calendar.round_years:
        status, opens, closes = round_dates(calendar, year)
        closed = calendar.is_closed(year)
        round_ = loader.upsert(
            AssessmentRound,
            {"model": model, "year": year},
            status=status,
            opens=opens,
            closes=closes,
            is_anonymous=True,
            min_respondents=3,
        )
        loader.set_m2m(round_.units, units)
        for unit_key in ROUND_UNITS:
            unit = loader.orgs[unit_key]
            centres = CENTRE[unit_key][year]
            for index, username in enumerate(RESPONDENTS[unit_key]):
                if not closed and username in NOT_YET_ANSWERED:
                    continue
                draft = not closed and username in DRAFT
                assessment = loader.upsert(
                    SelfAssessment,
                    {"round": round_, "unit": unit, "person": loader.users[username]},
                    status=SelfAssessment.Status.DRAFT
                    if draft
                    else SelfAssessment.Status.SUBMITTED,
                    submitted_at=None
                    if draft
                    else _aware(opens + datetime.timedelta(days=3 + 2 * index)),
                )
                for dimension, centre in zip(dimensions, centres, strict=True):
                    ordinal = min(
                        4,
                        max(
                            1,
                            centre
                            + _rng("rating", year, unit_key, username, dimension.number).choice(
                                [-1, 0, 0, 0, 1]
                            ),
                        ),
                    )
                    loader.upsert(
                        Rating,
                        {"assessment": assessment, "dimension": dimension},
                        level=levels[ordinal],
                        justification=JUSTIFICATIONS[ordinal],
                    )
            if closed and unit_key in AGREED_UNITS:
                head = loader.users[UNIT_HEADS[unit_key]]
                for dimension, ordinal in zip(dimensions, centres, strict=True):
                    loader.upsert(
                        AgreedLevel,
                        {"round": round_, "unit": unit, "dimension": dimension},
                        level=levels[ordinal],
                        note=f"Sovittu yksikön kehittämispäivässä marraskuussa {year}. (demo)",
                        recorded_by=head,
                    )
    for unit_key, ordinals in TARGETS_2027.items():
        unit = loader.orgs[unit_key] if unit_key else None
        for dimension, ordinal in zip(dimensions, ordinals, strict=True):
            loader.upsert(
                TargetLevel,
                {"dimension": dimension, "unit": unit, "year": 2027},
                level=levels[ordinal],
            )


def load(loader: Loader, *, today: datetime.date) -> None:
    strategy = loader.strategies[p.SLUG]
    calendar = Calendar(today)
    load_indicators(loader, strategy, calendar)
    load_plans(loader, strategy, calendar)
    load_maturity(loader, strategy, calendar)
