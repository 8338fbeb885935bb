"""Workflows of the strategy app that span several models: annual plans,
their items, approval and reminders. Views and tasks call these; they do not
check who may do what (querysets answer that before a service is called),
but they do refuse what the plan's state does not allow."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives, send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import clock, tasks
from .models import (
    Action,
    AnnualPlan,
    Membership,
    Organisation,
    PlanComment,
    PlanItem,
    ProgressUpdate,
    ReminderLog,
    Role,
    Strategy,
    scope_q,
    user_language,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

logger = logging.getLogger(__name__)


class PlanError(Exception):
    """A plan or item cannot change in its current state; ``message`` is for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PlanLockedError(PlanError):
    """The plan is submitted, approved or its year is closed."""


@dataclass
class ItemConflictError(Exception):
    """Someone else saved the item after the user loaded it (optimistic locking).

    ``current`` is the item as it is now in the database; ``attempted`` the
    values the user tried to save. Nothing was written.
    """

    current: PlanItem
    attempted: Mapping[str, Any]
    expected_version: int

    def __str__(self) -> str:
        return f"plan item {self.current.pk} is at version {self.current.version}, not {self.expected_version}"

    @property
    def changed_by(self) -> AbstractBaseUser | None:
        return self.current.updated_by

    @property
    def changed_at(self) -> datetime.datetime:
        return self.current.updated_at

    def differences(self) -> list[tuple[str, object, object]]:
        """(field label, their value, your value) for each field that differs."""
        rows = []
        for name, mine in self.attempted.items():
            if name == "note":
                continue
            theirs = getattr(self.current, name)
            if _normalise(theirs) != _normalise(mine):
                model_field = PlanItem._meta.get_field(name)
                label = model_field.verbose_name
                if getattr(model_field, "choices", None):
                    choices = dict(model_field.choices)
                    theirs, mine = choices.get(theirs, theirs), choices.get(mine, mine)
                rows.append((str(label), theirs, mine))
        return rows


