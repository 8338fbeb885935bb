"""A round's life: opening it (and inviting the staff of its units by email),
following the answers while it runs, and closing it."""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, TypedDict

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from strategy.models import Membership, Organisation, Strategy

from .models import ASSESSOR_ROLES, AssessmentRound, MaturityModel, SelfAssessment

logger = logging.getLogger(__name__)


def round_open(
    *,
    model: MaturityModel,
    year: int,
    units: Iterable[Organisation],
    opens: datetime.date,
    closes: datetime.date,
    is_anonymous: bool = True,
    min_respondents: int | None = None,
) -> AssessmentRound:
    """Open a round and invite the staff of its units by email once the
    transaction has committed (so the worker sees the round)."""
    from .tasks import send_round_invitations

    round_ = AssessmentRound.objects.create(
        model=model,
        year=year,
        opens=opens,
        closes=closes,
        status=AssessmentRound.Status.OPEN,
        is_anonymous=is_anonymous,
        min_respondents=min_respondents or settings.SUUNTA_MATURITY_MIN_RESPONDENTS,
    )
    round_.units.set(units)
    send_round_invitations.delay_on_commit(round_.pk)
    return round_


def round_close(*, round_: AssessmentRound) -> None:
    """Close a round: no answers are saved after this."""
    round_.status = AssessmentRound.Status.CLOSED
    round_.save(update_fields=["status"])


def round_invitees(*, round_: AssessmentRound) -> list[tuple[Any, Organisation]]:
    """(person, unit) pairs invited to a round: active users who are staff or
    head of one of its units."""
    memberships = (
        Membership.objects.filter(
            organisation__in=round_.units.all(), role__in=ASSESSOR_ROLES, user__is_active=True
        )
        .select_related("user", "organisation")
        .order_by("organisation__path", "user__username")
    )
    seen: set[tuple[int, int]] = set()
    pairs = []
    for membership in memberships:
        key = (membership.user_id, membership.organisation_id)
        if key not in seen:
            seen.add(key)
            pairs.append((membership.user, membership.organisation))
    return pairs


def recipient_language(user: Any, strategy: Strategy) -> str:
    """The language to write to a person in: their profile's email language
    when they have set one, else the strategy's main language."""
    profile = getattr(user, "suunta_profile", None)
    own = profile.language if profile is not None else ""
    language = own or strategy.main_language or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def round_invitations_send(*, round_id: int) -> int:
    """Email every invitee of a round a link to their self-assessment, each in
    their own language. Returns the number of emails sent."""
    round_ = AssessmentRound.objects.select_related("model__strategy").get(pk=round_id)
    if round_.status != AssessmentRound.Status.OPEN:
        return 0
    strategy = round_.model.strategy
    sent = 0
    for person, unit in round_invitees(round_=round_):
        if not person.email:
            continue
        with override(recipient_language(person, strategy)):
            url = settings.SITE_URL.rstrip("/") + reverse(
                "maturity-assess", kwargs={"slug": strategy.slug, "round_id": round_.pk, "unit_slug": unit.slug}
            )
            context = {"person": person, "unit": unit, "round": round_, "strategy": strategy, "url": url}
            subject = _("Maturity self-assessment %(year)s: %(unit)s") % {"year": round_.year, "unit": unit.name}
            body = render_to_string("maturity/email/invitation.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
        sent += 1
    logger.info("Sent %s maturity invitations for round %s", sent, round_.pk)
    return sent


class UnitProgress(TypedDict):
    unit: Organisation
    submitted: int
    drafts: int
    invited: int


def round_progress(*, round_: AssessmentRound) -> list[UnitProgress]:
    """Responses per unit while a round runs: submitted (n) of invited (m)."""
    units = list(round_.units.order_by("path"))
    invited: dict[int, int] = defaultdict(int)
    for _person, unit in round_invitees(round_=round_):
        invited[unit.pk] += 1
    counts: dict[tuple[int, str], int] = {
        (unit_id, status): n
        for unit_id, status, n in SelfAssessment.objects.filter(round=round_)
        .values_list("unit_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    }
    return [
        {
            "unit": unit,
            "submitted": counts.get((unit.pk, SelfAssessment.Status.SUBMITTED), 0),
            "drafts": counts.get((unit.pk, SelfAssessment.Status.DRAFT), 0),
            "invited": invited[unit.pk],
        }
        for unit in units
    ]
