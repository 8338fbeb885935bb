from __future__ import annotations

import json
import secrets

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from jwcrypto import jwk


def wrong_jwks(request: HttpRequest) -> JsonResponse:
    """The real key's id with another key's public numbers."""
    real = jwk.JWK.from_pem(settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"].encode())
    wrong = jwk.JWK.from_pem(settings.OIDC_PROVIDER_WRONG_KEY.encode())
    key = {"alg": "RS256", "use": "sig", "kid": real.thumbprint(), **json.loads(wrong.export_public())}
    return JsonResponse({"keys": [key]})


@csrf_exempt
@require_POST
def set_person(request: HttpRequest, username: str) -> HttpResponse:
    """Create or change a person (JSON: password, email, names, groups; the
    groups replace theirs) for the tests' setup; only a request with the
    setup token may."""
    if not secrets.compare_digest(request.headers.get("X-Setup-Token", ""), settings.OIDC_PROVIDER_SETUP_TOKEN):
        return HttpResponse(status=403)
    data = json.loads(request.body)
    user, _created = User.objects.get_or_create(username=username)
    user.email = data.get("email", "")
    user.first_name = data.get("first_name", "")
    user.last_name = data.get("last_name", "")
    user.set_password(data["password"])
    user.save()
    user.groups.set([Group.objects.get_or_create(name=name)[0] for name in data.get("groups", [])])
    return HttpResponse(status=204)


urlpatterns = [
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("wrong-jwks.json", wrong_jwks),
    path("setup/people/<str:username>/", set_person),
]
