from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_totp.models import TOTPDevice

from strategy.security import client_address, security_event

from .forms import TOTPCodeForm
from .second_factor import (
    confirmed_device,
    owner_must_use_totp,
    qr_code_data_uri,
    secret_for_typing,
    unconfirmed_device,
)
from .throttle import throttle_hit


def lockout(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """Axes' answer to a sign-in from a (username, address) pair that is locked out."""
    minutes = settings.SUUNTA_LOGIN_COOLOFF_MINUTES
    return render(
        request,
        "accounts/lockout.html",
        {"minutes": minutes},
        status=429,
    )


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, at most SUUNTA_PASSWORD_RESET_LIMIT requests
    per address and per email address in the window.

    Known and unknown addresses get the same answer and the same counting;
    Django's form sends mail only to active accounts with that address.
    """

    def form_valid(self, form: Any) -> HttpResponse:
        email = form.cleaned_data["email"].strip().lower()
        window_minutes = settings.SUUNTA_PASSWORD_RESET_WINDOW_MINUTES
        refused = throttle_hit(
            scope="password-reset",
            keys=[f"ip:{client_address(self.request)}", f"email:{email}"],
            limit=settings.SUUNTA_PASSWORD_RESET_LIMIT,
            window_seconds=window_minutes * 60,
        )
        if refused:
            security_event(
                "password_reset.throttled", request=self.request, email=email, level=logging.WARNING
            )
            form.add_error(
                None,
                ngettext(
                    "Too many password reset requests. Try again in %(minutes)d minute.",
                    "Too many password reset requests. Try again in %(minutes)d minutes.",
                    window_minutes,
                )
                % {"minutes": window_minutes},
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        security_event("password_reset.requested", request=self.request, email=email)
        return super().form_valid(form)


def _code_refusal(device: TOTPDevice) -> str | None:
    """Why a code cannot be tried now (too many wrong ones), or None."""
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    if data and data.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        return _("Too many wrong codes. Wait a moment and try again with a new code.")
    return _("Codes cannot be checked right now. Try again later.")


def _check_code(request: HttpRequest, form: TOTPCodeForm, device: TOTPDevice, event: str) -> bool:
    """Validate the form and the code against the device, adding the reason to the form
    when it fails; every wrong code counts towards django-otp's throttle."""
    if not form.is_valid():
        return False
    refusal = _code_refusal(device)
    if refusal:
        form.add_error("code", refusal)
        security_event(f"{event}.throttled", request=request, level=logging.WARNING)
        return False
    if not device.verify_token(form.cleaned_data["code"]):
        form.add_error("code", _("That code is not right. Check the time on your phone and try again."))
        security_event(f"{event}.failed", request=request, level=logging.WARNING)
        return False
    return True


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def totp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app."""
    device = confirmed_device(request.user)
    if device is None:
        return redirect("account-security")
    if request.user.is_verified():  # type: ignore[union-attr]
        return redirect(_next_url(request) or settings.LOGIN_REDIRECT_URL)
    form = TOTPCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _check_code(request, form, device, "totp"):
            otp_login(request, device)
            security_event("totp.success", request=request)
            return redirect(_next_url(request) or settings.LOGIN_REDIRECT_URL)
        status = 422
    return render(
        request, "accounts/totp_verify.html", {"form": form, "next": _next_url(request)}, status=status
    )


@login_required
@require_GET
def security(request: HttpRequest) -> HttpResponse:
    """The person's security page: the second factor on, being set up, or off."""
    user = request.user
    device = confirmed_device(user)
    context: dict[str, Any] = {
        "device": device,
        "required": owner_must_use_totp(user),
        "form": TOTPCodeForm(),
    }
    if device is None:
        setup = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
        if setup is not None:
            context.update(setup=setup, qr_code=qr_code_data_uri(setup), secret=secret_for_typing(setup))
    return render(request, "accounts/security.html", context)


@login_required
@require_POST
def totp_start(request: HttpRequest) -> HttpResponse:
    if confirmed_device(request.user) is None:
        unconfirmed_device(request.user)
    return redirect("account-security")


@login_required
@require_POST
def totp_confirm(request: HttpRequest) -> HttpResponse:
    """Turn the device on once the person proves it works by giving a code."""
    user = request.user
    if confirmed_device(user) is not None:
        return redirect("account-security")
    setup = unconfirmed_device(user)
    form = TOTPCodeForm(request.POST)
    if not _check_code(request, form, setup, "totp.setup"):
        context = {
            "device": None,
            "required": owner_must_use_totp(user),
            "form": form,
            "setup": setup,
            "qr_code": qr_code_data_uri(setup),
            "secret": secret_for_typing(setup),
        }
        return render(request, "accounts/security.html", context, status=422)
    setup.confirmed = True
    setup.save(update_fields=["confirmed"])
    otp_login(request, setup)
    security_event("totp.enabled", request=request)
    messages.success(request, _("Two-step sign-in is on. Next time you sign in, Suunta asks for a code."))
    return redirect("account-security")


@login_required
@require_POST
def totp_disable(request: HttpRequest) -> HttpResponse:
    """Turn the second factor off; asks for a current code, and refuses when
    the person's role requires it."""
    user = request.user
    device = confirmed_device(user)
    if device is None:
        return redirect("account-security")
    form = TOTPCodeForm(request.POST)
    if owner_must_use_totp(user):
        form.add_error(None, _("Your role as a strategy owner requires two-step sign-in."))
        ok = False
    else:
        ok = _check_code(request, form, device, "totp.disable")
    if not ok:
        context = {"device": device, "required": owner_must_use_totp(user), "form": form}
        return render(request, "accounts/security.html", context, status=422)
    TOTPDevice.objects.devices_for_user(user, confirmed=None).delete()
    security_event("totp.disabled", request=request)
    messages.success(request, _("Two-step sign-in is off."))
    return redirect("account-security")
