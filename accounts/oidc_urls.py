"""Single sign-on URLs; they answer 404 while SUUNTA_OIDC_CLIENT_ID is unset.

The names are mozilla-django-oidc's, which its views reverse.
"""

from __future__ import annotations

from django.urls import path

from accounts.oidc import OidcCallbackView, OidcSignInView

urlpatterns = [
    path("authenticate/", OidcSignInView.as_view(), name="oidc_authentication_init"),
    path("callback/", OidcCallbackView.as_view(), name="oidc_authentication_callback"),
]
