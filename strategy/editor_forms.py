"""Forms of the strategy editor.

Text that people write is stored per language (modeltranslation's
``title_fi``, ``title_sv``, ``title_en``). A form shows each such field once
per language, the strategy's main language first; the main language is
required where the model requires the text, the other two are optional.
The untranslated base column is never in a form: modeltranslation fills it
from the translations (with the fallback) when the part is saved.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.db.models import Model
from django.utils import translation
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modeltranslation.translator import NotRegistered, translator

from indicators.models import Indicator, IndicatorKind, ScaleLevel

from .models import (
    Action,
    FocusArea,
    Goal,
    Objective,
    Organisation,
    Perspective,
    Principle,
    Role,
    Section,
    SpearheadProgramme,
    Stakeholder,
    StrategicChoice,
    Strategy,
    SustainableDevelopmentGoal,
    TargetState,
    TradeOff,
    Vision,
    scope_q,
)

LANGUAGE_CODES: list[str] = [code for code, _name in settings.LANGUAGES]
LANGUAGE_NAMES: dict[str, Any] = dict(settings.LANGUAGES)


def translated_fields(model: type[Model]) -> set[str]:
    """Names of the base fields of ``model`` that are stored per language."""
    try:
        return set(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return set()


def expand(model: type[Model], fields: list[str]) -> list[str]:
    """``fields`` with every translated base field replaced by its per-language fields."""
    translated = translated_fields(model)
    expanded: list[str] = []
    for name in fields:
        if name in translated:
            expanded += [f"{name}_{code}" for code in LANGUAGE_CODES]
        else:
            expanded.append(name)
    return expanded


class LanguageFieldsMixin:
    """Orders, labels and marks the per-language fields of a form."""

    base_field_names: ClassVar[list[str]] = []
    fields: dict[str, forms.Field]

    def arrange_languages(self, model: type[Model], main_language: str) -> None:
        translated = translated_fields(model)
        order = [main_language, *[code for code in LANGUAGE_CODES if code != main_language]]
        arranged: dict[str, forms.Field] = {}
        for name, field in self.fields.items():
            base, _sep, code = name.rpartition("_")
            if base not in translated or code not in LANGUAGE_CODES:
                arranged[name] = field
                continue
            if f"{base}_{main_language}" in arranged:
                continue
            model_field = model._meta.get_field(base)
            for code in order:
                field = self.fields[f"{base}_{code}"]
                field.label = _("%(field)s (%(language)s)") % {
                    "field": capfirst(model_field.verbose_name),
                    "language": LANGUAGE_NAMES[code],
                }
                field.required = code == main_language and not model_field.blank
                field.help_text = model_field.help_text if code == main_language else ""
                field.widget.attrs["lang"] = code
                if isinstance(field.widget, forms.Textarea):
                    field.widget.attrs.setdefault("rows", 3)
                arranged[f"{base}_{code}"] = field
        self.fields = arranged


class PartForm(LanguageFieldsMixin, forms.ModelForm):
    """A strategy part. ``version`` is the optimistic lock: the save is refused
    if the part changed since the form was loaded (absent on a new part)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        # Forms of several kinds can be open on the editor page at once: ids must not clash.
        kwargs.setdefault("auto_id", f"id_{self._meta.model._meta.model_name}_%s")
        super().__init__(*args, **kwargs)
        self.strategy = strategy
        self.arrange_languages(self._meta.model, strategy.main_language or "fi")
        if not self.is_bound and self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.limit_choices()

    def limit_choices(self) -> None:
        """Narrow relation fields to the strategy's own parts."""

    def _limit(self, name: str, queryset: Any) -> None:
        if name in self.fields:
            self.fields[name].queryset = queryset  # type: ignore[attr-defined]

    def values(self) -> tuple[dict[str, Any], dict[str, list[Any]]]:
        """The cleaned values to save: (plain fields, many-to-many fields)."""
        plain: dict[str, Any] = {}
        many: dict[str, list[Any]] = {}
        for name, value in self.cleaned_data.items():
            # Fields a form adds beyond the model's (an indicator's scale) are its own to save.
            if name == "version" or name not in self.fields or name not in self._meta.fields:
                continue
            field = self._meta.model._meta.get_field(name)
            if field.many_to_many:
                many[name] = list(value)
            else:
                plain[name] = value
        return plain, many


