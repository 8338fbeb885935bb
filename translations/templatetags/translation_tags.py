"""Template tags that ask the translations app: may this person translate
the strategy (for its links), and what is left to translate (home page)."""

from __future__ import annotations

from typing import Any

from django import template

from strategy.access import access_for
from strategy.models import Role

from ..access import translator_strategies
from ..texts import coverage, strategy_texts

register = template.Library()

# A translator's home page counts the texts of this many strategies at most.
HOME_STRATEGIES = 10


@register.simple_tag(takes_context=True)
def may_translate(context: Any, strategy: Any) -> bool:
    """True when the signed-in user may open the strategy's translation page:
    an owner or translator role at or above the strategy's organisation (the
    rule of ``translations.access.translatable_by``), answered by the person's
    access object, which the page has read anyway."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if strategy is None or user is None:
        return False
    access = access_for(user)
    if access.is_superuser:
        return True
    if not access.has_role(Role.OWNER, Role.TRANSLATOR):
        return False
    return access.reaches(strategy.organisation, roles=(Role.OWNER, Role.TRANSLATOR))


@register.inclusion_tag("translations/_home_line.html", takes_context=True)
def translation_todo(context: Any) -> dict[str, Any]:
    """For translators: "14 texts to translate in Pietarsaaren strategia", one line per strategy."""
    request = context.get("request")
    rows = []
    if request is None or not access_for(request.user).has_role(Role.TRANSLATOR):
        # Most people translate nothing: their home page asks no more.
        return {"rows": rows}
    if request is not None and request.user.is_authenticated:
        for strategy in translator_strategies(request.user).order_by("title")[:HOME_STRATEGIES]:
            for row in coverage(strategy_texts(strategy)):
                if row.to_do:
                    rows.append({"strategy": strategy, "coverage": row})
    return {"rows": rows}
