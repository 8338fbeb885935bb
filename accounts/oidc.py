"""Single sign-on with a city's own OpenID Connect provider (Entra ID or another).

The rules, in the order a sign-in meets them:

1. The ID token must be signed by the provider's key (JWKS, or the client
   secret for HS256), unexpired, for this client (``aud``), from the
   configured issuer (``iss``) and carry the nonce of this sign-in.
2. The person is found by the provider's ``sub`` stored at their first
   sign-in (``ExternalIdentity``), else by email address, case-insensitively;
   an email the provider marks unverified is never used. Nobody is found and
   ``SUUNTA_OIDC_CREATE_USERS`` is off: refused. Closed (inactive) accounts:
   refused, also on every later request of a signed-in session.
3. Groups give roles (``SUUNTA_OIDC_GROUP_ROLES``: group=role@organisation).
   Every sign-in adds the roles the groups give and removes the roles that
   sign-on gave earlier and the groups no longer give (``OidcGrant``);
   memberships someone added by hand are never touched. All of it in one
   transaction.

Every sign-in and every refusal writes a security event (``login.oidc``,
``login.oidc_refused`` with a reason), and a refused person reads why on the
login page, in their language.

Endpoints come from the settings (README, "Single sign-on"); the ones not
given there are read from the issuer's discovery document on first use and
cached for the life of the process, so that starting Suunta never waits for
the provider.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from accounts.models import ExternalIdentity, OidcGrant
from strategy.models import Membership, Organisation
from strategy.security import security_event

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

logger = logging.getLogger(__name__)

# Session key the TOTP middleware reads: a provider's sign-in brings its own
# second factor, so Suunta does not ask for a TOTP code after it.
AUTH_METHOD_SESSION_KEY = "suunta_auth_method"
# Where the backend leaves the reason of a refusal for the callback view.
REFUSAL_ATTRIBUTE = "suunta_oidc_refusal"


def oidc_enabled() -> bool:
    """Single sign-on is on exactly when a client id is configured."""
    return bool(settings.OIDC_RP_CLIENT_ID)


class OidcRefused(Exception):
    """A sign-in the provider vouched for but Suunta does not let in."""

    def __init__(self, reason: str, **fields: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fields = fields


def refusal_message(reason: str) -> str:
    """What the login page tells a refused person, in the active language."""
    provider = settings.SUUNTA_OIDC_PROVIDER_NAME
    texts = {
        "unknown_person": _(
            "Suunta has no account for the person %(provider)s signed in. "
            "Ask whoever manages Suunta in your organisation to add you."
        ),
        "inactive_user": _("Your Suunta account is closed. Ask whoever manages Suunta to reopen it."),
        "no_email": _(
            "%(provider)s did not tell Suunta a verified email address, so Suunta cannot "
            "find your account. Ask whoever manages Suunta for help."
        ),
        "ambiguous_email": _(
            "More than one Suunta account has your email address. "
            "Ask whoever manages Suunta to sort this out."
        ),
        "identity_conflict": _(
            "Your Suunta account is already linked to another %(provider)s identity. "
            "Ask whoever manages Suunta for help."
        ),
        "provider_unreachable": _("%(provider)s cannot be reached right now. Try again in a moment."),
    }
    text = texts.get(
        reason,
        _("Signing in with %(provider)s did not succeed. Try again, or log in with your password."),
    )
    return text % {"provider": provider}


# --- the provider's endpoints ---------------------------------------------------


@dataclass(frozen=True)
class ProviderEndpoints:
    issuer: str
    authorization: str
    token: str
    userinfo: str
    jwks: str


_discovered: dict[str, dict[str, Any]] = {}
_discovery_lock = threading.Lock()


def provider_metadata(issuer: str) -> dict[str, Any]:
    """The issuer's discovery document, fetched once per process.

    Fetched lazily rather than at start-up so that Suunta starts (and password
    sign-in works) while the provider is down; a failed fetch is not cached.
    """
    with _discovery_lock:
        if issuer not in _discovered:
            response = requests.get(
                f"{issuer}/.well-known/openid-configuration",
                timeout=settings.OIDC_TIMEOUT,
                verify=settings.OIDC_VERIFY_SSL,
            )
            response.raise_for_status()
            metadata = response.json()
            # OpenID Connect Discovery 1.0, 4.3: the document must name the
            # issuer it was asked for, or tokens could come from someone else.
            if str(metadata.get("issuer", "")).rstrip("/") != issuer:
                raise SuspiciousOperation(
                    f"The discovery document of {issuer} names another issuer: {metadata.get('issuer')!r}"
                )
            _discovered[issuer] = metadata
        return _discovered[issuer]


def provider_endpoints() -> ProviderEndpoints:
    """The endpoints to use: explicit settings first, discovery for the rest."""
    issuer = settings.SUUNTA_OIDC_ISSUER.rstrip("/")
    explicit = {
        "authorization": settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
        "token": settings.OIDC_OP_TOKEN_ENDPOINT,
        "userinfo": settings.OIDC_OP_USER_ENDPOINT,
        "jwks": settings.OIDC_OP_JWKS_ENDPOINT,
    }
    needed = ["authorization", "token"] + (["jwks"] if settings.OIDC_RP_SIGN_ALGO != "HS256" else [])
    if issuer and any(not explicit[name] for name in needed):
        metadata = provider_metadata(issuer)
        discovered = {
            "authorization": metadata.get("authorization_endpoint", ""),
            "token": metadata.get("token_endpoint", ""),
            "userinfo": metadata.get("userinfo_endpoint", ""),
            "jwks": metadata.get("jwks_uri", ""),
        }
        explicit = {name: value or discovered[name] for name, value in explicit.items()}
    return ProviderEndpoints(issuer=issuer, **explicit)


# --- roles from groups -----------------------------------------------------------------


def oidc_memberships_sync(
    *, user: AbstractBaseUser, groups: Iterable[str]
) -> tuple[list[Membership], list[Membership]]:
    """Make the person's sign-on roles those their groups give; return (added, removed).

    Roles someone gave by hand are left alone, also when a group gives the
    same role: the membership stays the hand-made one.
    """
    mapping: dict[str, tuple[tuple[str, str], ...]] = settings.SUUNTA_OIDC_GROUP_ROLES
    wanted = {target for group in set(groups) for target in mapping.get(group, ())}
    slugs = {slug for _role, slug in wanted}
    organisations = {org.slug: org for org in Organisation.objects.filter(slug__in=slugs)}
    for slug in sorted(slugs - organisations.keys()):
        logger.warning("SUUNTA_OIDC_GROUP_ROLES names organisation %r, which does not exist", slug)
    wanted_keys = {(organisations[slug].pk, role) for role, slug in wanted if slug in organisations}

    granted = list(
        Membership.objects.filter(user=user, oidc_grant__isnull=False).select_related("organisation")
    )
    removed = [m for m in granted if (m.organisation_id, m.role) not in wanted_keys]
    if removed:
        Membership.objects.filter(pk__in=[m.pk for m in removed]).delete()

    existing = set(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
    added = []
    for organisation_id, role in sorted(wanted_keys - existing):
        membership = Membership.objects.create(user=user, organisation_id=organisation_id, role=role)
        OidcGrant.objects.create(membership=membership)
        added.append(membership)
    return added, removed


# --- the authentication backend ---------------------------------------------------------


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(item) for item in value]


class SuuntaOIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's code flow with Suunta's matching, roles and refusals."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Not the parent's __init__: it reads the endpoints, which may mean
        # discovery over the network, and Django builds every backend on each
        # password sign-in and each request of a signed-in session.
        self.UserModel = get_user_model()

    # mozilla-django-oidc reads these as attributes; they are looked up when used.
    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:
        return provider_endpoints().token

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:
        return provider_endpoints().userinfo

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:
        return provider_endpoints().jwks

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:
        return settings.OIDC_RP_CLIENT_ID

    @property
    def OIDC_RP_CLIENT_SECRET(self) -> str:
        return settings.OIDC_RP_CLIENT_SECRET

    @property
    def OIDC_RP_SIGN_ALGO(self) -> str:
        return settings.OIDC_RP_SIGN_ALGO

    OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(  # type: ignore[override]
        self, request: HttpRequest | None, *, nonce: str | None, code_verifier: str | None = None
    ) -> AbstractBaseUser | None:
        """Only the callback view's call matches this signature (``nonce``), so
        Django skips this backend for password sign-ins."""
        if request is None or not oidc_enabled():
            return None
        try:
            return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)
        except OidcRefused as refusal:
            self._refuse(request, refusal.reason, **refusal.fields)
        except (SuspiciousOperation, jwt.PyJWTError) as exc:
            self._refuse(request, "bad_token", detail=str(exc))
        except requests.RequestException as exc:
            self._refuse(request, "provider_unreachable", detail=str(exc))
        return None

    def _refuse(self, request: HttpRequest, reason: str, **fields: Any) -> None:
        setattr(request, REFUSAL_ATTRIBUTE, reason)
        security_event("login.oidc_refused", request=request, level=logging.WARNING, reason=reason, **fields)

    def get_payload_data(self, token: bytes | str, key: Any) -> dict[str, Any]:
        """The token's claims once signature, expiry, audience and issuer hold.

        mozilla-django-oidc checks the signature and expiry only.
        """
        payload = super().get_payload_data(token, key)
        audience = _as_list(payload.get("aud"))
        client_id = self.OIDC_RP_CLIENT_ID
        if client_id not in audience or (len(audience) > 1 and payload.get("azp") != client_id):
            raise SuspiciousOperation("The token was issued to another client.")
        issuer = settings.SUUNTA_OIDC_ISSUER.rstrip("/")
        if not payload.get("iss") or (issuer and str(payload["iss"]).rstrip("/") != issuer):
            raise SuspiciousOperation(f"The token comes from another issuer: {payload.get('iss')!r}")
        if not payload.get("sub"):
            raise SuspiciousOperation("The token names no subject.")
        return payload

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        """The ID token's claims, completed by the userinfo endpoint when there is one.

        Entra ID puts groups in the ID token only; other providers in userinfo.
        """
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = super().get_userinfo(access_token, id_token, payload)
            # OpenID Connect Core 5.3.2: a different sub means a substituted response.
            if str(userinfo.get("sub")) != str(payload["sub"]):
                raise SuspiciousOperation("The userinfo response is about another subject.")
            claims.update(userinfo)
        return claims

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> AbstractBaseUser:
        try:
            claims = self.get_userinfo(access_token, id_token, payload)
        except SuspiciousOperation as exc:
            # The parent would swallow it without a refusal being recorded.
            raise OidcRefused("bad_token", detail=str(exc)) from exc
        issuer = str(payload["iss"]).rstrip("/")
        subject = str(payload["sub"])
        email = str(claims.get(settings.SUUNTA_OIDC_EMAIL_CLAIM) or "").strip()
        if claims.get("email_verified") is False:
            email = ""
        groups = _as_list(claims.get(settings.SUUNTA_OIDC_GROUPS_CLAIM))
        with transaction.atomic():
            user, created = self._find_or_create(issuer=issuer, subject=subject, email=email, claims=claims)
            if not user.is_active:
                raise OidcRefused("inactive_user", issuer=issuer, subject=subject, user_id=user.pk)
            self._update_names(user, claims)
            ExternalIdentity.objects.filter(user=user, issuer=issuer).update(last_login=timezone.now())
            added, removed = oidc_memberships_sync(user=user, groups=groups)
        security_event(
            "login.oidc",
            request=self.request,
            user=user,
            issuer=issuer,
            subject=subject,
            created=created,
            roles_added=[f"{m.role}@{m.organisation.slug}" for m in added],
            roles_removed=[f"{m.role}@{m.organisation.slug}" for m in removed],
        )
        return user

    def _find_or_create(
        self, *, issuer: str, subject: str, email: str, claims: dict[str, Any]
    ) -> tuple[AbstractBaseUser, bool]:
        identity = (
            ExternalIdentity.objects.select_related("user")
            .filter(issuer=issuer, subject=subject)
            .first()
        )
        if identity is not None:
            return identity.user, False
        if not email:
            raise OidcRefused("no_email", issuer=issuer, subject=subject)
        users = list(self.UserModel.objects.filter(email__iexact=email)[:2])
        if len(users) > 1:
            raise OidcRefused("ambiguous_email", issuer=issuer, subject=subject, email=email)
        if users:
            user, created = users[0], False
            if ExternalIdentity.objects.filter(user=user, issuer=issuer).exists():
                # The address now belongs to someone else at the provider.
                raise OidcRefused(
                    "identity_conflict", issuer=issuer, subject=subject, email=email, user_id=user.pk
                )
        elif settings.SUUNTA_OIDC_CREATE_USERS:
            user, created = self._create_user(email=email, subject=subject), True
        else:
            raise OidcRefused("unknown_person", issuer=issuer, subject=subject, email=email)
        ExternalIdentity.objects.create(user=user, issuer=issuer, subject=subject)
        return user, created

    def _create_user(self, *, email: str, subject: str) -> AbstractBaseUser:
        username = email.lower()[:150]
        if self.UserModel.objects.filter(username__iexact=username).exists():
            suffix = hashlib.sha256(subject.encode()).hexdigest()[:8]
            username = f"{username[:141]}-{suffix}"
        # No usable password: this person signs in through the provider only.
        return self.UserModel.objects.create_user(username, email=email)

    def _update_names(self, user: AbstractBaseUser, claims: dict[str, Any]) -> None:
        changed = []
        for field, claim in (("first_name", "given_name"), ("last_name", "family_name")):
            value = str(claims.get(claim) or "")[:150]
            if value and getattr(user, field, value) != value:
                setattr(user, field, value)
                changed.append(field)
        if changed:
            user.save(update_fields=changed)

    def get_user(self, user_id: Any) -> AbstractBaseUser | None:
        """The session's user, unless the account has been closed since."""
        user = super().get_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


