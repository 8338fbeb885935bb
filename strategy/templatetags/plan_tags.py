"""Template tags of annual plans."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Q

from ..access import access_for
from ..models import AnnualPlan, Role

register = template.Library()


@register.inclusion_tag("strategy/plan_home_banner.html", takes_context=True)
def my_units_banner(context: dict[str, Any]) -> dict[str, Any]:
    """For unit heads (and strategy owners): a link to My units and straight
    to this year's plans (login → plan → save status is three clicks), and
    the plans the owner returned for changes, with the owner's comment."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    # Owners get the link too: My units lists the plans waiting for their approval.
    access = access_for(user)
    if not access.has_role(Role.HEAD, Role.OWNER):
        return {"show": False}
    if not access.has_role(Role.HEAD):
        # An owner heads no unit: the link alone (building the empty query cost 1–2 ms).
        return {"show": True, "plans": [], "returned": []}
    # One query for both lists: a returned plan may be of another year.
    current = AnnualPlan.objects.current().values("pk")
    plans = list(
        AnnualPlan.objects.headed_by(user)
        .filter(Q(pk__in=current) | Q(pk__in=AnnualPlan.objects.returned().values("pk")))
        .select_related("unit", "strategy")
        .order_by("unit__path", "-year")
    )
    returned = [plan for plan in plans if plan.status == AnnualPlan.Status.RETURNED and not plan.is_closed]
    current_plans = [plan for plan in plans if plan not in returned][:6]
    return {"show": True, "plans": current_plans, "returned": returned}


@register.filter
def person(user: Any) -> str:
    """A user's full name, else their username; a dash for nobody."""
    if user is None:
        return "\u2013"
    return user.get_full_name() or user.get_username()
