"""The organisation tree that strategy owners keep without the admin: add,
rename, move and dissolve the nodes below the node they own.

Every view fetches the node through ``services_people.organisations_*_by``:
anyone else gets 404. htmx requests get the region they changed
(``template#partial``); plain requests a page or a redirect. Refusals keep
the convention of the plan and editor pages: 422 for invalid input, 409 for a
stale version or a change the data does not allow.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from strategy.access import access_for
from strategy.htmx import redirect_page, render_page

from .. import services_people as services
from ..models import Organisation, Role
from ..people_forms import DissolveForm, MoveForm, OrganisationForm


def get_managed_organisation(request: HttpRequest, slug: str) -> Organisation:
    """The one way these views fetch a node: 404 unless the user owns it or a node above it."""
    return get_object_or_404(services.organisations_managed_by(request.user).select_related("parent"), slug=slug)


def get_restructurable_organisation(request: HttpRequest, slug: str) -> Organisation:
    """A node the user may move or dissolve: strictly below a node they own."""
    return get_object_or_404(
        services.organisations_restructurable_by(request.user).select_related("parent"), slug=slug
    )


def owned_root(request: HttpRequest, organisation: Organisation, paths: list[str] | None = None) -> Organisation:
    """The highest node the user owns above (or at) ``organisation``: where "back" leads."""
    paths = services.owner_paths(request.user) if paths is None else paths
    return services.owned_root(organisation=organisation, paths=paths) or organisation


def done(request: HttpRequest, url: str, message: str) -> HttpResponse:
    """After a successful change: a message and the page to go to, also for htmx."""
    messages.success(request, message)
    return redirect_page(request, url)


def form_response(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """The form page, or only its form region for htmx."""
    return render_page(request, template, context, fragment="form", status=status)


@require_GET
@login_required
def organisation_index(request: HttpRequest) -> HttpResponse:
    """The nodes the user owns; with only one, its tree straight away."""
    owned = sorted(access_for(request.user).organisations(roles=(Role.OWNER,)), key=lambda org: org.path)
    # Owning a node and one below it: the upper one holds both.
    roots = [org for org in owned if not any(org.path.startswith(o.path) and org.pk != o.pk for o in owned)]
    if not roots:
        raise Http404
    if len(roots) == 1:
        return redirect("organisation-tree", roots[0].slug)
    return render(request, "strategy/people/organisation_index.html", {"roots": roots})


@require_GET
@login_required
def organisation_tree(request: HttpRequest, slug: str) -> HttpResponse:
    """The node and everything below it: kind, active or dissolved, people."""
    organisation = get_managed_organisation(request, slug)
    active_only = request.GET.get("active") == "1"
    paths = services.owner_paths(request.user)
    tree = services.organisation_tree(root=organisation, paths=paths, active_only=active_only)
    context = {
        "organisation": organisation,
        "tree": tree,
        "active_only": active_only,
        "root": owned_root(request, organisation, paths),
    }
    template = "strategy/people/organisation_tree.html"
    return render_page(request, template, context, fragment="tree")


@require_http_methods(["GET", "POST"])
@login_required
def organisation_create(request: HttpRequest, slug: str) -> HttpResponse:
    """A new node below ``slug``."""
    parent = get_managed_organisation(request, slug)
    form = OrganisationForm(request.POST or None)
    context: dict[str, Any] = {"organisation": parent, "form": form, "creating": True}
    if request.method == "POST":
        if form.is_valid():
            try:
                created = services.organisation_create(parent=parent, values=form.values(), user=request.user)
            except services.PeopleError as refused:
                context["error"] = refused.message
                return form_response(request, "strategy/people/organisation_form.html", context, status=409)
            return done(
                request,
                reverse("organisation-tree", args=[parent.slug]) + f"#org-{created.pk}",
                _("Added %(organisation)s.") % {"organisation": created},
            )
        return form_response(request, "strategy/people/organisation_form.html", context, status=422)
    return form_response(request, "strategy/people/organisation_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Rename a node (and, below the owner's own node, change its kind)."""
    organisation = get_managed_organisation(request, slug)
    with_kind = services.organisations_restructurable_by(request.user).filter(pk=organisation.pk).exists()
    form = OrganisationForm(request.POST or None, instance=organisation, with_kind=with_kind)
    context: dict[str, Any] = {"organisation": organisation, "form": form, "creating": False}
    template = "strategy/people/organisation_form.html"
    if request.method == "GET":
        return form_response(request, template, context)
    if not form.is_valid() or not form.cleaned_data.get("version"):
        if form.is_valid():
            form.add_error(None, _("The form is out of date: open it again."))
        organisation.refresh_from_db()
        return form_response(request, template, context, status=422)
    try:
        saved = services.organisation_update(
            organisation=organisation,
            values=form.values(),
            expected_version=form.cleaned_data["version"],
            user=request.user,
            labels=form.labels(),
        )
    except services.OrganisationConflictError as conflict:
        # The user's values again, on top of the version now saved.
        data = request.POST.copy()
        data["version"] = str(conflict.current.version)
        retry = OrganisationForm(data, instance=conflict.current, with_kind=with_kind)
        retry.is_valid()
        conflict.current.refresh_from_db()
        context.update(form=retry, conflict=conflict, organisation=conflict.current)
        return form_response(request, template, context, status=409)
    return done(
        request,
        reverse("organisation-tree", args=[owned_root(request, saved).slug]) + f"#org-{saved.pk}",
        _("Saved %(organisation)s.") % {"organisation": saved},
    )


