"""Annual action plans: a head's units, the plan page with inline editing,
item history and comments, approval, export and print.

Every plan or item id from the URL is looked up through
``AnnualPlan.objects.visible_to(user)``: a user who may not see the plan
gets 404. What the user may do with a plan they see (edit, comment,
approve) is answered by the other querysets; a refusal is 403 and changes
nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from strategy.htmx import render_page, wants_fragment

from .. import clock, services, spreadsheets
from ..forms import ActionFilterForm, CommentForm, PlanCreateForm, PlanItemForm, ReturnForm
from ..fragments import (
    CSRF_SLOT,
    cached,
    cached_rows,
    data_stamp,
    fragment_key,
    reader_key,
    stamp_for,
    stamp_parts,
    with_csrf,
)
from ..models import (
    AnnualPlan,
    DataStamp,
    FocusArea,
    Organisation,
    PlanComment,
    PlanItem,
    ProgressUpdate,
    Role,
    Rollup,
    Strategy,
    plan_rights,
    scope_q,
)
from ..security import security_event
from .overview import get_strategy_for_user


@dataclass
class PlanPermissions:
    """What the current user may do with one plan they can see."""

    edit: bool
    comment: bool
    decide: bool

    @classmethod
    def of(cls, user: Any, plan: AnnualPlan) -> PlanPermissions:
        edit, comment, decide = plan_rights(user, plan)
        return cls(edit=edit, comment=comment, decide=decide)


def current_year(strategy: Strategy | None = None) -> int:
    """This year by the clock, kept within the strategy's period (``clock.current_year``)."""
    return clock.current_year(strategy)


def get_plan_for_user(request: HttpRequest, pk: int, *, stamped: bool = False) -> AnnualPlan:
    """The one way views fetch a plan by a user-supplied id: 404 if unseen.
    With ``stamped``, the plans' and the people's data stamps come with it
    (``plans_stamp``, ``people_stamp``), read in the same query as the plan."""
    plans = AnnualPlan.objects.visible_to(request.user).select_related(
        "strategy__content_stamp", "strategy__organisation", "unit", "approved_by"
    )
    if stamped:
        plans = plans.annotate(
            plans_stamp=DataStamp.value_of("plans"), people_stamp=DataStamp.value_of("people")
        )
    return get_object_or_404(plans, pk=pk)


def get_item_for_user(request: HttpRequest, pk: int) -> PlanItem:
    """The one way views fetch a plan item by a user-supplied id: 404 if its plan is unseen."""
    return get_object_or_404(
        PlanItem.objects.filter(plan__in=AnnualPlan.objects.visible_to(request.user)).select_related(
            "plan__strategy__organisation", "plan__unit", "action__focus_area", "updated_by", "carried_from__plan"
        ),
        pk=pk,
    )


def _items(plan: AnnualPlan) -> QuerySet[PlanItem]:
    return (
        plan.items.select_related("action__focus_area", "action__goal", "updated_by", "carried_from__plan")
        .with_last_update()
        .annotate(n_comments=Count("comments"))
        .order_by("action__focus_area__order", "action__focus_area__number", "order", "pk")
    )


def _plan_rollup_rows(plan: AnnualPlan) -> list[tuple[str, Rollup]]:
    """A roll-up per focus area of the plan (two queries, whatever the size)."""
    by_area = plan.items.rollup_by("action__focus_area")
    if set(by_area) <= {None}:
        return []
    areas = {area.pk: str(area) for area in FocusArea.objects.filter(pk__in=[k for k in by_area if k])}
    rows = [(areas[key], rollup) for key, rollup in by_area.items() if key is not None]
    rows.sort(key=lambda row: row[0])
    if None in by_area:
        rows.append((_("Other actions"), by_area[None]))
    return rows


def strategy_rollup_context(request: HttpRequest, strategy: Strategy) -> dict[str, Any]:
    """The strategy overview's progress section: the whole strategy and each
    focus area, from the statuses of the items of this year's plans the user may see."""
    year = current_year(strategy)
    return {**_strategy_year_rollup(request, strategy, year), "rollup_year": year}


