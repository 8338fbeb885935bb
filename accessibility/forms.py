from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Feedback, KnownProblem, Statement


class FeedbackForm(forms.Form):
    """Feedback from anyone. ``website`` is a honeypot: hidden from people
    (and from assistive technology), filled in only by robots."""

    message = forms.CharField(
        label=_("Your feedback"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=Feedback.MESSAGE_MAX_LENGTH,
        error_messages={
            "required": _("Write your feedback before sending it."),
            "max_length": _(
                "The feedback can be at most %(limit_value)d characters long (it has %(show_value)d)."
            ),
        },
    )
    email = forms.EmailField(
        label=_("Your email address (optional)"),
        help_text=_("Give it if you want an answer."),
        required=False,
        max_length=254,
        error_messages={
            "invalid": _(
                "Enter an email address such as name@example.fi, or leave the field empty."
            )
        },
    )
    page = forms.CharField(
        label=_("Page or part of the service it concerns (optional)"),
        required=False,
        max_length=500,
        error_messages={
            "max_length": _("The page can be at most %(limit_value)d characters long.")
        },
    )
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def is_robot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class StatementForm(forms.ModelForm):
    class Meta:
        model = Statement
        fields = [
            "compliance",
            "prepared_on",
            "reviewed_on",
            "assessment_fi",
            "assessment_sv",
            "assessment_en",
        ]
        widgets = {
            "prepared_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "reviewed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "assessment_fi": forms.Textarea(attrs={"rows": 3, "lang": "fi"}),
            "assessment_sv": forms.Textarea(attrs={"rows": 3, "lang": "sv"}),
            "assessment_en": forms.Textarea(attrs={"rows": 3, "lang": "en"}),
        }

    def clean(self) -> dict:
        cleaned = super().clean()
        prepared, reviewed = cleaned.get("prepared_on"), cleaned.get("reviewed_on")
        if prepared and reviewed and reviewed < prepared:
            self.add_error(
                "reviewed_on",
                _("The review date cannot be before the date the statement was prepared."),
            )
        return cleaned


_PROBLEM_FIELDS = [
    f"{name}_{language}"
    for name in ("title", "reason", "workaround")
    for language in ("fi", "sv", "en")
]


class KnownProblemForm(forms.ModelForm):
    class Meta:
        model = KnownProblem
        fields = ["order", *_PROBLEM_FIELDS]
        widgets = {
            **{
                f"{name}_{language}": forms.Textarea(attrs={"rows": 2, "lang": language})
                for name in ("reason", "workaround")
                for language in ("fi", "sv", "en")
            },
            **{
                f"title_{language}": forms.TextInput(attrs={"lang": language})
                for language in ("fi", "sv", "en")
            },
        }

    def clean(self) -> dict:
        cleaned = super().clean()
        # One language is enough (the others fall back to it), but a problem
        # needs a title and a reason in at least one.
        for name, message in (
            ("title", _("Name the non-accessible content in at least one language.")),
            ("reason", _("Give the reason in at least one language.")),
        ):
            if not any(
                (cleaned.get(f"{name}_{language}") or "").strip() for language in ("fi", "sv", "en")
            ):
                self.add_error(f"{name}_fi", message)
        return cleaned


KnownProblemFormSet = forms.modelformset_factory(
    KnownProblem, form=KnownProblemForm, extra=1, can_delete=True, max_num=50, validate_max=True
)
