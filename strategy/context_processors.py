from __future__ import annotations

from django.http import HttpRequest

from .models import Membership


def navigation(request: HttpRequest) -> dict[str, object]:
    """The signed-in user's organisations for the page header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def memberships() -> list[Membership]:
        return list(Membership.objects.for_user(user).select_related("organisation").order_by("organisation__path"))

    # Lazy: only pages that show the header pay for the query.
    return {"nav_memberships": memberships}