def _row_context(item: PlanItem, perms: PlanPermissions, plan: AnnualPlan, **extra: Any) -> dict[str, Any]:
    """A row of the plan page. The inline status and progress fields are
    written out by the template from the item; a bound ``PlanItemForm`` is
    attached (as ``item.quick_form``) only to a row coming back with errors
    or a conflict. A form per row was 40 % of the page's time at 40 items."""
    return {"item": item, "perms": perms, "plan": plan, "status_choices": _status_choices(), **extra}


def _status_choices() -> list[tuple[str, str]]:
    """The item statuses with their labels translated once per page, not once per row."""
    return [(value, str(label)) for value, label in PlanItem.Status.choices]


@require_GET
@login_required
def my_units(request: HttpRequest) -> HttpResponse:
    """A unit head's home: this year's plans of their units with a roll-up,
    stale items, deadlines and approval state; plans waiting for an owner.

    The page shows nothing but what the person's memberships reach, so it
    is kept in the fragment cache by them, the day and what it shows: the
    plans (and their items, updates and comments), every strategy's content
    (titles, periods, statuses, actions) and the organisations. The stamps
    are read in one query before the data."""
    today = clock.today()
    key = fragment_key(
        "my-units",
        today,
        _stale_days(),
        *stamp_parts([], data_stamp("plans"), data_stamp("content")),
        reader_key(request.user),
    )
    content = cached(key, lambda: render_to_string("strategy/my_units.html#content", _my_units_context(request, today)))
    return render(request, "strategy/my_units.html", {"content": content})


def _my_units_context(request: HttpRequest, today: datetime.date) -> dict[str, Any]:
    user = request.user
    # Each strategy's current year, kept inside its period (clock.current_year).
    plans = list(
        AnnualPlan.objects.headed_by(user)
        .current()
        .select_related("strategy", "unit")
        .with_status_counts()
        .order_by("unit__path", "strategy__title")
    )
    for plan in plans:
        plan.rollup = plan.rollup_from_annotations()  # type: ignore[attr-defined]
    returned = list(
        AnnualPlan.objects.headed_by(user).returned().select_related("strategy", "unit").order_by("unit__path", "-year")
    )
    stale = list(
        PlanItem.objects.stale(today=today)
        .filter(plan__in=AnnualPlan.objects.headed_by(user))
        .select_related("plan__unit", "action")
        .order_by("last_update_on", "pk")[:50]
    )
    units = list(
        Organisation.objects.active()
        .filter(scope_q(user, "path", roles=(Role.HEAD,)))
        .exclude(kind__in=[Organisation.Kind.CITY, Organisation.Kind.SECTOR])
        .order_by("path")
    )
    planned = {(plan.unit_id, plan.strategy_id) for plan in plans}
    # Plans are still to create only in a strategy whose period is running.
    strategies = list(
        Strategy.objects.visible_to(user)
        .filter(period_start__lte=today.year, period_end__gte=today.year)
        .exclude(status=Strategy.Status.ARCHIVED)
        .select_related("organisation")
    )
    missing = [
        (unit, strategy)
        for unit in units
        for strategy in strategies
        if unit.path.startswith(strategy.organisation.path) and (unit.pk, strategy.pk) not in planned
    ]
    years = {plan.year for plan in plans} | {clock.current_year(strategy) for _unit, strategy in missing}
    waiting = list(
        AnnualPlan.objects.approvable_by(user)
        .filter(status=AnnualPlan.Status.SUBMITTED)
        .select_related("strategy", "unit")
        .order_by("submitted_at")
    )
    return {
        "plans": plans,
        "returned": returned,
        "stale_items": stale,
        "stale_days": _stale_days(),
        "missing": missing,
        "waiting": waiting,
        # One heading year when every plan shown is of the same year.
        "year": years.pop() if len(years) == 1 else None,
    }


def _stale_days() -> int:
    return settings.SUUNTA_STALE_ITEM_DAYS


