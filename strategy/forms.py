"""Forms of the strategy app: annual plans, their items, comments, decisions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Action, AnnualPlan, FocusArea, Goal, Organisation, PlanItem, Strategy


class PlanItemForm(forms.ModelForm):
    """Edit a plan item. ``version`` is the optimistic lock: the save is refused
    if the item changed since the form was loaded. ``quick=True`` keeps only
    status and progress (the inline row form); on a submitted or approved plan
    the plan's own fields are shown but disabled, so posted values are ignored."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # Declared so the range is checked by the form (the model is not cleaned
    # here: the service writes under the version check).
    progress = forms.IntegerField(
        label=PlanItem._meta.get_field("progress").verbose_name,
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1, "inputmode": "numeric"}),
    )
    budget = forms.DecimalField(
        label=PlanItem._meta.get_field("budget").verbose_name,
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
    )
    note = forms.CharField(
        label=_("Progress note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What happened since the last update (optional)."),
    )

    class Meta:
        model = PlanItem
        fields = ["status", "progress", "description", "responsible_person", "schedule", "budget"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, quick: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version
        if quick:
            for name in [*PlanItem.PLAN_FIELDS, "note"]:
                del self.fields[name]
        elif not self.instance.plan.accepts_plan_edits:
            for name in PlanItem.PLAN_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("The plan has been submitted or approved: this can no longer change.")
        # Each row of the plan page carries its own form: ids must be unique.
        self.auto_id = f"id_item{self.instance.pk}_%s"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("status") == PlanItem.Status.NOT_STARTED and (cleaned.get("progress") or 0) > 0:
            self.add_error("progress", _("An item that has not started has no progress: choose another status or 0 %."))
        return cleaned

    def _post_clean(self) -> None:
        # Leave the instance alone: the service applies the values under the
        # version check, so a refused save cannot leak into the shown object.
        pass

    def changes(self) -> dict[str, Any]:
        """The values to hand to ``plan_item_update``: editable, not disabled fields."""
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if name in self.fields and not self.fields[name].disabled and name != "version"
        }
        return data


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}), strip=True
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should change?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        strip=True,
        error_messages={"required": _("Say what should change before returning the plan.")},
    )


class ActionFilterForm(forms.Form):
    """Narrow the actions offered when creating a plan."""

    focus_area = forms.ModelChoiceField(label=_("Focus area"), queryset=FocusArea.objects.none(), required=False)
    goal = forms.ModelChoiceField(label=_("Goal"), queryset=Goal.objects.none(), required=False)
    responsible_unit = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["focus_area"].queryset = strategy.focus_areas.all()
        self.fields["goal"].queryset = strategy.goals.all()
        self.fields["responsible_unit"].queryset = Organisation.objects.filter(
            responsible_for__strategy=strategy
        ).distinct()
        self.auto_id = "id_filter_%s"

    def filter(self, actions: Any) -> Any:
        if not self.is_valid():
            return actions
        if self.cleaned_data.get("focus_area"):
            actions = actions.filter(focus_area=self.cleaned_data["focus_area"])
        if self.cleaned_data.get("goal"):
            actions = actions.filter(goal=self.cleaned_data["goal"])
        if self.cleaned_data.get("responsible_unit"):
            actions = actions.filter(responsible_units=self.cleaned_data["responsible_unit"])
        return actions


class PlanCreateForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Organisation.objects.none())
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    deadline = forms.DateField(
        label=_("Deadline for submitting"),
        required=False,
        # ISO whatever the language: a browser's date field reads nothing else.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    roll_over = forms.BooleanField(
        label=_("Carry over last year's unfinished items"),
        required=False,
        initial=True,
        help_text=_("Their status, progress and history link come along; done and cancelled items stay behind."),
    )
    actions = forms.ModelMultipleChoiceField(
        label=_("Actions"), queryset=Action.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, strategy: Strategy, units: Any, actions: Any, default_year: int, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.strategy = strategy
        self.fields["unit"].queryset = units
        self.fields["year"].choices = [(year, str(year)) for year in strategy.years]
        self.fields["year"].initial = default_year
        self.fields["actions"].queryset = actions
        if units.count() == 1:
            self.fields["unit"].initial = units.first()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        unit, year = cleaned.get("unit"), cleaned.get("year")
        if unit and year and AnnualPlan.objects.filter(strategy=self.strategy, unit=unit, year=year).exists():
            self.add_error("year", _("This unit already has a plan for that year."))
        if not cleaned.get("actions") and not cleaned.get("roll_over"):
            self.add_error("actions", _("Pick at least one action, or carry over last year's items."))
        return cleaned