@require_http_methods(["GET", "POST"])
@login_required
def organisation_move(request: HttpRequest, slug: str) -> HttpResponse:
    """Move a node, with everything below it, under another node the user manages."""
    organisation = get_restructurable_organisation(request, slug)
    targets = services.move_targets(organisation=organisation, user=request.user)
    initial = {"version": organisation.version, "parent": organisation.parent_id}
    form = MoveForm(request.POST or None, targets=targets, initial=initial)
    context: dict[str, Any] = {"organisation": organisation, "form": form}
    template = "strategy/people/organisation_move.html"
    if request.method == "GET":
        return form_response(request, template, context)
    if not form.is_valid():
        return form_response(request, template, context, status=422)
    try:
        moved = services.organisation_move(
            organisation=organisation,
            parent=form.cleaned_data["parent"],
            expected_version=form.cleaned_data["version"],
            user=request.user,
        )
    except services.OrganisationConflictError:
        context["error"] = _("Not moved: someone else changed it after you opened the page. Check it and try again.")
        return form_response(request, template, context, status=409)
    except services.PeopleError as refused:
        context["error"] = refused.message
        return form_response(request, template, context, status=409)
    return done(
        request,
        reverse("organisation-tree", args=[owned_root(request, moved).slug]) + f"#org-{moved.pk}",
        _("Moved %(organisation)s under %(parent)s.") % {"organisation": moved, "parent": form.cleaned_data["parent"]},
    )


@require_http_methods(["GET", "POST"])
@login_required
def organisation_dissolve(request: HttpRequest, slug: str) -> HttpResponse:
    """GET says what goes with the node (its active units); POST dissolves them all."""
    organisation = get_restructurable_organisation(request, slug)
    form = DissolveForm(request.POST or None, initial={"version": organisation.version})
    below = list(
        Organisation.objects.below(organisation).filter(is_active=True).exclude(pk=organisation.pk).order_by("path")
    )
    context: dict[str, Any] = {"organisation": organisation, "form": form, "below": below}
    template = "strategy/people/organisation_dissolve.html"
    if request.method == "GET":
        return form_response(request, template, context)
    if not form.is_valid():
        return form_response(request, template, context, status=422)
    try:
        dissolved = services.organisation_dissolve(
            organisation=organisation,
            on=form.cleaned_data["dissolved_on"],
            expected_version=form.cleaned_data["version"],
            user=request.user,
        )
    except services.OrganisationConflictError:
        context["error"] = _("Not dissolved: someone else changed it after you opened the page. Check it and try again.")
        return form_response(request, template, context, status=409)
    except services.PeopleError as refused:
        context["error"] = refused.message
        return form_response(request, template, context, status=409)
    return done(
        request,
        reverse("organisation-tree", args=[owned_root(request, organisation).slug]) + f"#org-{organisation.pk}",
        ngettext(
            "Dissolved %(organisation)s and %(count)d unit below it.",
            "Dissolved %(organisation)s and %(count)d units below it.",
            len(dissolved) - 1,
        )
        % {"organisation": organisation, "count": len(dissolved) - 1}
        if len(dissolved) > 1
        else _("Dissolved %(organisation)s.") % {"organisation": organisation},
    )