@require_GET
@login_required
def plan_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Per-unit table of one year's plans of a strategy, with their roll-ups."""
    strategy = get_strategy_for_user(request, slug)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = current_year(strategy)
    if year not in strategy.years:
        year = current_year(strategy)
    # Everything below the year's navigation is kept in the fragment cache
    # by what it shows: the strategy's content (focus areas), the
    # organisations (unit names), the plans and their items, the day (a
    # deadline passes) and the reader's reach (which plans they see, what
    # they may do). The stamps are read before the data.
    key = fragment_key(
        "plan-list",
        strategy.pk,
        year,
        clock.today(),
        stamp_for(strategy, data_stamp("plans")),
        reader_key(request.user),
    )
    context = {
        "strategy": strategy,
        "year": year,
        **cached(key, lambda: _plan_list_context(request, strategy, year)),
    }
    return render_page(request, "strategy/plan_list.html", context, fragment="plan-table")


def _plan_list_context(request: HttpRequest, strategy: Strategy, year: int) -> dict[str, Any]:
    """The plan list's data and its table as HTML (``plan_table``), for the cache."""
    plans = list(
        AnnualPlan.objects.visible_to(request.user)
        .filter(strategy=strategy, year=year)
        .select_related("unit", "approved_by")
        .with_status_counts()
        .order_by("unit__path")
    )
    for plan in plans:
        plan.rollup = plan.rollup_from_annotations()  # type: ignore[attr-defined]
    context = {
        "year": year,
        "plans": plans,
        "plan_rows": _plan_rows(plans),
        # The year's items are those of the plans just read: add their counts up.
        **_strategy_year_rollup(request, strategy, year, rollup=_rollup_of_plans(plans)),
    }
    return {
        "plan_table": render_to_string("strategy/plan_list.html#plan-table-content", context),
        "can_create": _creatable_units(request.user, strategy).exists(),
        **_year_closing_context(request, strategy, year),
    }


def _plan_rows(plans: list[AnnualPlan]) -> SafeString:
    """The plan list's rows (``plan_list.html#plan-row``), each from the row
    cache by everything it shows, read with the plans just now: the unit's
    name, the plan's status, closing, deadline and whether it is overdue
    today, and its items' counts and progress (the language is in every
    key). A row holds no form and nothing of the reader's, so one person's
    row serves everyone; a city's 120 rows took 5 ms to render."""
    template = get_template("strategy/plan_list.html#plan-row")

    def key(plan: AnnualPlan) -> tuple[object, ...]:
        rollup = plan.rollup  # type: ignore[attr-defined]
        return (
            "plan-list-row", plan.pk, plan.unit.name, plan.status, plan.is_closed, plan.deadline,
            plan.is_overdue, rollup.progress, sorted(rollup.counts.items()),
        )  # fmt: skip

    return mark_safe("".join(cached_rows(plans, key=key, render=lambda plan: template.render({"plan": plan}))))


def _rollup_of_plans(plans: list[AnnualPlan]) -> Rollup:
    """The roll-up of every item of ``plans``, from their ``with_status_counts`` annotations."""
    counts = {value: sum(getattr(plan, f"n_{value}", 0) or 0 for plan in plans) for value in PlanItem.Status.values}
    progress_sum = sum(getattr(plan, "progress_sum", 0) or 0 for plan in plans)
    return Rollup.from_counts(counts, progress_sum=progress_sum)


def _year_closing_context(request: HttpRequest, strategy: Strategy, year: int) -> dict[str, Any]:
    """Whether the year is closed (all its plans are) and whether the user may close or reopen it."""
    counts = AnnualPlan.objects.filter(strategy=strategy, year=year).aggregate(
        total=Count("pk"), closed=Count("pk", filter=Q(is_closed=True))
    )
    return {
        "year_closed": counts["total"] > 0 and counts["closed"] == counts["total"],
        "year_has_plans": counts["total"] > 0,
        "can_close_year": Strategy.objects.owned_by(request.user).filter(pk=strategy.pk).exists(),
    }


