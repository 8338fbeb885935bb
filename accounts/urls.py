from __future__ import annotations

from django.urls import path

from . import views

# Included under /accounts/ before django.contrib.auth.urls, so that the
# throttled password reset takes the place of Django's.
urlpatterns = [
    path("password_reset/", views.ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("security/", views.security, name="account-security"),
    path("security/code/", views.totp_verify, name="totp-verify"),
    path("security/totp/start/", views.totp_start, name="totp-start"),
    path("security/totp/confirm/", views.totp_confirm, name="totp-confirm"),
    path("security/totp/disable/", views.totp_disable, name="totp-disable"),
]
