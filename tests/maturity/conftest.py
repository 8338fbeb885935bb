"""Fixtures for the maturity tests: the Pietarsaari matrix on the world's strategy,
and helpers that fill in answers the way staff would."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from maturity.models import (
    AgreedLevel,
    AssessmentRound,
    Criterion,
    Dimension,
    Level,
    MaturityModel,
    Rating,
    SelfAssessment,
)
from strategy import clock
from strategy.models import Membership, Organisation, Role
from tests.factories import MembershipFactory, SectionFactory, UserFactory

# Level names in Finnish and Swedish as in the seed; no English, so that the
# English interface the tests read shows the Finnish names (fallback fi → sv → en).
LEVELS = [
    ("Alkava", "Inleds"),
    ("Kehittyvä", "Utvecklas"),
    ("Hyvä", "Bra"),
    ("Optimaalinen", "Optimalt"),
]
DIMENSIONS = ["Visio 2027", "Saavutettava palveluverkko", "Painopistealueet", "Ohjaus ja seuranta", "Strategia arjessa"]


@pytest.fixture(autouse=True)
def english_interface(settings) -> None:
    """The tests read the interface's English source strings; the Finnish
    default would show the translations (the catalogues change)."""
    settings.LANGUAGE_CODE = "en"


@dataclass
class Matrix:
    model: MaturityModel
    levels: list[Level]
    dimensions: list[Dimension]


def build_matrix(strategy, name: str = "Kypsyysmalli") -> Matrix:
    model = MaturityModel.objects.create(strategy=strategy, name_fi=name, name_sv="Mognadsmodell")
    levels = [
        Level.objects.create(model=model, ordinal=n, name_fi=fi, name_sv=sv) for n, (fi, sv) in enumerate(LEVELS, start=1)
    ]
    dimensions = []
    for n, title in enumerate(DIMENSIONS, start=1):
        section = SectionFactory(strategy=strategy, number=f"{n}{'' if name == 'Kypsyysmalli' else name[:1]}", title=title)
        dimension = Dimension.objects.create(model=model, section=section, number=str(n), title_fi=title, order=n)
        for level in levels:
            Criterion.objects.create(dimension=dimension, level=level, text_fi=f"{title}: kriteeri tasolle {level.name_fi}")
        dimensions.append(dimension)
    return Matrix(model, levels, dimensions)


@pytest.fixture
def matrix(world) -> Matrix:
    return build_matrix(world.strategy)


def open_round(matrix: Matrix, units, year: int | None = None, **kwargs) -> AssessmentRound:
    today = clock.today()
    round_ = AssessmentRound.objects.create(
        model=matrix.model,
        year=year or today.year,
        opens=kwargs.pop("opens", today - datetime.timedelta(days=1)),
        closes=kwargs.pop("closes", today + datetime.timedelta(days=14)),
        status=kwargs.pop("status", AssessmentRound.Status.OPEN),
        **kwargs,
    )
    round_.units.set(units)
    return round_


@pytest.fixture
def round_(world, matrix) -> AssessmentRound:
    return open_round(matrix, [world.unit_a, world.unit_b])


def answer(round_: AssessmentRound, unit: Organisation, person, ordinals: list[int], *, submit: bool = True, why: str = "") -> SelfAssessment:
    """Store one person's answers (ordinals per dimension, in order) directly."""
    assessment = SelfAssessment.objects.create(
        round=round_,
        unit=unit,
        person=person,
        status=SelfAssessment.Status.SUBMITTED if submit else SelfAssessment.Status.DRAFT,
        submitted_at=clock.now() if submit else None,
    )
    levels = {level.ordinal: level for level in round_.model.levels.all()}
    for dimension, ordinal in zip(round_.model.dimensions.all(), ordinals, strict=False):
        Rating.objects.create(
            assessment=assessment, dimension=dimension, level=levels[ordinal], justification=why or f"perustelu tasolle {ordinal}"
        )
    return assessment


def colleague(unit: Organisation, username: str, role: str = Role.STAFF):
    user = UserFactory(username=username)
    MembershipFactory(user=user, organisation=unit, role=role)
    return user


def agree(round_: AssessmentRound, unit: Organisation, ordinals: list[int]) -> None:
    levels = {level.ordinal: level for level in round_.model.levels.all()}
    for dimension, ordinal in zip(round_.model.dimensions.all(), ordinals, strict=False):
        AgreedLevel.objects.update_or_create(
            round=round_, unit=unit, dimension=dimension, defaults={"level": levels[ordinal]}
        )


__all__ = ["Matrix", "Membership", "agree", "answer", "build_matrix", "colleague", "open_round"]
