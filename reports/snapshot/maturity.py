"""The snapshot's maturity section: the maturity app's heat map of each model."""

from __future__ import annotations

from typing import Any

from maturity.models import MaturityModel
from maturity.services import heatmap_build
from strategy.models import Organisation, Strategy

from .common import Scope, instance_texts


def maturity_section(strategy: Strategy, scope: Scope, language: str) -> list[dict[str, Any]]:
    """The heat map of each maturity model in the last year of the report,
    with the change since the year before: the maturity app's
    ``heatmap_build`` (agreed level, else the median of enough answers; a
    sector row), limited to the unit's subtree for a unit's report."""
    year = scope.years[-1]
    result = []
    # Levels and dimensions once for all models (heatmap_build reads them too).
    for model in (
        MaturityModel.objects.filter(strategy=strategy)
        .order_by("pk")
        .prefetch_related("levels", "dimensions")
    ):
        units = None
        if scope.unit is not None:
            units = list(
                Organisation.objects.filter(
                    assessment_rounds__model=model,
                    assessment_rounds__year=year,
                    path__startswith=scope.unit.path,
                )
                .distinct()
                .order_by("path")
            )
        heatmap = heatmap_build(model=model, year=year, units=units)
        levels = {level.ordinal: level for level in model.levels.all()}
        dimensions = {dimension.pk: dimension for dimension in model.dimensions.all()}
        result.append(
            {
                **instance_texts(model, language, "name", "description"),
                "year": heatmap["year"],
                "previous_year": heatmap["previous_year"],
                "levels": [
                    {
                        "ordinal": level["ordinal"],
                        **instance_texts(levels[level["ordinal"]], language, "name", "description"),
                    }
                    for level in heatmap["levels"]
                ],
                "dimensions": [
                    {
                        "number": d["number"],
                        **instance_texts(dimensions[d["id"]], language, "title"),
                    }
                    for d in heatmap["dimensions"]
                ],
                "rows": [
                    {"unit": row["unit_name"], "cells": [_heat_cell(cell) for cell in row["cells"]]}
                    for row in [*heatmap["rows"], heatmap["sector"]]
                    if any(cell["value"] is not None for cell in row["cells"])
                ],
            }
        )
    return result


def _heat_cell(cell: dict[str, Any]) -> dict[str, Any]:
    return {
        "value": cell["value"],
        "level": cell["level"]["ordinal"] if cell["level"] else None,
        "label": str(cell["label"]),
        "previous": cell["previous"],
        "change": cell["change"],
        "direction": cell["direction"],
        "change_text": str(cell["change_text"]),
    }
