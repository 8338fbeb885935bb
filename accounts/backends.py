from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class ThrottlingBackend(AxesStandaloneBackend):
    """axes' lockout check for every sign-in that comes with a request.

    axes refuses ``authenticate()`` calls without a request; those come from
    code, never from a browser (the test client's ``login()``, scripts), and
    there is no address to count them by, so they are left to the next backend.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