def _strategy_year_rollup(
    request: HttpRequest, strategy: Strategy, year: int, *, rollup: Rollup | None = None
) -> dict[str, Any]:
    """The roll-up of the items of the year's plans the user may see, and one
    per focus area; ``rollup`` is the first when the caller already has it."""
    items = PlanItem.objects.filter(
        plan__in=AnnualPlan.objects.visible_to(request.user).filter(strategy=strategy, year=year)
    )
    if rollup is None:
        rollup = items.rollup()
    rows: list[tuple[str, Rollup]] = []
    if rollup.total:
        by_area = items.rollup_by("action__focus_area")
        for area in FocusArea.objects.filter(strategy=strategy).order_by("order", "number"):
            if area.pk in by_area:
                rows.append((str(area), by_area[area.pk]))
        if None in by_area and rows:
            rows.append((_("Other actions"), by_area[None]))
    return {"rollup": rollup, "rollup_rows": rows}


def _creatable_units(user: Any, strategy: Strategy) -> QuerySet[Organisation]:
    """Units under the strategy's organisation that the user heads or owns."""
    return (
        Organisation.objects.active()
        .filter(scope_q(user, "path", roles=(Role.HEAD, Role.OWNER)))
        .filter(path__startswith=strategy.organisation.path)
        .exclude(pk=strategy.organisation_id)
        .order_by("path")
    )


@require_http_methods(["GET", "POST"])
@login_required
def plan_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Create a unit's plan for a year: pick actions (filtered by focus area,
    goal or responsible unit) and carry over last year's unfinished items."""
    strategy = get_strategy_for_user(request, slug)
    if strategy.status == Strategy.Status.ARCHIVED:
        raise PermissionDenied(_("The strategy is archived: no new plans can be made for it."))
    units = _creatable_units(request.user, strategy)
    if not units.exists():
        raise PermissionDenied
    filter_form = ActionFilterForm(request.GET or None, strategy=strategy)
    actions = filter_form.filter(
        strategy.actions.select_related("focus_area", "goal").order_by("focus_area__order", "order", "pk")
    )
    form_kwargs = {"strategy": strategy, "units": units, "actions": strategy.actions.all(), "default_year": current_year(strategy)}
    if request.method == "POST":
        form = PlanCreateForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                plan = services.plan_create(
                    strategy=strategy,
                    unit=form.cleaned_data["unit"],
                    year=form.cleaned_data["year"],
                    actions=form.cleaned_data["actions"],
                    deadline=form.cleaned_data["deadline"],
                    roll_over=form.cleaned_data["roll_over"],
                    user=request.user,
                )
            except services.PlanError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The plan was created as a draft."))
                return redirect("plan-detail", plan.pk)
    else:
        initial = {}
        if request.GET.get("unit", "").isdigit():
            initial["unit"] = units.filter(pk=int(request.GET["unit"])).first()
        form = PlanCreateForm(initial=initial, **form_kwargs)
    context = {
        "strategy": strategy,
        "form": form,
        "filter_form": filter_form,
        "filtered_actions": list(actions),
    }
    return render(request, "strategy/plan_create.html", context)


def _item_rows(request: HttpRequest, plan: AnnualPlan, items: list[PlanItem], perms: PlanPermissions) -> str:
    """The plan page's rows, each from the fragment cache unless what it
    shows changed: the item (its version and save time, its comments and
    latest progress update, who saved it), the strategy's content (the
    action's texts), what the reader may do and the language. Cached rows
    are the same for everyone with the same rights: the reader's CSRF token
    goes into their forms afterwards."""
    template = get_template("strategy/plan_detail.html#item-row")
    shared = {"perms": perms, "plan": plan, "status_choices": _status_choices(), "csrf_token": CSRF_SLOT}
    # Read with the plan (``get_plan_for_user``), before the items.
    content = getattr(plan.strategy, "content_stamp", None)
    if content is None:  # a strategy always has one (strategy.migrations.0010_content_stamp)
        return with_csrf("".join(template.render({**shared, "item": item}) for item in items), request)

    def key(item: PlanItem) -> tuple[object, ...]:
        person = item.updated_by
        return (
            "plan-item", item.pk, item.version, item.updated_at, item.n_comments, item.last_update_on,
            person.get_full_name() if person else "", person.username if person else "",
            content.value, perms.edit, plan.accepts_progress,
        )  # fmt: skip

    rows = cached_rows(items, key=key, render=lambda item: template.render({**shared, "item": item}))
    return with_csrf("".join(rows), request)


