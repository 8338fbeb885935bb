"""Who may translate a strategy: its owners, and translators of its
organisation or of one above it. One answer, used by every view."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from strategy.models import Role, Strategy, scope_q
from strategy.models.strategy import StrategyQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def translatable_by(user: AbstractBaseUser | AnonymousUser) -> StrategyQuerySet:
    """Strategies whose texts ``user`` may translate."""
    if not user.is_authenticated:
        return Strategy.objects.none()
    if user.is_superuser:
        return Strategy.objects.all()
    return Strategy.objects.filter(
        Q(scope_q(user, "organisation__path", roles=(Role.OWNER, Role.TRANSLATOR)))
    )


def translator_strategies(user: AbstractBaseUser | AnonymousUser) -> StrategyQuerySet:
    """Strategies that ``user`` translates by a translator role (for their home page)."""
    if not user.is_authenticated:
        return Strategy.objects.none()
    return Strategy.objects.filter(scope_q(user, "organisation__path", roles=(Role.TRANSLATOR,)))


def get_translatable_strategy(user: AbstractBaseUser | AnonymousUser, slug: str) -> Strategy:
    """The strategy ``slug`` if ``user`` may translate it; 403 for a reader of
    its drafts who may not, 404 for everyone else."""
    strategy = translatable_by(user).select_related("organisation").filter(slug=slug).first()
    if strategy is not None:
        return strategy
    if Strategy.objects.drafts_visible_to(user).filter(slug=slug).exists():
        raise PermissionDenied
    raise Http404
