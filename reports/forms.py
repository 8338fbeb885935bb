"""Ordering a report: who may order what."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from strategy import clock
from strategy.models import Organisation, Role, Strategy, scope_q

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def orderable_units(*, strategy: Strategy, user: AbstractBaseUser | AnonymousUser) -> tuple[bool, Any]:
    """Whether the user owns the strategy, and the organisations below the
    strategy's organisation they may order a unit report for (an owner: all;
    a unit head: their own subtrees)."""
    below = Organisation.objects.below(strategy.organisation).exclude(pk=strategy.organisation_id)
    is_owner = Strategy.objects.owned_by(user).filter(pk=strategy.pk).exists()
    if is_owner:
        return True, below
    return False, below.filter(scope_q(user, "path", roles=(Role.HEAD,)))


class ReportOrderForm(forms.Form):
    """A year (or a council term from year to year), a language and, for a
    unit head, one of their units."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    to_year = forms.TypedChoiceField(
        label=_("To year (council term)"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Leave empty for an annual report."),
    )
    language = forms.ChoiceField(label=_("Language of the report"), choices=settings.LANGUAGES)
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("The whole strategy"),
    )

    def __init__(self, *args: Any, strategy: Strategy, user: AbstractBaseUser | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.strategy = strategy
        self.is_owner, units = orderable_units(strategy=strategy, user=user)
        years = [(year, str(year)) for year in strategy.years]
        self.fields["year"].choices = years
        # Reports are usually ordered after the year they cover has ended.
        last_year = clock.today().year - 1
        self.fields["year"].initial = min(max(strategy.period_start, last_year), strategy.period_end)
        self.fields["to_year"].choices = [("", "\u2013"), *years]
        self.fields["language"].initial = (get_language() or "fi")[:2]
        # Choosing a language updates the note on texts missing in it (htmx);
        # without JavaScript the note's own links do the same.
        self.fields["language"].widget.attrs.update(
            {
                "hx-get": reverse("report-list", kwargs={"slug": strategy.slug}),
                "hx-trigger": "change",
                "hx-target": "#language-note",
                "hx-swap": "outerHTML",
                "aria-describedby": "language-note",
            }
        )
        self.fields["unit"].queryset = units.order_by("path")
        if not self.is_owner:
            # A unit head reports on their own units only.
            self.fields["unit"].required = True
            self.fields["unit"].empty_label = None
            self.fields["unit"].help_text = _("Unit heads order reports for their own units.")

    def chosen_language(self, requested: str | None = None) -> str:
        """The report language the form shows: the one posted, else the one
        asked for in the address (``?language=sv``), else the initial one."""
        codes = [code for code, _name in settings.LANGUAGES]
        candidate = self.data.get("language") if self.is_bound else requested
        return candidate if candidate in codes else self.fields["language"].initial

    @property
    def can_order(self) -> bool:
        return self.is_owner or self.fields["unit"].queryset.exists()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        year, to_year = cleaned.get("year"), cleaned.get("to_year")
        if year is not None and to_year is not None and to_year < year:
            self.add_error("to_year", _("The last year cannot be before the first year."))
        return cleaned