# --- views ---------------------------------------------------------------------------------


class OidcSignInView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider; 404 while single sign-on is off."""

    def __init__(self, **kwargs: Any) -> None:
        # The parent's __init__ reads the authorization endpoint, which may
        # need discovery: done in get(), where a failure can be answered.
        View.__init__(self, **kwargs)

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:
        return settings.OIDC_RP_CLIENT_ID

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not oidc_enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_endpoints().authorization
        except (requests.RequestException, SuspiciousOperation, ValueError) as exc:
            logger.warning("Cannot read the OpenID Connect provider's endpoints: %s", exc)
            messages.error(request, refusal_message("provider_unreachable"))
            return HttpResponseRedirect(resolve_url(settings.LOGIN_URL))
        return super().get(request)


class OidcCallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back; 404 while single sign-on is off."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not oidc_enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    @property
    def failure_url(self) -> str:
        return resolve_url(settings.LOGIN_URL)

    def login_failure(self) -> HttpResponse:
        request = self.request
        reason = getattr(request, REFUSAL_ATTRIBUTE, None)
        if reason is None:
            # Refused before the backend ran: the provider answered with an
            # error (the person cancelled) or the state is not this browser's.
            reason = "provider_error" if request.GET.get("error") else "bad_state"
            security_event(
                "login.oidc_refused",
                request=request,
                level=logging.WARNING,
                reason=reason,
                error=request.GET.get("error", ""),
            )
        messages.error(request, refusal_message(reason))
        return super().login_failure()

    def login_success(self) -> HttpResponse:
        response = super().login_success()
        self.request.session[AUTH_METHOD_SESSION_KEY] = "oidc"
        return response


def axes_exempt(request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
    """Whether django-axes leaves this sign-in attempt out of its counts.

    Axes counts failed password sign-ins per username and address. A
    provider's callback guesses no password (the provider throttles its own
    sign-ins) and has no username, so every refusal from one address would
    share one counter: three refused people at a city's office would lock
    everyone there out of single sign-on.
    """
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "oidc_authentication_callback"


def oidc_sign_in(request: HttpRequest) -> dict[str, str]:
    """Template context: the provider's name for the login page's button, or
    an empty string while single sign-on is off."""
    return {"oidc_provider_name": settings.SUUNTA_OIDC_PROVIDER_NAME if oidc_enabled() else ""}
