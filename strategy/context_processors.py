from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.http import HttpRequest

from .access import access_for
from .models import Membership, Role

# The roles that say most about a person come first in the header.
ROLE_ORDER = {Role.OWNER: 0, Role.HEAD: 1, Role.STAFF: 2, Role.VIEWER: 3}
SHOWN = 2


@dataclass
class HeaderMemberships:
    """The signed-in user's roles for the page header, read on first use only."""

    user: object

    @cached_property
    def all(self) -> list[Membership]:
        memberships = access_for(self.user).memberships
        return sorted(memberships, key=lambda m: (ROLE_ORDER.get(m.role, 9), m.organisation.path))

    @property
    def shown(self) -> list[Membership]:
        return self.all[:SHOWN]

    @property
    def more(self) -> int:
        return max(0, len(self.all) - SHOWN)


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_memberships": HeaderMemberships(user)}
