"""The strategy editor: owners add, change, reorder and remove every part of a
strategy on its overview in edit mode, create strategies and read the history.

One view serves the page and its fragment: htmx requests get the editor
section they changed (``editor.html#region``), plain requests a page or a
redirect. Refusals keep the htmx convention of the plan pages: 422 for
invalid input, 409 for a stale version or a part in use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Model, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from strategy.htmx import wants_fragment

from .. import history
from .. import services_editor as services
from ..editor import KINDS, REGIONS, PartKind, kind_for
from ..editor_forms import PartForm, StrategyCreateForm, StrategySettingsForm
from ..models import Action, Strategy
from .versions import refuse_while_archived


def get_owned_strategy(request: HttpRequest, slug: str) -> Strategy:
    """The one way editor views fetch a strategy: 404 unless the user owns it."""
    return get_object_or_404(
        Strategy.objects.owned_by(request.user).select_related("organisation", "parent"), slug=slug
    )


def get_part(strategy: Strategy, kind: PartKind, pk: int) -> Any:
    """A part of ``kind`` of ``strategy``: 404 for a part of any other strategy."""
    return get_object_or_404(kind.of_strategy(strategy), pk=pk)


@dataclass
class Region:
    """One section of the edit mode: a kind's parts and what is open in it."""

    key: str
    kind: PartKind
    items: list[Any]
    loose: list[Any] = field(default_factory=list)
    form: PartForm | None = None
    form_kind: PartKind | None = None
    form_target: tuple[str, Any] = ("", None)
    confirm: Any = None
    confirm_kind: PartKind | None = None
    uses: list[str] = field(default_factory=list)
    removes: list[str] = field(default_factory=list)
    conflict: services.PartConflictError | None = None
    error: str = ""
    new_form: PartForm | None = None
    form_action: str = ""
    form_parent: Any = None
    form_heading: str = ""
    cancel_url: str = ""
    refresh_url: str = ""

    @property
    def dom_id(self) -> str:
        return f"region-{self.key}"

    @property
    def title(self) -> str:
        return str(self.kind.plural)

    @property
    def child_kind(self) -> PartKind | None:
        return {"goal": KINDS["objective"], "choice": KINDS["trade-off"], "focus-area": KINDS["action"]}.get(self.key)


def _region_items(strategy: Strategy, key: str) -> tuple[list[Any], list[Any]]:
    """The parts of one region in their order (children prefetched), and
    actions without a focus area for the focus-area region."""
    kind = KINDS[key]
    queryset = kind.of_strategy(strategy)
    if key == "goal":
        queryset = queryset.prefetch_related("objectives")
    elif key == "choice":
        queryset = queryset.prefetch_related("trade_offs")
    elif key == "focus-area":
        actions = Action.objects.order_by("order", "pk")
        queryset = queryset.prefetch_related(Prefetch("actions", queryset=actions))
        loose = list(Action.objects.filter(strategy=strategy, focus_area__isnull=True).order_by("order", "pk"))
        return list(queryset), loose
    return list(queryset), []


def build_region(strategy: Strategy, key: str, **state: Any) -> Region:
    """One editor section, with what the state opens in it marked on its parts:
    ``edit_form`` on the part being edited, ``confirming`` on the part being
    removed, ``new_form`` on the parent that gets a new child, and
    ``region.new_form`` for a new top-level part."""
    items, loose = _region_items(strategy, key)
    region = Region(key=key, kind=KINDS[key], items=items, loose=loose, **state)
    child_kind = region.child_kind
    for item in items:
        item.editor_children = _children(item, key)
        if child_kind is not None:
            query = f"focus_area={item.pk}" if child_kind.key == "action" else f"parent={item.pk}"
            item.add_child_url = f"{reverse('part-create', args=child_kind.url_args(strategy))}?{query}"
    form_kind, (mode, target) = region.form_kind, region.form_target
    for obj in [*items, *loose, *(child for item in items for child in item.editor_children)]:
        editing = form_kind is not None and type(obj) is form_kind.model
        if region.form is not None and mode == "edit" and editing and obj.pk == target:
            obj.edit_form = region.form
        if region.confirm is not None and type(obj) is type(region.confirm) and obj.pk == region.confirm.pk:
            obj.confirming = True
    if region.form is not None and form_kind is not None:
        if mode == "new":
            parent = next((item for item in items if target is not None and item.pk == target), None)
            if parent is not None and form_kind is child_kind and form_kind.key != "action":
                parent.new_form = region.form
            else:
                region.new_form = region.form
            region.form_action = reverse("part-create", args=form_kind.url_args(strategy))
            region.form_parent = target
            region.form_heading = _("New %(kind)s") % {"kind": form_kind.label}
        else:
            region.form_action = reverse("part-edit", args=[strategy.slug, form_kind.key, target])
            region.form_heading = _("Edit %(kind)s") % {"kind": form_kind.label}
    region.cancel_url = _editor_url(strategy, key)
    region.refresh_url = f"{reverse('editor', args=[strategy.slug])}?region={key}"
    return region


