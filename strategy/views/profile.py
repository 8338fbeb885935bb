"""Everyone's own profile: name, email, language and which emails to receive."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from strategy.htmx import redirect_page, wants_fragment

from .. import services_people as services
from ..models import Profile
from ..people_forms import ProfileForm
from ..profile_sections import sections_context
from ..security import security_event

TEMPLATE = "strategy/people/profile.html"


def _initial(request: HttpRequest) -> dict[str, object]:
    user = request.user
    stored = Profile.objects.filter(user=user).first()
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "language": (stored.language if stored else "") or request.LANGUAGE_CODE,
        "weekly_reminders": stored.weekly_reminders if stored else True,
        "public": stored.public if stored else False,
    }


def profile_page(
    request: HttpRequest,
    *,
    form: ProfileForm | None = None,
    status: int = 200,
    extra: dict[str, object] | None = None,
) -> HttpResponse:
    """The whole profile page with the sections other apps add
    (``profile_sections``); a section's own views pass their context in ``extra``."""
    context = {
        "form": form or ProfileForm(user=request.user, initial=_initial(request)),
        **sections_context(request),
        **(extra or {}),
    }
    return render(request, TEMPLATE, context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, user=user, initial=_initial(request))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        public = data.pop("public")
        old_email = user.email
        with transaction.atomic():
            services.profile_update(user=user, **data)
            # Whether residents may see the person's name on the public pages.
            Profile.objects.filter(user=user).update(public=public)
        if data["email"].lower() != old_email.lower():
            security_event(
                "profile.email_changed", request=request, old=old_email, new=data["email"]
            )
        # The page that follows is already in the chosen language.
        translation.activate(data["language"])
        messages.success(request, _("Your profile is saved."))
        url = reverse("profile")
        response = redirect_page(request, url)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            data["language"],
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
    status = 422 if request.method == "POST" else 200
    if wants_fragment(request):
        return render(request, f"{TEMPLATE}#form", {"form": form}, status=status)
    return profile_page(request, form=form, status=status)