@require_GET
@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan page. Its header and main part are kept in the fragment cache
    by what they show: the plans (the data stamp read with the plan), the
    strategy's content and the organisations (its content stamp, read with
    the plan too), the people's names, the day, what the reader may do and
    the language; the reader's CSRF token goes into the forms afterwards.
    An htmx request for the items is answered from the data itself."""
    plan = get_plan_for_user(request, pk, stamped=True)
    perms = PlanPermissions.of(request.user, plan)
    template = "strategy/plan_detail.html"
    if wants_fragment(request):
        return render_page(request, template, _plan_context(request, plan, perms), fragment="plan-body")
    key = fragment_key(
        "plan-page",
        plan.pk,
        plan.plans_stamp,  # type: ignore[attr-defined]
        plan.people_stamp,  # type: ignore[attr-defined]
        getattr(getattr(plan.strategy, "content_stamp", None), "value", None),
        clock.today(),
        perms.edit,
        perms.comment,
        perms.decide,
    )
    page = cached(key, lambda: _plan_page(request, plan, perms))
    page = {name: with_csrf(html, request) for name, html in page.items()}
    return render(request, template, {"plan": plan, "strategy": plan.strategy, "page": page})


def _plan_context(request: HttpRequest, plan: AnnualPlan, perms: PlanPermissions) -> dict[str, Any]:
    items = list(_items(plan))
    return {
        "plan": plan,
        "strategy": plan.strategy,
        "items": items,
        "rows": _item_rows(request, plan, items, perms),
        "perms": perms,
        "rollup": plan.items.rollup(),
        "rollup_rows": _plan_rollup_rows(plan),
        "return_form": ReturnForm() if perms.decide and plan.can_be_decided else None,
        "today": clock.today(),
    }


def _plan_page(request: HttpRequest, plan: AnnualPlan, perms: PlanPermissions) -> dict[str, str]:
    """The plan page's header and main part, rendered for the cache (forms with the CSRF slot)."""
    context = {**_plan_context(request, plan, perms), "csrf_token": CSRF_SLOT}
    template = "strategy/plan_detail.html"
    return {
        "header": render_to_string(f"{template}#plan-header", context),
        "main": render_to_string(f"{template}#plan-main", context),
    }


def _row_response(
    request: HttpRequest, item: PlanItem, perms: PlanPermissions, *, status: int = 200, **extra: Any
) -> HttpResponse:
    """The item's row and, out of band, the plan's roll-up: one response, no reload."""
    plan = item.plan
    row = render_to_string(
        "strategy/plan_detail.html#item-row", _row_context(item, perms, plan, **extra), request=request
    )
    rollup = render_to_string(
        "strategy/plan_detail.html#plan-rollup",
        {"plan": plan, "rollup": plan.items.rollup(), "rollup_rows": _plan_rollup_rows(plan), "oob": True},
        request=request,
    )
    # The row is parsed in table context, where a <section> would be torn
    # apart; htmx takes out-of-band elements out of a <template> intact.
    return HttpResponse(f"{row}<template>{rollup}</template>", status=status)


def _annotated_item(item: PlanItem) -> PlanItem:
    return _items(item.plan).get(pk=item.pk)