def _children(item: Any, key: str) -> list[Any]:
    if key == "goal":
        return list(item.objectives.all())
    if key == "choice":
        return list(item.trade_offs.all())
    if key == "focus-area":
        return list(item.actions.all())
    return []


def _editor_url(strategy: Strategy, region: str = "") -> str:
    url = reverse("editor", args=[strategy.slug])
    return f"{url}#region-{region}" if region else url


def _region_response(
    request: HttpRequest, strategy: Strategy, kind: PartKind, *, status: int = 200, **state: Any
) -> HttpResponse:
    region = build_region(strategy, kind.region_key, **state)
    return render(request, "strategy/editor/editor.html#region", {"strategy": strategy, "region": region}, status=status)


@require_GET
@login_required
def editor(request: HttpRequest, slug: str) -> HttpResponse:
    """The overview in edit mode: every section lists its parts with their controls."""
    strategy = get_owned_strategy(request, slug)
    if wants_fragment(request) and request.GET.get("region") in REGIONS and request.GET["region"] in KINDS:
        return _region_response(request, strategy, KINDS[request.GET["region"]])
    regions = [build_region(strategy, key) for key in REGIONS if key in KINDS]
    return render(request, "strategy/editor/editor.html", {"strategy": strategy, "regions": regions})


def _parent_for(request: HttpRequest, strategy: Strategy, kind: PartKind) -> Model | None:
    if kind.parent == "strategy":
        return None
    raw = request.POST.get("parent") or request.GET.get("parent") or ""
    if not raw.isdigit():
        raise Http404
    return get_object_or_404(kind.parents_of(strategy), pk=int(raw))


def _labels(form: PartForm) -> dict[str, str]:
    return {name: str(bound.label) for name, bound in form.fields.items()}