def _normalise(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return str(value)


def _set_history_user(instance: object, user: AbstractBaseUser | None) -> None:
    # simple_history takes the user from the request middleware; outside a
    # request (a task, a test, the shell) it reads this attribute.
    instance._history_user = user  # type: ignore[attr-defined]


def plan_create(
    *,
    strategy: Strategy,
    unit: Organisation,
    year: int,
    actions: Iterable[Action],
    user: AbstractBaseUser,
    deadline: datetime.date | None = None,
    roll_over: bool = False,
) -> AnnualPlan:
    """A draft plan of ``unit`` for ``year`` with one item per chosen action,
    optionally with last year's unfinished items rolled over into it."""
    if year not in strategy.years:
        raise PlanError(str(_("The year is outside the strategy period.")))
    with transaction.atomic():
        if AnnualPlan.objects.filter(strategy=strategy, unit=unit, year=year).exists():
            raise PlanError(str(_("The unit already has a plan for this year.")))
        plan = AnnualPlan(strategy=strategy, unit=unit, year=year, deadline=deadline)
        _set_history_user(plan, user)
        plan.save()
        if roll_over:
            plan_roll_over(plan=plan, user=user)
        existing = set(plan.items.values_list("action_id", flat=True))
        order = len(existing)
        for action in actions:
            if action.strategy_id != strategy.pk or action.pk in existing:
                continue
            order += 1
            item = PlanItem(
                plan=plan,
                action=action,
                responsible_person=action.responsible_person,
                updated_by=user,
                order=order,
            )
            _set_history_user(item, user)
            item.save()
            existing.add(action.pk)
    return plan


def plan_roll_over(*, plan: AnnualPlan, user: AbstractBaseUser) -> list[PlanItem]:
    """Copy the unfinished items of the unit's previous plan into ``plan``.

    Status, progress and the rest travel with them, and ``carried_from``
    links each copy to the item it came from so that its history stays one
    click away. Done and cancelled items stay behind; an action already in
    the plan is not copied twice.
    """
    previous = (
        AnnualPlan.objects.filter(strategy=plan.strategy, unit=plan.unit, year__lt=plan.year)
        .order_by("-year")
        .first()
    )
    if previous is None:
        return []
    if not plan.accepts_plan_edits:
        raise PlanLockedError(str(_("Items can be added only to a draft or returned plan.")))
    taken = set(plan.items.values_list("action_id", flat=True))
    order = plan.items.count()
    created = []
    with transaction.atomic():
        for old in previous.items.exclude(status__in=PlanItem.CLOSED_STATUSES).order_by("order", "pk"):
            if old.action_id in taken:
                continue
            order += 1
            item = PlanItem(
                plan=plan,
                action_id=old.action_id,
                description=old.description,
                budget=old.budget,
                responsible_person=old.responsible_person,
                schedule=old.schedule,
                status=old.status,
                progress=old.progress,
                carried_from=old,
                updated_by=user,
                order=order,
            )
            _set_history_user(item, user)
            item.save()
            created.append(item)
    return created


def plan_item_update(
    *,
    item: PlanItem,
    user: AbstractBaseUser,
    expected_version: int,
    data: Mapping[str, Any],
) -> PlanItem:
    """Save ``data`` (field → value, plus an optional ``note``) on ``item`` if
    nobody saved it since the user loaded ``expected_version``.

    The version is claimed with a conditional UPDATE, so of two concurrent
    saves exactly one wins on any database; the loser gets
    ``ItemConflictError`` and nothing is written. The winning save goes
    through ``Model.save()`` once, so simple_history records exactly one
    row with the user, and a ProgressUpdate records the new status.
    """
    allowed = set(PlanItem.PLAN_FIELDS) | set(PlanItem.PROGRESS_FIELDS)
    unknown = set(data) - allowed - {"note"}
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    plan = AnnualPlan.objects.get(pk=item.plan_id)
    if not plan.accepts_progress:
        raise PlanLockedError(str(_("The year is closed: the plan can no longer be changed.")))
    with transaction.atomic():
        claimed = PlanItem.objects.filter(pk=item.pk, version=expected_version).update(version=F("version") + 1)
        current = PlanItem.objects.select_related("updated_by").get(pk=item.pk)
        if not claimed:
            raise ItemConflictError(current=current, attempted=dict(data), expected_version=expected_version)
        changed_plan_fields = [
            name for name in PlanItem.PLAN_FIELDS if name in data and _normalise(getattr(current, name)) != _normalise(data[name])
        ]
        if changed_plan_fields and not plan.accepts_plan_edits:
            # Rolls back the version claim too.
            raise PlanLockedError(
                str(_("The plan has been submitted or approved: only status and progress can change."))
            )
        for name, value in data.items():
            if name != "note":
                setattr(current, name, value)
        if current.status == PlanItem.Status.DONE:
            current.progress = 100
        current.updated_by = user
        _set_history_user(current, user)
        current.save()
        ProgressUpdate.objects.create(
            item=current,
            author=user,
            date=clock.today(),
            status=current.status,
            progress=current.progress,
            text=data.get("note", "") or "",
        )
    return current


def plan_item_comment(*, item: PlanItem, user: AbstractBaseUser, text: str) -> PlanComment:
    if item.plan.is_closed:
        raise PlanLockedError(str(_("The year is closed: the plan can no longer be changed.")))
    return PlanComment.objects.create(item=item, author=user, text=text.strip())


def plan_submit(*, plan: AnnualPlan, user: AbstractBaseUser) -> AnnualPlan:
    """The unit head hands the plan to the strategy owner for approval."""
    with transaction.atomic():
        plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
        if not plan.can_be_submitted:
            raise PlanLockedError(str(_("Only a draft or returned plan can be submitted.")))
        if not plan.items.exists():
            raise PlanError(str(_("Add at least one action before submitting the plan.")))
        plan.status = AnnualPlan.Status.SUBMITTED
        plan.submitted_at = clock.now()
        _set_history_user(plan, user)
        plan.save()
        _plan_event_enqueue(plan=plan, event=PlanEvent.SUBMITTED, user=user)
    return plan


def plan_approve(*, plan: AnnualPlan, user: AbstractBaseUser) -> AnnualPlan:
    with transaction.atomic():
        plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.is_closed or plan.status != AnnualPlan.Status.SUBMITTED:
            raise PlanLockedError(str(_("Only a submitted plan can be approved.")))
        plan.status = AnnualPlan.Status.APPROVED
        plan.approved_by = user
        plan.approved_at = clock.now()
        _set_history_user(plan, user)
        plan.save()
        _plan_event_enqueue(plan=plan, event=PlanEvent.APPROVED, user=user)
    return plan


def plan_return(*, plan: AnnualPlan, user: AbstractBaseUser, comment: str) -> AnnualPlan:
    """The owner sends the plan back to the unit head with a comment; it is editable again."""
    comment = comment.strip()
    if not comment:
        raise PlanError(str(_("Say what should change before returning the plan.")))
    with transaction.atomic():
        plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
        if not plan.can_be_decided:
            raise PlanLockedError(str(_("Only a submitted or approved plan can be returned.")))
        plan.status = AnnualPlan.Status.RETURNED
        plan.return_comment = comment
        plan.approved_by = None
        plan.approved_at = None
        _set_history_user(plan, user)
        plan.save()
        _plan_event_enqueue(plan=plan, event=PlanEvent.RETURNED, user=user)
    return plan


class PlanEvent(StrEnum):
    """A step of the approval workflow that someone is told about by email."""

    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


def _plan_event_enqueue(*, plan: AnnualPlan, event: PlanEvent, user: AbstractBaseUser) -> None:
    # After commit: a rolled-back decision sends nothing, and the worker
    # reads the plan as it was committed. Robust: the decision is saved, so a
    # broker that is down is logged rather than shown to the person as an error.
    plan_id, actor_id = plan.pk, user.pk
    transaction.on_commit(lambda: tasks.plan_event_notify.delay(plan_id, str(event), actor_id), robust=True)


def plan_event_recipients(*, plan: AnnualPlan, event: PlanEvent) -> list[AbstractBaseUser]:
    """Who hears of ``event``: the strategy's owners of a submitted plan, the
    unit's heads of a returned or approved one (memberships at the node or
    above it, as the querysets read them). Active people with an email only."""
    if event == PlanEvent.SUBMITTED:
        role, node = Role.OWNER, plan.strategy.organisation
    else:
        role, node = Role.HEAD, plan.unit
    user_ids = Membership.objects.filter(
        role=role, organisation_id__in=node.ancestor_ids, organisation__is_active=True
    ).values("user_id")
    return list(
        get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True)
        .exclude(email="")
        .select_related("suunta_profile")
        .order_by("pk")
    )


