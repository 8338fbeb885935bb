"""Template tags that ask the translations app: may this person translate
the strategy (for its links), and what is left to translate (home page)."""

from __future__ import annotations

from typing import Any

from django import template

from strategy.models import Organisation, Role, Strategy

from ..access import translatable_by, translator_strategies
from ..texts import coverage, strategy_texts

register = template.Library()

# A translator's home page counts the texts of this many strategies at most.
HOME_STRATEGIES = 10


@register.simple_tag(takes_context=True)
def may_translate(context: Any, strategy: Any) -> bool:
    """True when the signed-in user may open the strategy's translation page.

    Answered from the header's memberships, which the page reads anyway, so
    that the strategy's navigation costs no query of its own (the rule is
    ``access.translatable_by``: an owner or translator role at or above the
    strategy's organisation)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if strategy is None or user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    memberships = context.get("nav_memberships")
    if memberships is None:
        return translatable_by(user).filter(pk=strategy.pk).exists()
    roles = [m for m in memberships.all if m.role in (Role.OWNER, Role.TRANSLATOR)]
    if not roles:
        return False
    if Strategy.organisation.is_cached(strategy):
        path = strategy.organisation.path
    else:
        path = (
            Organisation.objects.filter(pk=strategy.organisation_id)
            .values_list("path", flat=True)
            .first()
            or ""
        )
    return any(path.startswith(m.organisation.path) for m in roles)


@register.inclusion_tag("translations/_home_line.html", takes_context=True)
def translation_todo(context: Any) -> dict[str, Any]:
    """For translators: "14 texts to translate in Pietarsaaren strategia", one line per strategy."""
    request = context.get("request")
    rows = []
    memberships = context.get("nav_memberships")
    if memberships is not None and not any(m.role == Role.TRANSLATOR for m in memberships.all):
        # Most people translate nothing: their home page asks no more.
        return {"rows": rows}
    if request is not None and request.user.is_authenticated:
        for strategy in translator_strategies(request.user).order_by("title")[:HOME_STRATEGIES]:
            for row in coverage(strategy_texts(strategy)):
                if row.to_do:
                    rows.append({"strategy": strategy, "coverage": row})
    return {"rows": rows}
