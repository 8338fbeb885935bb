from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from jwcrypto import jwk


def wrong_jwks(request: HttpRequest) -> JsonResponse:
    """The real key's id with another key's public numbers."""
    real = jwk.JWK.from_pem(settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"].encode())
    wrong = jwk.JWK.from_pem(settings.OIDC_PROVIDER_WRONG_KEY.encode())
    key = {"alg": "RS256", "use": "sig", "kid": real.thumbprint(), **json.loads(wrong.export_public())}
    return JsonResponse({"keys": [key]})


urlpatterns = [
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("wrong-jwks.json", wrong_jwks),
]