def _meta(model: type[Model], fields: list[str], **extra: Any) -> type:
    attrs = {"model": model, "fields": expand(model, fields), **extra}
    return type("Meta", (), attrs)


class VisionForm(PartForm):
    Meta = _meta(Vision, ["label", "text"])


class PrincipleForm(PartForm):
    Meta = _meta(Principle, ["title", "description", "points"])


class SectionForm(PartForm):
    Meta = _meta(Section, ["number", "title", "body"])

    def clean_number(self) -> str:
        # The form leaves the strategy out, so Django cannot check the
        # (strategy, number) constraint by itself.
        number = self.cleaned_data["number"]
        taken = Section.objects.filter(strategy=self.strategy, number=number).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("The strategy already has a section with this number."))
        return number


class TargetStateForm(PartForm):
    Meta = _meta(TargetState, ["title", "body"])


class StrategicChoiceForm(PartForm):
    Meta = _meta(StrategicChoice, ["group", "theme", "question", "invest_in", "more_than", "summary"])


class TradeOffForm(PartForm):
    Meta = _meta(TradeOff, ["invest_in", "more_than"])


class PerspectiveForm(PartForm):
    Meta = _meta(Perspective, ["name", "description"])


class GoalForm(PartForm):
    Meta = _meta(Goal, ["title", "description", "perspective", "direction", "contributes_to"])

    def limit_choices(self) -> None:
        self._limit("perspective", Perspective.objects.filter(strategy=self.strategy))
        if self.strategy.parent_id:
            self._limit("contributes_to", Goal.objects.filter(strategy_id=self.strategy.parent_id))
        else:
            del self.fields["contributes_to"]


class ObjectiveForm(PartForm):
    Meta = _meta(Objective, ["number", "title", "description"])


class SpearheadForm(PartForm):
    Meta = _meta(
        SpearheadProgramme,
        ["name", "description", "goals", "focus_areas", "actions"],
        widgets={name: forms.CheckboxSelectMultiple for name in ("goals", "focus_areas", "actions")},
    )

    def limit_choices(self) -> None:
        self._limit("goals", Goal.objects.filter(strategy=self.strategy))
        self._limit("focus_areas", FocusArea.objects.filter(strategy=self.strategy))
        self._limit("actions", Action.objects.filter(strategy=self.strategy))


class FocusAreaForm(PartForm):
    Meta = _meta(FocusArea, ["number", "title", "description", "section"])

    def limit_choices(self) -> None:
        self._limit("section", Section.objects.filter(strategy=self.strategy))


class ActionForm(PartForm):
    budget = forms.DecimalField(
        label=Action._meta.get_field("budget").verbose_name,
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
    )

    Meta = _meta(
        Action,
        [
            "focus_area",
            "goal",
            "objective",
            "number",
            "title",
            "description",
            "responsible_units",
            "responsible_person",
            "start_year",
            "end_year",
            "horizon",
            "budget",
            "sdgs",
        ],
        widgets={"responsible_units": forms.CheckboxSelectMultiple, "sdgs": forms.CheckboxSelectMultiple},
    )

    def limit_choices(self) -> None:
        strategy = self.strategy
        self._limit("focus_area", FocusArea.objects.filter(strategy=strategy))
        self._limit("goal", Goal.objects.filter(strategy=strategy))
        self._limit("objective", Objective.objects.filter(goal__strategy=strategy).select_related("goal"))
        self._limit("responsible_units", Organisation.objects.below(strategy.organisation).active())
        self._limit("sdgs", SustainableDevelopmentGoal.objects.all())
        for name in ("start_year", "end_year"):
            widget = self.fields[name].widget
            widget.attrs.update({"min": strategy.period_start, "max": strategy.period_end})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        period = self.strategy.years
        for name in ("start_year", "end_year"):
            year = cleaned.get(name)
            if year is not None and year not in period:
                self.add_error(
                    name,
                    _("The year must be within the strategy period %(start)s–%(end)s.")
                    % {"start": self.strategy.period_start, "end": self.strategy.period_end},
                )
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start is not None and end is not None and end < start:
            self.add_error("end_year", _("The end year cannot be before the start year."))
        return cleaned


