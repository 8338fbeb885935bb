"""The indicator as a kind of part in the strategy editor: its form, what
keeps an indicator or goes with it, and what of a strategy's parts its
indicators use. ``register`` adds all this to the editor's registry from
``IndicatorsConfig.ready()``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.db.models import Model
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from strategy.editor import PartKind, register_kind, register_part_uses
from strategy.editor_forms import LANGUAGE_CODES, LANGUAGE_NAMES, PartForm, part_meta, year_span
from strategy.models import (
    Action,
    FocusArea,
    Goal,
    Objective,
    Perspective,
    SustainableDevelopmentGoal,
)

from .models import Indicator, IndicatorKind, ScaleLevel


class IndicatorForm(PartForm):
    """An indicator: its definition per language, numeric or qualitative with
    the levels of its scale, and the one part of the strategy it belongs to.

    A scale is one of the ready-made ones or levels written one per line,
    lowest first, per language. Values store a level's ordinal, so a scale
    cannot lose levels that values use, and the kind cannot change while the
    indicator has targets or measured values.
    """

    NO_SCALE, CUSTOM = "", "custom"
    # Ready-made scales, lowest level first; stored in every language when chosen.
    SCALES: ClassVar[dict[str, list[Any]]] = {
        "progress": [
            pgettext_lazy("scale level", "Not started"),
            pgettext_lazy("scale level", "In progress"),
            pgettext_lazy("scale level", "Completed"),
        ],
        "level": [
            pgettext_lazy("scale level", "Low"),
            pgettext_lazy("scale level", "Medium"),
            pgettext_lazy("scale level", "High"),
        ],
    }
    MAX_LEVELS = 10
    # The parts an indicator may belong to, finest first (the initial choice
    # of an indicator linked to several is the finest).
    PARTS: ClassVar[list[tuple[str, type[Model], Any]]] = [
        ("action", Action, _("Actions")),
        ("objective", Objective, _("Objectives")),
        ("focus_area", FocusArea, _("Focus areas")),
        ("goal", Goal, _("Goals")),
        ("perspective", Perspective, _("Perspectives")),
    ]

    attached_to = forms.ChoiceField(
        label=_("Belongs to"),
        required=False,
        help_text=_("One part of the strategy, or none."),
    )
    scale = forms.ChoiceField(
        label=_("Scale of a qualitative indicator"),
        required=False,
        choices=[
            (NO_SCALE, _("No scale (numeric indicator)")),
            ("progress", _("Not started / in progress / completed")),
            ("level", _("Low / medium / high")),
            (CUSTOM, _("Levels written below")),
        ],
    )
    baseline_level = forms.CharField(
        label=_("Baseline level"),
        required=False,
        max_length=100,
        help_text=_("For a qualitative indicator: one of its levels, as written in the scale."),
    )

    Meta = part_meta(
        Indicator,
        [
            "name",
            "description",
            "kind",
            "unit_of_measure",
            "is_percentage",
            "direction",
            "decimals",
            "baseline_year",
            "baseline_value",
            "data_source",
            "sdgs",
        ],
        widgets={"sdgs": forms.CheckboxSelectMultiple, "kind": forms.RadioSelect},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        main = self.strategy.main_language or "fi"
        level_fields: dict[str, forms.Field] = {}
        for code in [main, *[c for c in LANGUAGE_CODES if c != main]]:
            level_fields[f"levels_{code}"] = forms.CharField(
                label=_("Levels (%(language)s), one per line, lowest first") % {"language": LANGUAGE_NAMES[code]},
                required=False,
                widget=forms.Textarea(attrs={"rows": 4, "lang": code}),
                help_text=_("Used when the scale is “Levels written below”.") if code == main else "",
            )
        # The scale and its levels follow the kind; the link and the baseline level their neighbours.
        arranged: dict[str, forms.Field] = {}
        for name, field in self.fields.items():
            if name in ("scale", "attached_to", "baseline_level"):
                continue
            arranged[name] = field
            if name == "kind":
                arranged["scale"] = self.fields["scale"]
                arranged.update(level_fields)
                arranged["attached_to"] = self.fields["attached_to"]
            elif name == "baseline_value":
                arranged["baseline_level"] = self.fields["baseline_level"]
        self.fields = arranged
        self.fields["baseline_value"].help_text = _("For a numeric indicator.")
        instance = self.instance
        if not self.is_bound and instance.pk:
            part = instance.attached_to
            if part is not None:
                key = next(name for name, model, _label in self.PARTS if isinstance(part, model))
                self.fields["attached_to"].initial = f"{key}:{part.pk}"
            if instance.is_qualitative:
                levels = list(instance.levels.order_by("ordinal"))
                self.fields["scale"].initial = self.CUSTOM
                for code in LANGUAGE_CODES:
                    self.fields[f"levels_{code}"].initial = "\n".join(getattr(level, f"label_{code}") or "" for level in levels).strip()
                if instance.baseline_value is not None:
                    labels = {level.ordinal: getattr(level, f"label_{main}") or level.label for level in levels}
                    self.fields["baseline_level"].initial = labels.get(int(instance.baseline_value), "")
                self.initial["baseline_value"] = None

    def limit_choices(self) -> None:
        strategy = self.strategy
        querysets = {
            "action": Action.objects.filter(strategy=strategy).order_by("order", "pk"),
            "objective": Objective.objects.filter(goal__strategy=strategy).order_by("goal__order", "order", "pk"),
            "focus_area": FocusArea.objects.filter(strategy=strategy).order_by("order", "pk"),
            "goal": Goal.objects.filter(strategy=strategy).order_by("order", "pk"),
            "perspective": Perspective.objects.filter(strategy=strategy).order_by("order", "pk"),
        }
        choices: list[Any] = [("", _("None"))]
        for key, _model, label in reversed(self.PARTS):
            options = [(f"{key}:{part.pk}", str(part)) for part in querysets[key]]
            if options:
                choices.append((label, options))
        self.fields["attached_to"].choices = choices  # type: ignore[attr-defined]
        self._limit("sdgs", SustainableDevelopmentGoal.objects.all())

    def _levels(self, cleaned: dict[str, Any]) -> list[dict[str, str | None]]:
        """The chosen scale as [{language: label}], lowest first; errors added to the form."""
        scale = cleaned.get("scale") or self.NO_SCALE
        if scale in self.SCALES:
            levels = []
            for label in self.SCALES[scale]:
                texts: dict[str, str | None] = {}
                for code in LANGUAGE_CODES:
                    with translation.override(code):
                        texts[code] = str(label)
                levels.append(texts)
            return levels
        main = self.strategy.main_language or "fi"
        lines = {
            code: [line.strip() for line in (cleaned.get(f"levels_{code}") or "").splitlines() if line.strip()]
            for code in LANGUAGE_CODES
        }
        if len(lines[main]) < 2:
            self.add_error(f"levels_{main}", _("Write at least two levels, one per line."))
            return []
        if len(lines[main]) > self.MAX_LEVELS:
            self.add_error(f"levels_{main}", _("A scale has at most %(count)s levels.") % {"count": self.MAX_LEVELS})
            return []
        matching = True
        for code, texts in lines.items():
            if texts and len(texts) != len(lines[main]):
                matching = False
                self.add_error(
                    f"levels_{code}",
                    _("Write as many levels as in %(language)s (%(count)s), in the same order.")
                    % {"language": LANGUAGE_NAMES[main], "count": len(lines[main])},
                )
            if any(len(text) > 100 for text in texts):
                self.add_error(f"levels_{code}", _("A level can be at most 100 characters long."))
        if not matching:
            return []
        return [
            {code: (lines[code][i] if lines[code] else None) for code in LANGUAGE_CODES} for i in range(len(lines[main]))
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        instance = self.instance
        qualitative = cleaned.get("kind") == IndicatorKind.QUALITATIVE
        used = []
        if instance.pk:
            used = sorted(
                {(row.year, row.value) for row in instance.measurements.all()}
                | {(row.year, row.value) for row in instance.targets.all()}
            )
        if instance.pk and used and cleaned.get("kind") and cleaned["kind"] != instance.kind:
            self.add_error(
                "kind",
                _("The kind cannot change while the indicator has targets or measured values (%(years)s).")
                % {"years": year_span(year for year, _value in used)},
            )
        self.levels: list[dict[str, str | None]] = []
        if qualitative:
            if not cleaned.get("scale"):
                self.add_error("scale", _("Choose a scale for a qualitative indicator."))
            else:
                self.levels = self._levels(cleaned)
            if self.levels and instance.pk and instance.is_qualitative:
                beyond = sorted({year for year, value in used if int(value) >= len(self.levels)})
                if beyond:
                    self.add_error(
                        "scale",
                        _("Values of %(years)s use levels that this scale would remove.") % {"years": year_span(beyond)},
                    )
            text = (cleaned.get("baseline_level") or "").strip().casefold()
            cleaned["baseline_value"] = None
            if text and self.levels:
                found = [i for i, texts in enumerate(self.levels) if text in {(t or "").casefold() for t in texts.values()}]
                if found:
                    cleaned["baseline_value"] = found[0]
                else:
                    self.add_error("baseline_level", _("Write one of the levels of the scale."))
        elif cleaned.get("scale"):
            self.add_error("scale", _("Choose “Qualitative” as the kind to use a scale."))
        elif (cleaned.get("baseline_level") or "").strip():
            self.add_error("baseline_level", _("A numeric indicator has a baseline value, not a level."))
        baseline_year = cleaned.get("baseline_year")
        if baseline_year is not None and not 1990 <= baseline_year <= self.strategy.period_end:
            self.add_error("baseline_year", _("The baseline year cannot be after the strategy period."))
        return cleaned

    def values(self) -> tuple[dict[str, Any], dict[str, list[Any]]]:
        plain, many = super().values()
        # The chosen part, and the coarser parts above it kept in step for grouping.
        links: dict[str, Any] = {key: None for key, _model, _label in self.PARTS}
        choice = self.cleaned_data.get("attached_to") or ""
        if choice:
            key, _sep, pk = choice.partition(":")
            model = next(model for name, model, _label in self.PARTS if name == key)
            part = model._default_manager.get(pk=int(pk))
            links[key] = part
            if key == "objective":
                links["goal"] = part.goal
            if key in ("goal", "objective"):
                links["perspective"] = links["goal"].perspective
            if key == "action":
                links["focus_area"] = part.focus_area
        plain.update(links)
        if plain.get("kind") == IndicatorKind.QUALITATIVE:
            plain.update(is_percentage=False, decimals=0)
            value = self.cleaned_data.get("baseline_value")
            plain["baseline_value"] = None if value is None else Decimal(value)
        many["scale"] = [
            ScaleLevel(ordinal=ordinal, **{f"label_{code}": text for code, text in texts.items()})
            for ordinal, texts in enumerate(self.levels)
        ]
        return plain, many


def indicator_uses(**lookup: Any) -> list[str]:
    """The indicators that belong to a part (``goal=goal``): they keep it."""
    return [gettext("Indicator “%(name)s”") % {"name": indicator.name} for indicator in Indicator.objects.filter(**lookup)]


def measured_values(indicator: Indicator) -> list[str]:
    """What keeps an indicator: its measured values ("12 measured values 2022–2025")."""
    years = list(indicator.measurements.values_list("year", flat=True))
    if not years:
        return []
    return [
        ngettext("%(count)s measured value %(years)s", "%(count)s measured values %(years)s", len(years))
        % {"count": len(years), "years": year_span(years)}
    ]


def targets(indicator: Indicator) -> list[str]:
    """What goes with a removed indicator: its targets."""
    years = list(indicator.targets.values_list("year", flat=True))
    if not years:
        return []
    count = len(years)
    return [ngettext("%(count)s target %(years)s", "%(count)s targets %(years)s", count) % {"count": count, "years": year_span(years)}]


# Measured values are figures people entered: they keep the indicator.
# Targets are part of its definition and go with it.
INDICATOR_KIND = PartKind(
    "indicator",
    Indicator,
    IndicatorForm,
    gettext_lazy("indicator"),
    gettext_lazy("Indicators"),
    uses=measured_values,
    removes_with=targets,
    history_group="indicators",
)


def register() -> None:
    register_kind(INDICATOR_KIND)
    register_part_uses(indicator_uses)
