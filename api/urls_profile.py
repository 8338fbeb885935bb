"""The profile page's API token actions (outside /api/: they are pages, with CSRF)."""

from __future__ import annotations

from django.urls import path

from . import tokens

urlpatterns = [
    path("profile/api-tokens/", tokens.api_token_create_view, name="api-token-create"),
    path(
        "profile/api-tokens/<int:pk>/revoke/", tokens.api_token_revoke_view, name="api-token-revoke"
    ),
]