def _form_page(
    request: HttpRequest,
    strategy: Strategy,
    kind: PartKind,
    form: PartForm,
    *,
    obj: Any = None,
    parent: Model | None = None,
    status: int = 200,
    conflict: services.PartConflictError | None = None,
) -> HttpResponse:
    action = (
        reverse("part-edit", args=kind.url_args(strategy, obj))
        if obj is not None
        else reverse("part-create", args=kind.url_args(strategy))
    )
    context = {
        "strategy": strategy,
        "kind": kind,
        "form": form,
        "obj": obj,
        "parent": parent,
        "form_action": action,
        "conflict": conflict,
        "cancel_url": _editor_url(strategy, kind.region_key),
    }
    return render(request, "strategy/editor/part_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@refuse_while_archived
def part_create(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    strategy = get_owned_strategy(request, slug)
    part_kind = kind_for(kind)
    parent = _parent_for(request, strategy, part_kind)
    target = ("new", parent.pk if parent is not None else None)
    if request.method == "GET":
        initial = {}
        if part_kind.key == "action" and request.GET.get("focus_area", "").isdigit():
            initial["focus_area"] = request.GET["focus_area"]
        form = part_kind.form_class(strategy=strategy, initial=initial)
        if wants_fragment(request):
            return _region_response(request, strategy, part_kind, form=form, form_kind=part_kind, form_target=target)
        return _form_page(request, strategy, part_kind, form, parent=parent)
    form = part_kind.form_class(request.POST, strategy=strategy)
    if not form.is_valid():
        if wants_fragment(request):
            return _region_response(
                request, strategy, part_kind, status=422, form=form, form_kind=part_kind, form_target=target
            )
        return _form_page(request, strategy, part_kind, form, parent=parent, status=422)
    values, many = form.values()
    obj = services.part_create(
        kind=part_kind, strategy=strategy, parent=parent, values=values, many=many, user=request.user
    )
    if wants_fragment(request):
        return _region_response(request, strategy, part_kind)
    messages.success(request, _("Added: %(part)s") % {"part": obj})
    return redirect(_editor_url(strategy, part_kind.region_key))


@require_http_methods(["GET", "POST"])
@login_required
@refuse_while_archived
def part_edit(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    strategy = get_owned_strategy(request, slug)
    part_kind = kind_for(kind)
    obj = get_part(strategy, part_kind, pk)
    target = ("edit", obj.pk)
    if request.method == "GET":
        form = part_kind.form_class(instance=obj, strategy=strategy)
        if wants_fragment(request):
            return _region_response(request, strategy, part_kind, form=form, form_kind=part_kind, form_target=target)
        return _form_page(request, strategy, part_kind, form, obj=obj)
    form = part_kind.form_class(request.POST, instance=obj, strategy=strategy)
    if not form.is_valid() or not form.cleaned_data.get("version"):
        if form.is_valid():
            form.add_error(None, _("The form is out of date: open it again."))
        obj.refresh_from_db()
        if wants_fragment(request):
            return _region_response(
                request, strategy, part_kind, status=422, form=form, form_kind=part_kind, form_target=target
            )
        return _form_page(request, strategy, part_kind, form, obj=obj, status=422)
    values, many = form.values()
    try:
        obj = services.part_update(
            obj=obj,
            user=request.user,
            expected_version=form.cleaned_data["version"],
            values=values,
            many=many,
            labels=_labels(form),
        )
    except services.PartConflictError as conflict:
        return _conflict_response(request, strategy, part_kind, conflict)
    if wants_fragment(request):
        return _region_response(request, strategy, part_kind)
    messages.success(request, _("Saved: %(part)s") % {"part": obj})
    return redirect(_editor_url(strategy, part_kind.region_key))


def _conflict_response(
    request: HttpRequest, strategy: Strategy, kind: PartKind, conflict: services.PartConflictError
) -> HttpResponse:
    """Show who saved first, when, their values and the user's, and offer the
    user's values again on top of the new version. Nothing was saved."""
    current = conflict.current
    data = request.POST.copy()
    data["version"] = str(current.version)
    retry = kind.form_class(data, instance=current, strategy=strategy)
    retry.is_valid()
    current.refresh_from_db()
    if wants_fragment(request):
        return _region_response(
            request,
            strategy,
            kind,
            status=409,
            form=retry,
            form_kind=kind,
            form_target=("edit", current.pk),
            conflict=conflict,
        )
    return _form_page(request, strategy, kind, retry, obj=current, status=409, conflict=conflict)


def _posted_version(request: HttpRequest) -> int:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else 0


@require_POST
@login_required
@refuse_while_archived
def part_move(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    strategy = get_owned_strategy(request, slug)
    part_kind = kind_for(kind)
    obj = get_part(strategy, part_kind, pk)
    up = request.POST.get("direction") != "down"
    try:
        services.part_move(
            kind=part_kind, obj=obj, up=up, expected_version=_posted_version(request), user=request.user
        )
    except services.PartConflictError:
        error = _("Not moved: someone else changed “%(part)s” after you opened the page.") % {"part": obj}
        if wants_fragment(request):
            return _region_response(request, strategy, part_kind, status=409, error=error)
        messages.error(request, error)
        return redirect(_editor_url(strategy, part_kind.region_key))
    if wants_fragment(request):
        return _region_response(request, strategy, part_kind)
    return redirect(_editor_url(strategy, part_kind.region_key))


@require_http_methods(["GET", "POST"])
@login_required
@refuse_while_archived
def part_delete(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    """GET asks once, saying what goes with the part (or what keeps it);
    POST removes it."""
    strategy = get_owned_strategy(request, slug)
    part_kind = kind_for(kind)
    obj = get_part(strategy, part_kind, pk)
    state: dict[str, Any] = {"confirm": obj, "confirm_kind": part_kind}
    if request.method == "POST":
        try:
            services.part_delete(
                kind=part_kind, obj=obj, expected_version=_posted_version(request), user=request.user
            )
        except services.PartRefused as refused:
            return _confirm(request, strategy, part_kind, obj, status=409, uses=refused.uses, **state)
        except services.PartConflictError:
            obj.refresh_from_db()
            error = _("Not removed: someone else changed it after you opened the page. Check it and try again.")
            return _confirm(request, strategy, part_kind, obj, status=409, error=error, **state)
        if wants_fragment(request):
            return _region_response(request, strategy, part_kind)
        messages.success(request, _("Removed: %(part)s") % {"part": obj})
        return redirect(_editor_url(strategy, part_kind.region_key))
    uses = part_kind.uses(obj)
    return _confirm(request, strategy, part_kind, obj, uses=uses, **state)


def _confirm(
    request: HttpRequest, strategy: Strategy, kind: PartKind, obj: Any, *, status: int = 200, **state: Any
) -> HttpResponse:
    state["removes"] = [] if state.get("uses") else kind.removes_with(obj)
    if wants_fragment(request):
        return _region_response(request, strategy, kind, status=status, **state)
    context = {"strategy": strategy, "kind": kind, "obj": obj, "cancel_url": _editor_url(strategy, kind.region_key)}
    return render(request, "strategy/editor/confirm_delete.html", {**context, **state}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@refuse_while_archived
def strategy_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """Title, motto, period, main language, parent, purpose and introduction."""
    strategy = get_owned_strategy(request, slug)
    status, conflict = 200, None
    if request.method == "GET":
        form = StrategySettingsForm(instance=strategy, user=request.user)
    else:
        form = StrategySettingsForm(request.POST, instance=strategy, user=request.user)
        if form.is_valid() and form.cleaned_data.get("version"):
            values, _many = form.values()
            try:
                services.strategy_update(
                    strategy=strategy,
                    user=request.user,
                    expected_version=form.cleaned_data["version"],
                    values=values,
                    labels=_labels(form),
                )
            except services.PartConflictError as error:
                conflict, status = error, 409
                data = request.POST.copy()
                data["version"] = str(error.current.version)
                form = StrategySettingsForm(data, instance=error.current, user=request.user)
                form.is_valid()
            else:
                messages.success(request, _("Saved the strategy's settings."))
                return redirect(_editor_url(strategy))
        else:
            if form.is_valid():
                form.add_error(None, _("The form is out of date: open it again."))
            status = 422
        strategy.refresh_from_db()
    context = {"strategy": strategy, "form": form, "conflict": conflict, "cancel_url": _editor_url(strategy)}
    return render(request, "strategy/editor/settings.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def strategy_create(request: HttpRequest) -> HttpResponse:
    """A new strategy: blank, a copy of an earlier one, or a sub-strategy."""
    form = StrategyCreateForm(request.POST or None, user=request.user)
    if not form.fields["organisation"].queryset.exists():  # type: ignore[attr-defined]
        raise Http404
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "organisation": data["organisation"],
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "user": request.user,
        }
        if data["start"] == StrategyCreateForm.COPY:
            strategy = services.strategy_copy(source=data["source"], title=data["title"], **common)
        else:
            parent = data["parent"] if data["start"] == StrategyCreateForm.CHILD else None
            strategy = services.strategy_create(
                title=data["title"], main_language=data["main_language"], parent=parent, **common
            )
        messages.success(request, _("Created the strategy %(title)s.") % {"title": strategy.title})
        return redirect(_editor_url(strategy))
    status = 422 if request.method == "POST" else 200
    return render(request, "strategy/editor/strategy_create.html", {"form": form}, status=status)


# The history tab -------------------------------------------------------------


@require_GET
@login_required
def strategy_history(request: HttpRequest, slug: str) -> HttpResponse:
    """Every change to the strategy, its parts, indicators and maturity models,
    newest first, 50 a page, optionally of one group (``?kind=``)."""
    strategy = get_owned_strategy(request, slug)
    groups = dict(history.GROUPS)
    group = request.GET.get("kind", "")
    if group not in groups:
        group = ""
    paginator = Paginator(history.history_rows(strategy, group=group), history.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "strategy": strategy,
        "page": page,
        "entries": history.history_entries(list(page.object_list)),
        "groups": history.GROUPS,
        "group": group,
    }
    return render(request, "strategy/editor/history.html", context)