@require_http_methods(["GET", "POST"])
@login_required
def plan_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit an item: the inline quick form (status, progress) or all fields.

    Plain requests get a page and a redirect; htmx requests get the row back
    (with the roll-up out of band), 409 on a stale version, 422 on bad input.
    """
    item = get_item_for_user(request, pk)
    plan = item.plan
    perms = PlanPermissions.of(request.user, plan)
    if not perms.edit:
        raise PermissionDenied
    if not plan.accepts_progress:
        raise PermissionDenied(_("The year is closed: the plan can no longer be changed."))
    quick = request.POST.get("quick") == "1" if request.method == "POST" else False
    if request.method == "GET":
        form = PlanItemForm(instance=item)
        if wants_fragment(request):
            return render(
                request, "strategy/plan_detail.html#item-edit-row", {"item": item, "form": form, "plan": plan}
            )
        return _item_page(request, item, form, perms)
    form = PlanItemForm(request.POST, instance=item, quick=quick)
    if not form.is_valid():
        if wants_fragment(request):
            if quick:
                item.quick_form = form  # type: ignore[attr-defined]
                return _row_response(request, _with_form(item, form), perms, status=422)
            return render(
                request,
                "strategy/plan_detail.html#item-edit-row",
                {"item": item, "form": form, "plan": plan},
                status=422,
            )
        return _item_page(request, item, form, perms, status=422)
    try:
        item = services.plan_item_update(
            item=item, user=request.user, expected_version=form.cleaned_data["version"], data=form.changes()
        )
    except services.ItemConflictError as conflict:
        return _conflict_response(request, item, form, perms, conflict, quick=quick)
    except services.PlanLockedError as error:
        form.add_error(None, error.message)
        if wants_fragment(request):
            return render(
                request, "strategy/plan_detail.html#item-edit-row", {"item": item, "form": form, "plan": plan}, status=409
            )
        return _item_page(request, item, form, perms, status=409)
    if wants_fragment(request):
        return _row_response(request, _annotated_item(item), perms, saved=True)
    messages.success(request, _("Saved: %(action)s") % {"action": item.action.title})
    return redirect(reverse("plan-detail", args=[plan.pk]) + f"#item-{item.pk}")


def _with_form(item: PlanItem, form: PlanItemForm) -> PlanItem:
    annotated = _annotated_item(item)
    annotated.quick_form = form  # type: ignore[attr-defined]
    return annotated


def _conflict_response(
    request: HttpRequest,
    item: PlanItem,
    form: PlanItemForm,
    perms: PlanPermissions,
    conflict: services.ItemConflictError,
    *,
    quick: bool,
) -> HttpResponse:
    """Show who saved first, when, their values and the user's, and offer the
    user's values again on top of the new version. Nothing was saved."""
    current = conflict.current
    data = request.POST.copy()
    data["version"] = str(current.version)
    retry = PlanItemForm(data, instance=current, quick=quick)
    retry.is_valid()
    context = {"conflict": conflict}
    if wants_fragment(request):
        if quick:
            row_item = _annotated_item(current)
            row_item.quick_form = retry  # type: ignore[attr-defined]
            return _row_response(request, row_item, perms, status=409, conflict=conflict)
        return render(
            request,
            "strategy/plan_detail.html#item-edit-row",
            {"item": current, "form": retry, "plan": current.plan, **context},
            status=409,
        )
    return _item_page(request, current, retry, perms, status=409, **context)