def plan_event_notify(*, plan_id: int, event: PlanEvent | str, actor_id: int | None = None) -> int:
    """Email the people who act next on the plan that it was submitted,
    returned (with the owner's comment) or approved, each in their own
    language, with a link to the plan. The person who acted is not told of
    their own step. Returns the number of emails sent."""
    event = PlanEvent(event)
    plan = (
        AnnualPlan.objects.select_related("strategy__organisation", "unit")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None:
        return 0
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    recipients = [user for user in plan_event_recipients(plan=plan, event=event) if user.pk != actor_id]
    url = settings.SITE_URL.rstrip("/") + reverse("plan-detail", args=[plan.pk])
    for user in recipients:
        _plan_event_email(user=user, plan=plan, event=event, actor=actor, url=url)
    return len(recipients)


def _plan_event_email(
    *, user: AbstractBaseUser, plan: AnnualPlan, event: PlanEvent, actor: AbstractBaseUser | None, url: str
) -> None:
    with translation.override(user_language(user)):
        subjects = {
            PlanEvent.SUBMITTED: gettext("Suunta: the action plan of %(unit)s %(year)s is waiting for approval"),
            PlanEvent.RETURNED: gettext("Suunta: the action plan of %(unit)s %(year)s was returned for changes"),
            PlanEvent.APPROVED: gettext("Suunta: the action plan of %(unit)s %(year)s was approved"),
        }
        subject = subjects[event] % {"unit": plan.unit.name, "year": plan.year}
        context = {"user": user, "plan": plan, "event": str(event), "actor": actor, "url": url}
        text = render_to_string("strategy/email/plan_event.txt", context)
        html = render_to_string("strategy/email/plan_event.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    message.send()


def _plan_year_set_closed(*, strategy: Strategy, year: int, user: AbstractBaseUser, closed: bool) -> int:
    """Close or reopen every plan of the strategy's year in one transaction.

    Each plan is saved once, so simple_history leaves exactly one row per
    plan that changed; plans already in the wanted state are left alone.
    Returns how many plans changed."""
    if not Strategy.objects.owned_by(user).filter(pk=strategy.pk).exists():
        raise PermissionDenied
    with transaction.atomic():
        plans = list(
            AnnualPlan.objects.select_for_update()
            .filter(strategy=strategy, year=year)
            .exclude(is_closed=closed)
            .order_by("pk")
        )
        for plan in plans:
            plan.is_closed = closed
            _set_history_user(plan, user)
            plan.save(update_fields=["is_closed"])
    return len(plans)


def plan_year_close(*, strategy: Strategy, year: int, user: AbstractBaseUser) -> int:
    """The strategy owner closes the year: its plans, items and progress become read-only."""
    return _plan_year_set_closed(strategy=strategy, year=year, user=user, closed=True)


def plan_year_reopen(*, strategy: Strategy, year: int, user: AbstractBaseUser) -> int:
    """The strategy owner reopens a closed year, e.g. to correct a late update."""
    return _plan_year_set_closed(strategy=strategy, year=year, user=user, closed=False)


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of ``day``'s week: the period of at most one reminder."""
    return day - datetime.timedelta(days=day.weekday())


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Email each unit head, at most once a week, the list of their items
    that have had no update for SUUNTA_STALE_ITEM_DAYS days. Heads with
    nothing stale, or who turned the reminders off in their profile, get
    nothing. Returns the number of emails sent.

    Idempotent: a ReminderLog row per head and week is inserted in the same
    transaction as the email is sent; a second run (or a second worker) hits
    the unique constraint and sends nothing.
    """
    today = today or clock.today()
    period = week_start(today)
    head_ids = (
        Membership.objects.filter(role=Role.HEAD, organisation__is_active=True)
        .exclude(user__email="")
        .exclude(user__in=ReminderLog.objects.filter(period_start=period).values("user"))
        .values_list("user_id", flat=True)
        .distinct()
    )
    users = (
        get_user_model()
        .objects.filter(pk__in=list(head_ids), is_active=True)
        # People without a profile have not turned reminders off.
        .exclude(suunta_profile__weekly_reminders=False)
        .select_related("suunta_profile")
    )
    sent = 0
    for user in users:
        items = list(
            PlanItem.objects.stale(today=today)
            .filter(scope_q(user, "plan__unit__path", roles=(Role.HEAD,)))
            .select_related("plan__unit", "plan__strategy", "action")
            .order_by("plan__unit__path", "plan__year", "order", "pk")
        )
        if not items:
            continue
        try:
            with transaction.atomic():
                ReminderLog.objects.create(user=user, period_start=period, item_count=len(items))
                _reminder_email(user=user, items=items)
        except IntegrityError:
            # Another run got there first this week.
            continue
        sent += 1
    return sent


def _reminder_email(*, user: AbstractBaseUser, items: list[PlanItem]) -> None:
    with translation.override(user_language(user)):
        context = {
            "user": user,
            "items": [
                (item, settings.SITE_URL.rstrip("/") + reverse("plan-item-edit", args=[item.pk])) for item in items
            ],
            "days": settings.SUUNTA_STALE_ITEM_DAYS,
            "my_units_url": settings.SITE_URL.rstrip("/") + reverse("my-units"),
        }
        subject = ngettext(
            "Suunta: %(count)d plan item needs an update",
            "Suunta: %(count)d plan items need an update",
            len(items),
        ) % {"count": len(items)}
        body = render_to_string("strategy/email/plan_reminder.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
