"""Report fixtures: the world of tests/conftest.py filled with a year of strategy work."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from indicators.models import Indicator, Measurement, Target
from maturity.models import AgreedLevel, AssessmentRound, Dimension, Level, MaturityModel
from strategy.models import (
    Action,
    AnnualPlan,
    FocusArea,
    PlanItem,
    StrategicChoice,
    TargetState,
    TradeOff,
    Vision,
)

VISION_FI = "Kulttuuri ja liikunta kuuluvat jokaiselle kaupunkilaiselle"
VISION_SV = "Kultur och motion hör till varje invånare"
LEVELS = [("Alkava", "Inleds"), ("Kehittyvä", "Utvecklas"), ("Hyvä", "Bra"), ("Optimaalinen", "Optimalt")]


@pytest.fixture
def media_root(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """Reports written during a test go to a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def report_world(world):  # type: ignore[no-untyped-def]
    """The strategy of ``world`` with texts, focus areas, plans, indicators and maturity."""
    strategy = world.strategy
    strategy.purpose_fi = "Luomme edellytyksiä hyvälle elämälle"
    strategy.save()
    Vision.objects.create(strategy=strategy, text_fi=VISION_FI, text_sv=VISION_SV)
    TargetState.objects.create(strategy=strategy, title_fi="Saavutettava palveluverkko", body_fi="Palvelut ovat lähellä.", order=1)
    choice = StrategicChoice.objects.create(
        strategy=strategy,
        group=StrategicChoice.Group.EXTERNAL,
        theme_fi="Asiakkaat",
        question_fi="Ketkä ovat tärkeimmät asiakkaamme?",
        invest_in_fi="lapsiin ja nuoriin",
        more_than_fi="satunnaisiin kävijöihin",
        order=1,
    )
    TradeOff.objects.create(choice=choice, invest_in_fi="digitaalisiin palveluihin", more_than_fi="painotuotteisiin")
    area1 = FocusArea.objects.create(strategy=strategy, number="3.1", title_fi="Osallisuus ja yhteisöllisyys", title_sv="Delaktighet och gemenskap", order=1)
    area2 = FocusArea.objects.create(strategy=strategy, number="3.2", title_fi="Hyvinvointi ja terveys", order=2)
    action1 = Action.objects.create(strategy=strategy, focus_area=area1, number="1", title_fi="Kirjaston lukupiirit", start_year=2022, end_year=2027)
    action2 = Action.objects.create(strategy=strategy, focus_area=area2, number="2", title_fi="Museon senioripäivät", start_year=2022, end_year=2027)
    action1.responsible_units.add(world.unit_a)
    action2.responsible_units.add(world.unit_b)
    plan_a = AnnualPlan.objects.create(strategy=strategy, unit=world.unit_a, year=2024, status=AnnualPlan.Status.APPROVED)
    plan_b = AnnualPlan.objects.create(strategy=strategy, unit=world.unit_b, year=2024, status=AnnualPlan.Status.APPROVED)
    PlanItem.objects.create(
        plan=plan_a, action=action1, status=PlanItem.Status.DONE, progress=100, budget=Decimal("12500"),
        year_end_assessment="Lukupiirejä pidettiin kaksitoista.",
    )
    PlanItem.objects.create(
        plan=plan_b, action=action2, status=PlanItem.Status.AT_RISK, progress=40, budget=Decimal("8000"),
        year_end_assessment="Senioripäiviä siirrettiin syksyyn.",
    )
    indicator = Indicator.objects.create(strategy=strategy, name_fi="Kävijämäärä", name_sv="Besökarantal", unit_of_measure_fi="käyntiä", focus_area=area1)
    for year, target, value in [(2022, 1000, 950), (2023, 1100, 1150), (2024, 1200, 1250)]:
        Target.objects.create(indicator=indicator, year=year, value=target)
        Measurement.objects.create(indicator=indicator, year=year, value=value)
    model = MaturityModel.objects.create(strategy=strategy, name_fi="Kypsyysmatriisi", name_sv="Mognadsmatris")
    levels = [
        Level.objects.create(model=model, ordinal=index, name_fi=fi, name_sv=sv)
        for index, (fi, sv) in enumerate(LEVELS, start=1)
    ]
    dimensions = [
        Dimension.objects.create(model=model, number=str(n), title_fi=title, order=n)
        for n, title in enumerate(["Visio 2027", "Saavutettava palveluverkko"], start=1)
    ]
    for year, offset in [(2023, 0), (2024, 1)]:
        round_ = AssessmentRound.objects.create(
            model=model, year=year, opens=date(year, 9, 1), closes=date(year, 10, 1), status=AssessmentRound.Status.CLOSED
        )
        round_.units.add(world.unit_a, world.unit_b)
        for unit in (world.unit_a, world.unit_b):
            for dimension in dimensions:
                AgreedLevel.objects.create(round=round_, unit=unit, dimension=dimension, level=levels[offset + (unit == world.unit_b)])
    return world


def pdf_text(content: bytes, tmp_path: Path) -> str:
    """The text of a PDF as pdftotext (poppler) reads it."""
    path = tmp_path / "text-check.pdf"
    path.write_bytes(content)
    assert shutil.which("pdftotext"), "poppler-utils is needed"
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def pdf_facts(content: bytes) -> dict[str, object]:
    """Title, language, tagging and bookmarks of a PDF, read with pypdf."""
    from io import BytesIO

    reader = PdfReader(BytesIO(content))
    root = reader.trailer["/Root"]
    mark_info = root.get("/MarkInfo")
    outline = reader.outline

    def titles(items: list) -> list[str]:  # type: ignore[type-arg]
        found: list[str] = []
        for item in items:
            if isinstance(item, list):
                found += titles(item)
            else:
                found.append(str(item.title))
        return found

    return {
        "title": reader.metadata.title if reader.metadata else None,
        "author": reader.metadata.author if reader.metadata else None,
        "lang": str(root.get("/Lang")) if root.get("/Lang") else None,
        "tagged": bool(mark_info and mark_info.get_object().get("/Marked")) and "/StructTreeRoot" in root,
        "bookmarks": titles(outline),
        "pages": len(reader.pages),
        "fonts_embedded": _fonts_embedded(reader),
    }


def _fonts_embedded(reader: PdfReader) -> bool:
    fonts = 0
    for page in reader.pages:
        resources = page.get("/Resources")
        if not resources or "/Font" not in resources.get_object():
            continue
        for font in resources.get_object()["/Font"].get_object().values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            if descriptor is None:
                return False
            descriptor = descriptor.get_object()
            if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                return False
            fonts += 1
    return fonts > 0