def _item_page(
    request: HttpRequest, item: PlanItem, form: PlanItemForm, perms: PlanPermissions, *, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {
        "item": item,
        "plan": item.plan,
        "strategy": item.plan.strategy,
        "form": form,
        "perms": perms,
        "updates": ProgressUpdate.objects.filter(item=item).select_related("author")[:20],
        **extra,
    }
    return render(request, "strategy/plan_item_edit.html", context, status=status)


@require_GET
@login_required
def plan_item_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed what and when: each historical record against the one before."""
    item = get_item_for_user(request, pk)
    records = list(item.history.select_related("history_user").order_by("history_date", "history_id"))
    rows = []
    previous = None
    fields = [*PlanItem.PROGRESS_FIELDS, *PlanItem.PLAN_FIELDS, "year_end_assessment"]
    for record in records:
        changes = []
        if previous is None:
            kind = _("Created")
        else:
            kind = _("Changed")
            delta = record.diff_against(previous, included_fields=fields)
            for change in delta.changes:
                field = PlanItem._meta.get_field(change.field)
                old, new = change.old, change.new
                if field.choices:
                    labels = dict(field.choices)
                    old, new = labels.get(old, old), labels.get(new, new)
                changes.append((field.verbose_name, old, new))
        if previous is not None and not changes:
            kind = _("Saved without changes")
        rows.append({"record": record, "kind": kind, "changes": changes})
        previous = record
    rows.reverse()
    carried_from = None
    if item.carried_from_id:
        carried_from = (
            PlanItem.objects.filter(plan__in=AnnualPlan.objects.visible_to(request.user))
            .select_related("plan")
            .filter(pk=item.carried_from_id)
            .first()
        )
    context = {
        "item": item,
        "plan": item.plan,
        "strategy": item.plan.strategy,
        "rows": rows,
        "carried_from": carried_from,
        "carried_to": PlanItem.objects.filter(
            carried_from=item, plan__in=AnnualPlan.objects.visible_to(request.user)
        ).select_related("plan"),
    }
    return render(request, "strategy/plan_item_history.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def plan_item_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """The item's comments; staff, heads and owners add to them."""
    item = get_item_for_user(request, pk)
    perms = PlanPermissions.of(request.user, item.plan)
    form = CommentForm()
    status = 200
    if request.method == "POST":
        if not perms.comment or item.plan.is_closed:
            raise PermissionDenied
        form = CommentForm(request.POST)
        if form.is_valid():
            services.plan_item_comment(item=item, user=request.user, text=form.cleaned_data["text"])
            if not wants_fragment(request):
                messages.success(request, _("Your comment was added."))
                return redirect("plan-item-comment", item.pk)
            form = CommentForm()
        else:
            status = 422
    comments = PlanComment.objects.filter(item=item).select_related("author")
    context = {
        "item": item,
        "plan": item.plan,
        "strategy": item.plan.strategy,
        "perms": perms,
        "form": form,
        "comments": comments,
    }
    template = "strategy/plan_item_comment.html"
    return render_page(request, template, context, status=status, fragment="comments")


def _decision_response(request: HttpRequest, plan: AnnualPlan, error: str | None = None) -> HttpResponse:
    """After submit/approve/return: the status panel for htmx, else a redirect."""
    if error and not wants_fragment(request):
        messages.error(request, error)
    if wants_fragment(request):
        plan = get_plan_for_user(request, plan.pk)
        perms = PlanPermissions.of(request.user, plan)
        context = {
            "plan": plan,
            "perms": perms,
            "error": error,
            "return_form": ReturnForm() if perms.decide and plan.can_be_decided else None,
        }
        return render(request, "strategy/plan_detail.html#plan-status", context, status=409 if error else 200)
    return redirect("plan-detail", plan.pk)


def _decide(
    request: HttpRequest,
    pk: int,
    *,
    may: Callable[[PlanPermissions], bool],
    act: Callable[[AnnualPlan], None],
    done: str,
) -> HttpResponse:
    """The shared shape of submit, approve and return: scoped lookup, permission,
    the service call (a refusal becomes the error of the status panel), a message."""
    plan = get_plan_for_user(request, pk)
    if not may(PlanPermissions.of(request.user, plan)):
        raise PermissionDenied
    try:
        act(plan)
    except services.PlanError as error:
        return _decision_response(request, plan, error.message)
    if not wants_fragment(request):
        messages.success(request, done)
    return _decision_response(request, plan)


@require_POST
@login_required
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        may=lambda perms: perms.edit,
        act=lambda plan: services.plan_submit(plan=plan, user=request.user),
        done=_("The plan was submitted for approval."),
    )


@require_POST
@login_required
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        may=lambda perms: perms.decide,
        act=lambda plan: services.plan_approve(plan=plan, user=request.user),
        done=_("The plan was approved."),
    )


