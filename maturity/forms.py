"""Forms of the maturity pages. Every error is a sentence next to its field."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from strategy import clock
from strategy.models import Organisation, Section, Strategy

from .models import AssessmentRound, Dimension, Level, MaturityModel

LEVEL_NOT_IN_MATRIX = _("That level is not part of this matrix. Choose one of the levels shown.")


class _LevelsRead(forms.models.ModelChoiceIterator):
    """The choices from the levels the view has read already (a matrix has a
    handful), instead of a query per field; only validation queries."""

    def __iter__(self):  # type: ignore[no-untyped-def]
        if self.field.levels is None:
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for level in self.field.levels:
            yield self.choice(level)

    def __len__(self) -> int:
        if self.field.levels is None:
            return super().__len__()
        return len(self.field.levels) + (self.field.empty_label is not None)

    def __bool__(self) -> bool:
        if self.field.levels is None:
            return super().__bool__()
        return self.field.empty_label is not None or bool(self.field.levels)


class LevelChoiceField(forms.ModelChoiceField):
    """A level of one matrix; another model's level is refused with a clear message.

    ``levels``: the matrix's levels when the view has read them already
    (once for every field of a form); the queryset is then read only to
    validate an answer."""

    default_error_messages = {"invalid_choice": LEVEL_NOT_IN_MATRIX}
    iterator = _LevelsRead

    def __init__(self, *args: Any, levels: list[Level] | None = None, **kwargs: Any) -> None:
        self.levels = levels
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Level) -> str:
        return obj.name


class SelfAssessmentForm(forms.Form):
    """One level (radio buttons) and a justification per dimension.

    Fields are ``level_<dimension id>`` and ``why_<dimension id>``. A draft may
    leave rows empty; submitting needs a level on every row.
    """

    def __init__(self, *args: Any, dimensions: list[Dimension], levels: list[Level], model: MaturityModel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dimensions = dimensions
        self.levels = levels
        for dimension in dimensions:
            self.fields[f"level_{dimension.pk}"] = LevelChoiceField(
                queryset=model.levels.all(),
                levels=levels,
                required=False,
                widget=forms.RadioSelect,
                label=str(dimension),
                empty_label=None,
            )
            self.fields[f"why_{dimension.pk}"] = forms.CharField(
                required=False,
                max_length=4000,
                label=_("Why this level? (%(dimension)s)") % {"dimension": dimension.title},
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.data.get("action") == "submit":
            for dimension in self.dimensions:
                name = f"level_{dimension.pk}"
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Choose a level for this row before you submit."))
        return cleaned

    def answers(self) -> dict[int, tuple[Level | None, str]]:
        return {
            d.pk: (self.cleaned_data.get(f"level_{d.pk}"), self.cleaned_data.get(f"why_{d.pk}", "").strip())
            for d in self.dimensions
        }

    def rows(self) -> list[dict[str, Any]]:
        """Bound fields per dimension, for the grid template."""
        return [
            {"dimension": d, "level": self[f"level_{d.pk}"], "why": self[f"why_{d.pk}"]} for d in self.dimensions
        ]


class AgreedLevelForm(forms.Form):
    """The unit head's agreed level and a note per dimension."""

    def __init__(self, *args: Any, dimensions: list[Dimension], model: MaturityModel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dimensions = dimensions
        for dimension in dimensions:
            self.fields[f"agreed_{dimension.pk}"] = LevelChoiceField(
                queryset=model.levels.all(),
                required=False,
                label=_("Agreed level: %(dimension)s") % {"dimension": dimension},
                empty_label=_("Not agreed yet"),
            )
            self.fields[f"note_{dimension.pk}"] = forms.CharField(
                required=False,
                max_length=2000,
                label=_("Note: %(dimension)s") % {"dimension": dimension.title},
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def choices(self) -> dict[int, tuple[Level | None, str]]:
        return {
            d.pk: (self.cleaned_data.get(f"agreed_{d.pk}"), self.cleaned_data.get(f"note_{d.pk}", "").strip())
            for d in self.dimensions
        }

    def field_for(self, dimension: Dimension) -> tuple[forms.BoundField, forms.BoundField]:
        return self[f"agreed_{dimension.pk}"], self[f"note_{dimension.pk}"]


class UnitsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


class RoundForm(forms.ModelForm):
    """Open a round: a year, the units, the dates and the anonymity rules."""

    units = UnitsField(
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Units"),
        error_messages={"required": _("Choose at least one unit.")},
    )

    class Meta:
        model = AssessmentRound
        fields = ["model", "year", "units", "opens", "closes", "is_anonymous", "min_respondents"]
        widgets = {
            "opens": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.strategy = strategy
        self.fields["model"].queryset = strategy.maturity_models.all()
        self.fields["model"].empty_label = None
        self.fields["units"].queryset = (
            Organisation.objects.units().active().below(strategy.organisation).order_by("path")
        )
        today = clock.today()
        # The year the answers describe, kept inside the strategy's period.
        self.fields["year"].initial = clock.current_year(strategy)
        self.fields["opens"].initial = today
        self.fields["closes"].initial = today + datetime.timedelta(days=21)
        self.fields["min_respondents"].initial = settings.SUUNTA_MATURITY_MIN_RESPONDENTS
        self.fields["min_respondents"].min_value = 1
        self.fields["year"].help_text = _("The calendar year the answers describe.")

    def clean_min_respondents(self) -> int:
        value = self.cleaned_data["min_respondents"]
        if value < 1:
            raise forms.ValidationError(_("Show results from at least one answer."))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        opens, closes = cleaned.get("opens"), cleaned.get("closes")
        if opens and closes and closes < opens:
            self.add_error("closes", _("The round cannot close before it opens."))
        model, year = cleaned.get("model"), cleaned.get("year")
        if model and year and AssessmentRound.objects.filter(model=model, year=year).exists():
            self.add_error("year", _("This matrix already has a round for %(year)s.") % {"year": year})
        return cleaned

    def validate_unique(self) -> None:
        # clean() reports the one unique rule (model, year) next to the year.
        pass


class MaturityModelForm(forms.ModelForm):
    """A model's name and description in each language."""

    class Meta:
        model = MaturityModel
        fields = ["name_fi", "name_sv", "name_en", "description_fi", "description_sv", "description_en"]
        widgets = {f"description_{lang}": forms.Textarea(attrs={"rows": 3}) for lang in ("fi", "sv", "en")}

    def clean_name_fi(self) -> str:
        name = (self.cleaned_data.get("name_fi") or "").strip()
        if not name:
            raise forms.ValidationError(_("Give the model a name in Finnish."))
        return name


class LevelForm(forms.ModelForm):
    """A level's name in each language (the ordinal is its place in the row)."""

    class Meta:
        model = Level
        fields = ["ordinal", "name_fi", "name_sv", "name_en"]

    def clean_name_fi(self) -> str:
        name = (self.cleaned_data.get("name_fi") or "").strip()
        if not name:
            raise forms.ValidationError(_("Give the level a name in Finnish."))
        return name


LevelFormSet = forms.inlineformset_factory(
    MaturityModel, Level, form=LevelForm, extra=1, can_delete=False, min_num=2, validate_min=True
)


class DimensionForm(forms.ModelForm):
    """A row of the matrix: its number, title per language, section and the
    actions that raise its level."""

    class Meta:
        model = Dimension
        fields = ["number", "title_fi", "title_sv", "title_en", "section", "order", "actions"]
        widgets = {"actions": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.filter(strategy=strategy).order_by("order", "number")
        self.fields["actions"].queryset = strategy.actions.order_by("number", "pk")
        self.fields["actions"].required = False
        self.fields["actions"].label_from_instance = lambda action: f"{action.number} {action.title}".strip()

    def clean_title_fi(self) -> str:
        title = (self.cleaned_data.get("title_fi") or "").strip()
        if not title:
            raise forms.ValidationError(_("Give the row a title in Finnish."))
        return title


class TargetForm(forms.Form):
    """The level the whole sector should reach on a row by a year (the heat
    map shows the gap to it)."""

    target_level = LevelChoiceField(
        queryset=Level.objects.none(), required=False, label=_("Target level"), empty_label=_("No target")
    )
    target_year = forms.IntegerField(label=_("Target year"))

    def __init__(self, *args: Any, model: MaturityModel, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_level"].queryset = model.levels.all()
        self.fields["target_year"].min_value = strategy.period_start
        self.fields["target_year"].max_value = strategy.period_end
        self.fields["target_year"].validators = []
        self.strategy = strategy
        self.fields["target_year"].initial = strategy.period_end

    def clean_target_year(self) -> int:
        year = self.cleaned_data["target_year"]
        if not self.strategy.period_start <= year <= self.strategy.period_end:
            raise forms.ValidationError(
                _("Choose a year within the strategy period, %(start)s–%(end)s.")
                % {"start": self.strategy.period_start, "end": self.strategy.period_end}
            )
        return year


class UnitTargetForm(TargetForm):
    """A unit's own target level on a row by a year; it overrides the
    sector-wide target on that unit's heat-map row. "No target" removes it."""

    unit = UnitChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Unit"),
        error_messages={
            "required": _("Choose a unit."),
            "invalid_choice": _("That unit is not one of this strategy's units. Choose one from the list."),
        },
    )
    field_order = ["unit", "target_level", "target_year"]

    def __init__(self, *args: Any, model: MaturityModel, strategy: Strategy, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "unit_target")
        super().__init__(*args, model=model, strategy=strategy, **kwargs)
        self.fields["unit"].queryset = Organisation.objects.units().active().below(strategy.organisation).order_by("path")
        self.fields["target_level"].label = _("Unit's target level")
        self.fields["target_level"].empty_label = _("No unit target (use the sector's)")


class CriteriaForm(forms.Form):
    """The criteria text of each cell of one row, in each language."""

    LANGUAGES = ("fi", "sv", "en")

    def __init__(self, *args: Any, levels: list[Level], initial_texts: dict[tuple[int, str], str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.levels = levels
        language_names = dict(settings.LANGUAGES)
        for level in levels:
            for lang in self.LANGUAGES:
                self.fields[f"c_{level.pk}_{lang}"] = forms.CharField(
                    required=False,
                    max_length=4000,
                    label=_("%(level)s, criteria (%(language)s)") % {"level": level.name, "language": language_names[lang]},
                    initial=initial_texts.get((level.pk, lang), ""),
                    widget=forms.Textarea(attrs={"rows": 3}),
                )

    def grouped(self) -> list[tuple[Level, list[forms.BoundField]]]:
        return [(level, [self[f"c_{level.pk}_{lang}"] for lang in self.LANGUAGES]) for level in self.levels]


class CopyModelForm(forms.Form):
    """Copy a maturity model from another strategy the user can see."""

    source = forms.ModelChoiceField(
        queryset=MaturityModel.objects.none(),
        label=_("Model to copy"),
        error_messages={"invalid_choice": _("Choose a model from the list.")},
    )

    def __init__(self, *args: Any, user: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = (
            MaturityModel.objects.filter(strategy__in=Strategy.objects.visible_to(user))
            .exclude(strategy=strategy)
            .select_related("strategy")
        )
        self.fields["source"].label_from_instance = lambda m: f"{m.name} ({m.strategy.title})"