class StakeholderForm(PartForm):
    Meta = _meta(
        Stakeholder,
        ["name", "kind", "role", "goals", "actions"],
        widgets={"goals": forms.CheckboxSelectMultiple, "actions": forms.CheckboxSelectMultiple},
    )

    def limit_choices(self) -> None:
        self._limit("goals", Goal.objects.filter(strategy=self.strategy))
        self._limit("actions", Action.objects.filter(strategy=self.strategy))


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

    Meta = _meta(
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


def year_span(years: Any) -> str:
    """Years as people read a span: "2022–2025", or "2024" for one."""
    ordered = sorted(set(years))
    if not ordered:
        return ""
    return str(ordered[0]) if len(ordered) == 1 else f"{ordered[0]}\u2013{ordered[-1]}"


def _period_errors(cleaned: dict[str, Any], form: forms.Form) -> None:
    start, end = cleaned.get("period_start"), cleaned.get("period_end")
    if start is not None and end is not None and end < start:
        form.add_error("period_end", _("The last year cannot be before the first year."))


class StrategySettingsForm(PartForm):
    """The strategy's own settings; its parts have their own forms."""

    Meta = _meta(
        Strategy,
        ["title", "motto", "period_start", "period_end", "main_language", "parent", "purpose", "introduction", "published"],
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        instance = kwargs["instance"]
        # The languages follow the main language being chosen, not the stored one.
        data = args[0] if args else kwargs.get("data")
        main = (data or {}).get("main_language") or instance.main_language
        strategy = Strategy(main_language=main if main in LANGUAGE_CODES else instance.main_language)
        super().__init__(*args, strategy=strategy, **kwargs)
        self.strategy = instance

    def limit_choices(self) -> None:
        # A strategy cannot sit under itself or under one of its descendants.
        strategy = self.instance
        descendants = {strategy.pk}
        frontier = {strategy.pk}
        while frontier:
            frontier = set(Strategy.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - descendants
            descendants |= frontier
        self._limit("parent", Strategy.objects.visible_to(self.user).exclude(pk__in=descendants))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        _period_errors(cleaned, self)
        # Residents read the approved version: a draft has none to show.
        if cleaned.get("published") and self.strategy.status != Strategy.Status.APPROVED:
            self.add_error("published", _("Only an approved strategy can be published. Approve it first."))
        return cleaned


class StrategyCreateForm(forms.Form):
    """A new strategy: blank, a copy of an earlier one for a new period, or a
    child of a parent strategy."""

    BLANK, COPY, CHILD = "blank", "copy", "child"

    start = forms.ChoiceField(
        label=_("Start from"),
        choices=[
            (BLANK, _("A blank strategy")),
            (COPY, _("A copy of an earlier strategy, for a new period")),
            (CHILD, _("A sub-strategy of a parent strategy")),
        ],
        initial=BLANK,
        widget=forms.RadioSelect,
    )
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    main_language = forms.ChoiceField(label=_("Main language"), choices=settings.LANGUAGES, initial="fi")
    title = forms.CharField(
        label=_("Title"), max_length=250, help_text=_("In the main language; the other languages can be added later.")
    )
    period_start = forms.IntegerField(label=_("First year"), min_value=1990, max_value=2100)
    period_end = forms.IntegerField(label=_("Last year"), min_value=1990, max_value=2100)
    source = forms.ModelChoiceField(
        label=_("Strategy to copy"),
        queryset=Strategy.objects.none(),
        required=False,
        help_text=_("Its structure is copied; plans, indicators and figures are not."),
    )
    parent = forms.ModelChoiceField(label=_("Parent strategy"), queryset=Strategy.objects.none(), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.active()
        if not user.is_superuser:
            organisations = organisations.filter(scope_q(user, "path", roles=(Role.OWNER,)))
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        visible = Strategy.objects.visible_to(user).select_related("organisation")
        self.fields["source"].queryset = visible  # type: ignore[attr-defined]
        self.fields["parent"].queryset = visible  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        _period_errors(cleaned, self)
        start = cleaned.get("start")
        if start == self.COPY and not cleaned.get("source"):
            self.add_error("source", _("Choose the strategy to copy."))
        if start == self.CHILD and not cleaned.get("parent"):
            self.add_error("parent", _("Choose the parent strategy."))
        return cleaned


def unique_slug(title: str) -> str:
    """A slug from ``title`` that no strategy has yet."""
    max_length = Strategy._meta.get_field("slug").max_length or 80
    # Periods are written with dashes ("2028–2033"); slugify would glue the years together.
    spaced = title.replace("\u2013", " ").replace("\u2014", " ")
    base = (slugify(spaced) or "strategy")[: max_length - 4].strip("-")
    slug, n = base, 1
    taken = set(Strategy.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug
