"""Forms of the strategy editor.

Text that people write is stored per language (modeltranslation's
``title_fi``, ``title_sv``, ``title_en``). A form shows each such field once
per language, the strategy's main language first; the main language is
required where the model requires the text, the other two are optional.
The untranslated base column is never in a form: modeltranslation fills it
from the translations (with the fallback) when the part is saved.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.db.models import Model
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator

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


def part_meta(model: type[Model], fields: list[str], **extra: Any) -> type:
    attrs = {"model": model, "fields": expand(model, fields), **extra}
    return type("Meta", (), attrs)


class VisionForm(PartForm):
    Meta = part_meta(Vision, ["label", "text"])


class PrincipleForm(PartForm):
    Meta = part_meta(Principle, ["title", "description", "points"])


class SectionForm(PartForm):
    Meta = part_meta(Section, ["number", "title", "body"])

    def clean_number(self) -> str:
        # The form leaves the strategy out, so Django cannot check the
        # (strategy, number) constraint by itself.
        number = self.cleaned_data["number"]
        taken = Section.objects.filter(strategy=self.strategy, number=number).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("The strategy already has a section with this number."))
        return number


class TargetStateForm(PartForm):
    Meta = part_meta(TargetState, ["title", "body"])


class StrategicChoiceForm(PartForm):
    Meta = part_meta(StrategicChoice, ["group", "theme", "question", "invest_in", "more_than", "summary"])


class TradeOffForm(PartForm):
    Meta = part_meta(TradeOff, ["invest_in", "more_than"])


class PerspectiveForm(PartForm):
    Meta = part_meta(Perspective, ["name", "description"])


class GoalForm(PartForm):
    Meta = part_meta(Goal, ["title", "description", "perspective", "direction", "contributes_to"])

    def limit_choices(self) -> None:
        self._limit("perspective", Perspective.objects.filter(strategy=self.strategy))
        if self.strategy.parent_id:
            self._limit("contributes_to", Goal.objects.filter(strategy_id=self.strategy.parent_id))
        else:
            del self.fields["contributes_to"]


class ObjectiveForm(PartForm):
    Meta = part_meta(Objective, ["number", "title", "description"])


class SpearheadForm(PartForm):
    Meta = part_meta(
        SpearheadProgramme,
        ["name", "description", "goals", "focus_areas", "actions"],
        widgets={name: forms.CheckboxSelectMultiple for name in ("goals", "focus_areas", "actions")},
    )

    def limit_choices(self) -> None:
        self._limit("goals", Goal.objects.filter(strategy=self.strategy))
        self._limit("focus_areas", FocusArea.objects.filter(strategy=self.strategy))
        self._limit("actions", Action.objects.filter(strategy=self.strategy))


class FocusAreaForm(PartForm):
    Meta = part_meta(FocusArea, ["number", "title", "description", "section"])

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

    Meta = part_meta(
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
    Meta = part_meta(
        Stakeholder,
        ["name", "kind", "role", "goals", "actions"],
        widgets={"goals": forms.CheckboxSelectMultiple, "actions": forms.CheckboxSelectMultiple},
    )

    def limit_choices(self) -> None:
        self._limit("goals", Goal.objects.filter(strategy=self.strategy))
        self._limit("actions", Action.objects.filter(strategy=self.strategy))


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

    Meta = part_meta(
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
