"""What every page's frame (templates/base.html) reads, at the least cost.

Every signed-in page pays for its frame, so it asks as little as it can per
request: the person's roles come from the access object (one query a request,
which the page's own scoping shares), and the parts of the frame that read the
same for everyone in a language (``_site_frame.html``: the stylesheet, the skip
link, brand and navigation, the search form, the language choice, the profile
link) are rendered once per process and language by ``SiteFrame`` instead of on
every page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from .access import access_for
from .models import Membership, Role

# The roles that say most about a person come first in the header.
ROLE_ORDER = {Role.OWNER: 0, Role.HEAD: 1, Role.STAFF: 2, Role.VIEWER: 3}
SHOWN = 2

FRAME_TEMPLATE = "_site_frame.html"
FRAME_PARTS = ("stylesheet", "header_start", "search_form", "language_choice", "profile_link")
ROLE_LABELS = dict(Role.choices)


@dataclass(frozen=True)
class HeaderRole:
    """A role as the header names it: the organisation and the role's label."""

    organisation: str
    label: str


@dataclass
class HeaderMemberships:
    """The signed-in user's roles for the page header, read on first use only."""

    user: object

    @cached_property
    def all(self) -> list[Membership]:
        memberships = access_for(self.user).memberships
        return sorted(memberships, key=lambda m: (ROLE_ORDER.get(m.role, 9), m.organisation.path))

    @property
    def shown(self) -> list[HeaderRole]:
        # The label as get_role_display() gives it, without building the field's choices again.
        return [
            HeaderRole(m.organisation.name, str(ROLE_LABELS.get(m.role, m.role)))
            for m in self.all[:SHOWN]
        ]

    @property
    def more(self) -> int:
        return max(0, len(self.all) - SHOWN)


def _render_frame(signed_in: bool) -> dict[str, SafeString]:
    context = {"signed_in": signed_in}
    return {
        name: mark_safe(get_template(f"{FRAME_TEMPLATE}#{name}").render(context))
        for name in FRAME_PARTS
    }


@cache
def _kept_frame(
    signed_in: bool, language: str, prefix: str, urlconf: str | None, root_urlconf: str
) -> dict[str, SafeString]:
    """The frame's parts, kept for the life of the process: they depend on
    the language and the URLs only (the arguments), which a running process
    does not change. ``translation.get_language()`` is ``language`` here."""
    return _render_frame(signed_in)


@dataclass(frozen=True)
class SiteFrame:
    """The parts of the page frame that are the same for everyone in a
    language, as ``{{ site_frame.<part> }}``; rendered on first use."""

    signed_in: bool

    def __getitem__(self, name: str) -> SafeString:
        if settings.DEBUG:
            # A developer's edits of the template show on the next request.
            return _render_frame(self.signed_in)[name]
        parts = _kept_frame(
            self.signed_in,
            translation.get_language(),
            get_script_prefix(),
            get_urlconf(),
            settings.ROOT_URLCONF,
        )
        return parts[name]


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"site_frame": SiteFrame(signed_in=False)}
    return {"nav_memberships": HeaderMemberships(user), "site_frame": SiteFrame(signed_in=True)}