@require_POST
@login_required
def plan_return(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReturnForm(request.POST)
    if not form.is_valid():
        plan = get_plan_for_user(request, pk)
        if not PlanPermissions.of(request.user, plan).decide:
            raise PermissionDenied
        return _decision_response(request, plan, " ".join(form.errors.get("comment", [])))
    return _decide(
        request,
        pk,
        may=lambda perms: perms.decide,
        act=lambda plan: services.plan_return(plan=plan, user=request.user, comment=form.cleaned_data["comment"]),
        done=_("The plan was returned to the unit with your comment."),
    )


@require_GET
@login_required
def plan_export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan as a spreadsheet, for people who live in Excel."""
    plan = get_plan_for_user(request, pk)
    security_event("export.plan", request=request, plan=plan.pk, format="xlsx")
    rows = [
        [
            str(item.action.focus_area) if item.action.focus_area_id else "",
            item.action.number,
            item.action.title,
            item.description,
            item.responsible_person,
            item.schedule,
            item.budget,
            item.get_status_display(),
            item.progress,
            item.last_update_on,
            (item.updated_by.get_full_name() or item.updated_by.username) if item.updated_by else "",
        ]
        for item in _items(plan)
    ]
    table = spreadsheets.Table(
        title=str(plan.year),
        preamble=[[f"{plan.strategy.title} - {plan.unit.name} {plan.year}"], [_("Status"), plan.get_status_display()], []],
        header=[
            _("Focus area"),
            _("Number"),
            pgettext("strategy action", "Action"),
            _("What is done this year"),
            _("Responsible person"),
            _("Schedule"),
            _("Budget (€)"),
            _("Status"),
            _("Progress (%)"),
            _("Last update"),
            _("Updated by"),
        ],
        rows=rows,
        widths=[30, 8, 50, 50, 24, 20, 14, 16, 12, 18, 20],
    )
    return spreadsheets.xlsx_response(table, filename=f"plan-{plan.unit.slug}-{plan.year}.xlsx")


@require_GET
@login_required
def plan_print(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk)
    items = _items(plan).prefetch_related(
        Prefetch("comments", queryset=PlanComment.objects.select_related("author"))
    )
    context = {
        "plan": plan,
        "items": items,
        "rollup": plan.items.rollup(),
        "printed": clock.now(),
    }
    return render(request, "strategy/plan_print.html", context)


def _owned_strategy_and_year(request: HttpRequest, slug: str, year: int) -> Strategy:
    """404 if the strategy is unseen or the year outside it; 403 if seen but not owned."""
    strategy = get_strategy_for_user(request, slug)
    if year not in strategy.years:
        raise Http404
    if not Strategy.objects.owned_by(request.user).filter(pk=strategy.pk).exists():
        raise PermissionDenied
    return strategy


def _plan_list_url(strategy: Strategy, year: int) -> str:
    return f"{reverse('plan-list', args=[strategy.slug])}?year={year}"


@require_POST
@login_required
def plan_year_close(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Close a strategy's year for every unit. The first POST (from the plan
    list) shows a confirmation form with the warning; only a POST with
    ``confirm`` closes the year, so no JavaScript dialog is needed."""
    strategy = _owned_strategy_and_year(request, slug, year)
    if request.POST.get("confirm") != "1":
        plans = AnnualPlan.objects.filter(strategy=strategy, year=year)
        context = {
            "strategy": strategy,
            "year": year,
            "n_plans": plans.count(),
            "n_open": plans.filter(is_closed=False).count(),
            "cancel_url": _plan_list_url(strategy, year),
        }
        return render(request, "strategy/plan_year_close.html", context)
    closed = services.plan_year_close(strategy=strategy, year=year, user=request.user)
    messages.success(
        request,
        ngettext(
            "Year %(year)s is closed: %(count)d plan is now read-only.",
            "Year %(year)s is closed: %(count)d plans are now read-only.",
            closed,
        )
        % {"year": year, "count": closed},
    )
    return redirect(_plan_list_url(strategy, year))


@require_POST
@login_required
def plan_year_reopen(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Reopen a closed year: plans and progress can be updated again."""
    strategy = _owned_strategy_and_year(request, slug, year)
    reopened = services.plan_year_reopen(strategy=strategy, year=year, user=request.user)
    messages.success(
        request,
        ngettext(
            "Year %(year)s is open again: %(count)d plan can be updated.",
            "Year %(year)s is open again: %(count)d plans can be updated.",
            reopened,
        )
        % {"year": year, "count": reopened},
    )
    return redirect(_plan_list_url(strategy, year))
