"""Who must give a one-time code after the password, and the TOTP device
that gives it.

The rule, in one place: a person who signed in with a password (not single
sign-on) and has not yet given a code in this session must give one when
they have a confirmed TOTP device, or when ``SUUNTA_OWNER_REQUIRE_TOTP`` is
on and they own a strategy (a Membership with Role.OWNER); such an owner
without a device must set one up first.
"""

from __future__ import annotations

import base64
import enum
from typing import TYPE_CHECKING

import qrcode
import qrcode.image.svg
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from strategy.access import access_for
from strategy.models import Role

if TYPE_CHECKING:
    from django.http import HttpRequest

# Set by single sign-on on the session; anything else counts as a password sign-in.
AUTH_METHOD_SESSION_KEY = "suunta_auth_method"
# Set once a session is known to owe no code, so that later requests of the
# session ask the database nothing. A role or device added during the session
# applies from the next sign-in (setting up a device verifies the session anyway).
CLEARED_SESSION_KEY = "suunta_second_factor_cleared"
DEVICE_NAME = "Suunta"


class Pending(enum.Enum):
    """What stands between a signed-in person and Suunta's pages."""

    NOTHING = "nothing"
    CODE = "code"  # has a device: give a code
    SETUP = "setup"  # must have a device and has none: set one up


def is_owner(user: object) -> bool:
    return access_for(user).has_role(Role.OWNER)


def owner_must_use_totp(user: object) -> bool:
    return bool(settings.SUUNTA_OWNER_REQUIRE_TOTP) and is_owner(user)


def confirmed_device(user: object) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_second_factor(request: HttpRequest) -> Pending:
    user = request.user
    if not user.is_authenticated or user.is_verified():  # type: ignore[union-attr]
        return Pending.NOTHING
    session = request.session
    if session.get(AUTH_METHOD_SESSION_KEY) == "oidc" or session.get(CLEARED_SESSION_KEY) == user.pk:
        return Pending.NOTHING
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        return Pending.CODE
    if owner_must_use_totp(user):
        return Pending.SETUP
    session[CLEARED_SESSION_KEY] = user.pk
    return Pending.NOTHING


def unconfirmed_device(user: object) -> TOTPDevice:
    """The device being set up: the same one until it is confirmed, so that
    reloading the page does not change the secret already scanned."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an SVG QR code in a data: URI
    on a white background (allowed by the CSP's ``img-src 'self' data:``)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=8)
    svg = image.to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
