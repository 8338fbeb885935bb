"""Rate limits of the API, counted in the shared "throttle" cache."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.cache import caches
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from .models import ApiToken

if TYPE_CHECKING:
    from rest_framework.views import APIView


class PersonRateThrottle(UserRateThrottle):
    """Per token when a token is used (two scripts of one person have their
    own budgets), else per signed-in person."""

    scope = "person"
    cache = caches["throttle"]

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if isinstance(request.auth, ApiToken):
            return self.cache_format % {"scope": self.scope, "ident": f"token-{request.auth.pk}"}
        return super().get_cache_key(request, view)


class AnonymousRateThrottle(AnonRateThrottle):
    scope = "anonymous"
    cache = caches["throttle"]
