"""People in the organisations a strategy owner manages: the list, invitations,
giving and taking roles, deactivating an account, and the page where an
invited person chooses their password.

Owners see only roles on nodes they manage (``services_people.memberships_managed_by``);
anyone else gets 404 for every page here but the invitation link. Every
change is one line in the security log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordResetConfirmView
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from strategy.htmx import render_page, wants_fragment

from .. import services_people as services
from ..models import Membership, Organisation
from ..people_forms import InviteForm, RoleForm
from ..security import security_event
from .organisations import done, form_response, get_managed_organisation, owned_root

PEOPLE_PAGE_SIZE = 50


def get_person(request: HttpRequest, organisation: Organisation, pk: int) -> Any:
    """A person with a role at or below ``organisation``: 404 for anyone else."""
    people = get_user_model().objects.filter(
        memberships__in=services.memberships_managed_by(request.user).filter(
            organisation__path__startswith=organisation.path
        )
    )
    return get_object_or_404(people.distinct(), pk=pk)


@require_GET
@login_required
def people_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Everyone with a role at or below the node, with those roles, 50 a page."""
    organisation = get_managed_organisation(request, slug)
    below = Q(organisation__path__startswith=organisation.path)
    query = request.GET.get("q", "").strip()
    people = (
        get_user_model()
        .objects.filter(memberships__in=Membership.objects.filter(below))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    if query:
        people = people.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
            | Q(username__icontains=query)
        )
    page = Paginator(people, PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
    roles = Membership.objects.filter(below).select_related("organisation").order_by("organisation__path", "role")
    rows = list(
        get_user_model()
        .objects.filter(pk__in=[person.pk for person in page.object_list])
        .prefetch_related(Prefetch("memberships", queryset=roles, to_attr="roles_here"))
        .order_by("last_name", "first_name", "username")
    )
    context = {
        "organisation": organisation,
        "root": owned_root(request, organisation),
        "page": page,
        "people": rows,
        "query": query,
    }
    template = "strategy/people/people_list.html"
    return render_page(request, template, context, fragment="people")


@require_http_methods(["GET", "POST"])
@login_required
def person_invite(request: HttpRequest, slug: str) -> HttpResponse:
    """Invite someone by email into the node or a node below it."""
    organisation = get_managed_organisation(request, slug)
    targets = Organisation.objects.below(organisation).filter(is_active=True).order_by("path")
    initial = {"organisation": organisation.pk, "language": request.LANGUAGE_CODE}
    form = InviteForm(request.POST or None, organisations=targets, initial=initial)
    context: dict[str, Any] = {"organisation": organisation, "form": form}
    template = "strategy/people/person_invite.html"
    if request.method == "GET":
        return form_response(request, template, context)
    if not form.is_valid():
        return form_response(request, template, context, status=422)
    data = form.cleaned_data
    try:
        invitation = services.person_invite(
            organisation=data["organisation"],
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            role=data["role"],
            title=data["title"],
            language=data["language"],
            by=request.user,
        )
    except services.PeopleError as refused:
        context["error"] = refused.message
        return form_response(request, template, context, status=409)
    person = invitation.person
    security_event(
        "people.invite",
        request=request,
        target=person.get_username(),
        organisation=data["organisation"].slug,
        role=data["role"],
        created=invitation.created,
    )
    if invitation.membership is not None and not invitation.created:
        security_event(
            "people.role_added",
            request=request,
            target=person.get_username(),
            organisation=data["organisation"].slug,
            role=data["role"],
        )
    if invitation.created:
        message = _("Invited %(email)s: they got an email with a link to choose a password.")
    elif invitation.membership is None:
        message = _("%(email)s already had this role; they got an email about it.")
    else:
        message = _("%(email)s already has an account: the role was added and they got an email about it.")
    return done(request, reverse("person-detail", args=[slug, person.pk]), message % {"email": person.email})


def _person_context(request: HttpRequest, organisation: Organisation, person: Any, **extra: Any) -> dict[str, Any]:
    roles = list(
        services.memberships_managed_by(request.user)
        .filter(user=person)
        .select_related("organisation")
        .order_by("organisation__path", "role")
    )
    targets = Organisation.objects.below(organisation).filter(is_active=True).order_by("path")
    return {
        "organisation": organisation,
        "person": person,
        "roles": roles,
        "role_form": extra.pop("role_form", None) or RoleForm(organisations=targets, initial={"organisation": organisation.pk}),
        "is_self": person.pk == request.user.pk,
        **extra,
    }


def _roles_response(request: HttpRequest, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    template = "strategy/people/person_detail.html"
    return render_page(request, template, context, fragment="roles", status=status)


@require_GET
@login_required
def person_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A person's roles where the user manages, with forms to give and take them."""
    organisation = get_managed_organisation(request, slug)
    person = get_person(request, organisation, pk)
    return _roles_response(request, _person_context(request, organisation, person))


@require_POST
@login_required
def person_role_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = get_managed_organisation(request, slug)
    person = get_person(request, organisation, pk)
    targets = Organisation.objects.below(organisation).filter(is_active=True).order_by("path")
    form = RoleForm(request.POST, organisations=targets)
    if not form.is_valid():
        context = _person_context(request, organisation, person, role_form=form)
        return _roles_response(request, context, status=422)
    data = form.cleaned_data
    try:
        services.membership_add(
            person=person, organisation=data["organisation"], role=data["role"], title=data["title"], by=request.user
        )
    except services.PeopleError as refused:
        context = _person_context(request, organisation, person, role_form=form, error=refused.message)
        return _roles_response(request, context, status=409)
    security_event(
        "people.role_added",
        request=request,
        target=person.get_username(),
        organisation=data["organisation"].slug,
        role=data["role"],
    )
    if wants_fragment(request):
        context = _person_context(request, organisation, person, saved=_("Role added."))
        return _roles_response(request, context)
    messages.success(request, _("Role added."))
    return redirect("person-detail", slug, person.pk)


@require_POST
@login_required
def person_role_remove(request: HttpRequest, slug: str, pk: int, membership: int) -> HttpResponse:
    organisation = get_managed_organisation(request, slug)
    person = get_person(request, organisation, pk)
    role = get_object_or_404(services.memberships_managed_by(request.user).select_related("organisation"), pk=membership, user=person)
    try:
        services.membership_remove(membership=role, by=request.user)
    except services.PeopleError as refused:
        if wants_fragment(request):
            context = _person_context(request, organisation, person, error=refused.message)
            return _roles_response(request, context, status=409)
        messages.error(request, refused.message)
        return redirect("person-detail", slug, person.pk)
    security_event(
        "people.role_removed",
        request=request,
        target=person.get_username(),
        organisation=role.organisation.slug,
        role=role.role,
    )
    message = _("Removed the role %(role)s in %(organisation)s.") % {
        "role": role.get_role_display(),
        "organisation": role.organisation,
    }
    still_here = services.memberships_managed_by(request.user).filter(
        user=person, organisation__path__startswith=organisation.path
    )
    if not still_here.exists():
        # No role left here: the person's page here is gone, the list remains.
        return done(request, reverse("people-list", args=[slug]), message)
    if wants_fragment(request):
        return _roles_response(request, _person_context(request, organisation, person, saved=message))
    messages.success(request, message)
    return redirect("person-detail", slug, person.pk)


@require_http_methods(["GET", "POST"])
@login_required
def person_deactivate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """GET asks once; POST turns the account off, or, for someone who also
    works elsewhere, takes away only the roles the user manages."""
    organisation = get_managed_organisation(request, slug)
    person = get_person(request, organisation, pk)
    context = _person_context(request, organisation, person)
    template = "strategy/people/person_deactivate.html"
    if request.method == "GET":
        return form_response(request, template, context)
    try:
        result = services.person_deactivate(person=person, by=request.user)
    except services.PeopleError as refused:
        context["error"] = refused.message
        return form_response(request, template, context, status=409)
    name = person.get_full_name() or person.get_username()
    if result.deactivated:
        security_event("people.deactivated", request=request, target=person.get_username(), organisation=slug, role="")
        message = _("%(name)s can no longer sign in.") % {"name": name}
    else:
        for role in result.removed:
            security_event(
                "people.role_removed",
                request=request,
                target=person.get_username(),
                organisation=role.organisation.slug,
                role=role.role,
            )
        message = _(
            "%(name)s also works in organisations you do not manage, so their account stays active: "
            "their roles in yours were removed."
        ) % {"name": name}
    return done(request, reverse("people-list", args=[slug]), message)


class InvitationAcceptView(PasswordResetConfirmView):
    """The link in the invitation: choose a password, once. Django's reset
    view does the careful part (the token leaves the address before the form
    is shown, so it cannot leak through the Referer header)."""

    token_generator = services.invitation_token
    template_name = "strategy/people/invitation_accept.html"
    success_url = reverse_lazy("login")
    title = gettext_lazy("Choose your password")

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        # A person deactivated after being invited cannot use the link.
        return user if user is not None and user.is_active else None

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        security_event("people.password_set", request=self.request, username=self.user.get_username())
        messages.success(self.request, _("Your password is saved. Sign in with your username %(username)s.") % {
            "username": self.user.get_username()
        })
        return response


invitation_accept = InvitationAcceptView.as_view()
