"""Forms of the organisation and people pages and of the profile page.

Names of organisations are stored per language (``name_fi``, ``name_sv``,
``name_en``); a form shows each once per language and asks for at least one.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .editor_forms import LANGUAGE_CODES, LanguageFieldsMixin, expand
from .models import Organisation, Profile, Role


class TreeChoiceField(forms.ModelChoiceField):
    """An organisation, shown with its depth so that the select reads as the tree."""

    def label_from_instance(self, obj: Organisation) -> str:
        dissolved = "" if obj.is_active else f" ({_('dissolved')})"
        return "\u2003" * obj.depth + str(obj) + dissolved


class OrganisationForm(LanguageFieldsMixin, forms.ModelForm):
    """A node's names and kind. ``version`` is the optimistic lock: a save is
    refused if the node changed since the form was loaded (absent on a new node).
    The owner's own node keeps its kind: ``with_kind=False`` leaves it out."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    class Meta:
        model = Organisation
        fields = expand(Organisation, ["name", "short_name", "kind"])

    def __init__(self, *args: Any, with_kind: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.arrange_languages(Organisation, settings.MODELTRANSLATION_DEFAULT_LANGUAGE)
        for code in LANGUAGE_CODES:
            # Any one language will do: a Swedish-speaking body may have no Finnish name.
            self.fields[f"name_{code}"].required = False
        self.fields[f"name_{LANGUAGE_CODES[0]}"].help_text = _("Give the name in at least one language.")
        if not with_kind:
            del self.fields["kind"]
        if not self.is_bound and self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any(cleaned.get(f"name_{code}") for code in LANGUAGE_CODES):
            self.add_error(f"name_{LANGUAGE_CODES[0]}", _("Give the name in at least one language."))
        return cleaned

    def values(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version" and name in self.fields}

    def labels(self) -> dict[str, str]:
        return {name: str(bound.label) for name, bound in self.fields.items()}


class MoveForm(forms.Form):
    parent = TreeChoiceField(label=_("New parent organisation"), queryset=Organisation.objects.none())
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, targets: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = targets  # type: ignore[attr-defined]


class DissolveForm(forms.Form):
    dissolved_on = forms.DateField(
        label=_("Dissolved on"),
        # ISO whatever the language: a browser's date field reads nothing else.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class RoleForm(forms.Form):
    """A role to give: where, which and the job title there."""

    organisation = TreeChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.STAFF)
    title = forms.CharField(label=_("Job title"), max_length=200, required=False)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class InviteForm(RoleForm):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("The invitation and later emails are written in this language."),
    )

    field_order = ["first_name", "last_name", "email", "organisation", "role", "title", "language"]


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"))
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("Suunta's pages and the emails it sends you are in this language."),
    )
    weekly_reminders = forms.BooleanField(
        label=Profile._meta.get_field("weekly_reminders").verbose_name,
        help_text=Profile._meta.get_field("weekly_reminders").help_text,
        required=False,
    )
    public = forms.BooleanField(
        label=Profile._meta.get_field("public").verbose_name,
        help_text=Profile._meta.get_field("public").help_text,
        required=False,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        # Invitations find people by their address: two accounts must not share one.
        if get_user_model().objects.filter(email__iexact=email).exclude(pk=self.user.pk).exists():
            raise forms.ValidationError(_("Another account uses this email address."))
        return email
