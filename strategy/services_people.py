"""Organisations and people without the admin: the organisation tree that a
strategy owner keeps, the people in it and their roles, invitations, and
everyone's own profile.

Who may do what, in one place (the ``*_managed_by`` functions below): an
owner (a Membership with Role.OWNER on node N) manages N and everything
below it. Below N they add, edit, move and dissolve nodes; N itself they may
rename and add children to, but never move, dissolve or re-kind, since N's
place in the tree belongs to whoever owns N's parent. People and roles are
managed wherever the owner manages nodes, N included.

Views ask these functions before calling the workflows; the workflows refuse
what the data does not allow (a stale version, a move under the node's own
subtree, an owner's last owner role). Every write goes through ``save()`` or
``delete()`` with the user set, so simple_history records who did it.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .access import access_for
from .models import Membership, Organisation, Profile, Role, scope_q, user_language
from .services_editor import PartConflictError

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

# The language whose text fills the untranslated base columns (``name``).
BASE_LANGUAGE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE


class PeopleError(Exception):
    """A change the data does not allow; ``message`` is for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# The optimistic lock's conflict is the editor's: who saved, when, both values.
OrganisationConflictError = PartConflictError


# --- who may manage what ------------------------------------------------------


def organisations_managed_by(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Organisation]:
    """The nodes an owner manages: each owned node and everything below it."""
    return Organisation.objects.filter(scope_q(user, "path", roles=(Role.OWNER,)))


def organisations_restructurable_by(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Organisation]:
    """The nodes an owner may move, dissolve or change the kind of: those
    strictly below a node they own (an owned node below another owned node
    counts)."""
    paths = owner_paths(user)
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(path__startswith=path) & ~Q(path=path)
    return Organisation.objects.filter(query)


def memberships_managed_by(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Membership]:
    """The roles an owner sees, gives and takes: those on nodes they manage."""
    return Membership.objects.filter(scope_q(user, "organisation__path", roles=(Role.OWNER,)))


def owner_paths(user: AbstractBaseUser | AnonymousUser) -> list[str]:
    """The paths of the active nodes the user owns."""
    return access_for(user).paths(roles=(Role.OWNER,))


def _set_history_user(instance: object, user: AbstractBaseUser | None) -> None:
    # simple_history takes the user from the request middleware; outside a
    # request (a task, a test, the shell) it reads this attribute.
    instance._history_user = user  # type: ignore[attr-defined]


def _save(instance: Organisation, user: AbstractBaseUser | None) -> None:
    """Save in the base language, so that ``name`` holds the Finnish name (or
    the fallback) whoever's interface language is active."""
    _set_history_user(instance, user)
    with translation.override(BASE_LANGUAGE):
        instance.save()


# --- the organisation tree -------------------------------------------------------


@dataclass
class TreeNode:
    """A node of the tree page with its children and how many people it has."""

    organisation: Organisation
    people: int
    children: list[TreeNode] = field(default_factory=list)
    restructurable: bool = False


def organisation_tree(*, root: Organisation, paths: list[str], active_only: bool = False) -> TreeNode:
    """``root`` and its subtree as nested nodes, in two queries whatever its size.

    ``people`` counts the active people with a role on the node itself;
    ``paths`` are the user's ``owner_paths``, which say what they may restructure.
    """
    nodes = Organisation.objects.below(root).annotate(
        n_people=Count("memberships__user", filter=Q(memberships__user__is_active=True), distinct=True)
    )
    if active_only:
        nodes = nodes.filter(is_active=True)
    by_pk: dict[int, TreeNode] = {}
    top: TreeNode | None = None
    for organisation in nodes.order_by("path"):
        restructurable = any(
            organisation.path.startswith(path) and organisation.path != path for path in paths
        )
        node = TreeNode(organisation, organisation.n_people, restructurable=restructurable)  # type: ignore[attr-defined]
        by_pk[organisation.pk] = node
        if organisation.pk == root.pk:
            top = node
        elif organisation.parent_id in by_pk:
            by_pk[organisation.parent_id].children.append(node)
    if top is None:  # the root itself is dissolved and hidden by the filter
        top = TreeNode(root, 0)
    for node in by_pk.values():
        node.children.sort(key=lambda child: (not child.organisation.is_active, str(child.organisation).lower()))
    return top


def unique_organisation_slug(name: str) -> str:
    """A slug from ``name`` that no organisation has yet."""
    max_length = Organisation._meta.get_field("slug").max_length or 80
    base = (slugify(name.replace("\u2013", " ").replace("\u2014", " ")) or "organisation")[: max_length - 4]
    base = base.strip("-") or "organisation"
    taken = set(Organisation.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _first_name_given(values: Mapping[str, Any]) -> str:
    for code, _name in settings.LANGUAGES:
        if values.get(f"name_{code}"):
            return str(values[f"name_{code}"])
    return ""


def organisation_create(
    *, parent: Organisation, values: Mapping[str, Any], user: AbstractBaseUser
) -> Organisation:
    """A new active node under ``parent``, with a slug made from its name."""
    if not parent.is_active:
        raise PeopleError(_("A dissolved organisation cannot get new units."))
    with transaction.atomic():
        organisation = Organisation(parent=parent, slug=unique_organisation_slug(_first_name_given(values)), **values)
        _save(organisation, user)
    return organisation


def _claim(organisation: Organisation, expected_version: int) -> Organisation:
    """The locked row of ``organisation``, or a conflict if its version moved on."""
    current = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if current.version != expected_version:
        raise OrganisationConflictError(current=current, expected_version=expected_version)
    return current


def organisation_update(
    *,
    organisation: Organisation,
    values: Mapping[str, Any],
    expected_version: int,
    user: AbstractBaseUser,
    labels: Mapping[str, str] | None = None,
) -> Organisation:
    """Save ``values`` (names, kind) if nobody saved the node since ``expected_version``."""
    with transaction.atomic():
        current = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if current.version != expected_version:
            raise OrganisationConflictError(
                current=current, expected_version=expected_version, attempted=dict(values), labels=labels or {}
            )
        for name, value in values.items():
            setattr(current, name, value)
        current.version += 1
        _save(current, user)
    return current


def owned_root(*, organisation: Organisation, paths: list[str]) -> Organisation | None:
    """The highest node the user owns at or above ``organisation`` (``paths``
    from ``owner_paths``), where the way back leads; ``None`` if none."""
    above = [path for path in paths if organisation.path.startswith(path)]
    if not above:
        return None
    top = int(min(above, key=len).rstrip("/").rsplit("/", 1)[-1])
    return organisation if top == organisation.pk else Organisation.objects.get(pk=top)


def move_targets(*, organisation: Organisation, user: AbstractBaseUser) -> QuerySet[Organisation]:
    """Where an owner may move ``organisation``: active nodes they manage,
    outside its own subtree."""
    return (
        organisations_managed_by(user)
        .filter(is_active=True)
        .exclude(path__startswith=organisation.path)
        .order_by("path")
    )


def organisation_move(
    *, organisation: Organisation, parent: Organisation, expected_version: int, user: AbstractBaseUser
) -> Organisation:
    """Move ``organisation`` with its whole subtree under ``parent``.

    One transaction: the node, its subtree and the new parent are locked, and
    every path of the subtree is rewritten (``Organisation.save``); if any
    write fails, no path has changed.
    """
    with transaction.atomic():
        current = _claim(organisation, expected_version)
        target = Organisation.objects.select_for_update().get(pk=parent.pk)
        if target.path.startswith(current.path):
            raise PeopleError(_("An organisation cannot be moved under itself or under one of its own units."))
        if not target.is_active:
            raise PeopleError(_("An organisation cannot be moved under a dissolved one."))
        if current.parent_id == target.pk:
            return current
        list(Organisation.objects.select_for_update().filter(path__startswith=current.path))
        current.parent = target
        current.version += 1
        _save(current, user)
    return current


def organisation_dissolve(
    *, organisation: Organisation, on: datetime.date, expected_version: int, user: AbstractBaseUser
) -> list[Organisation]:
    """Dissolve ``organisation`` and every active node below it, in one go.

    Nothing is deleted: plans, strategies and indicators keep their rows and
    their history; the people's roles there simply stop giving access
    (``Membership.objects.for_user`` skips dissolved nodes). Returns the
    nodes dissolved, the organisation first.
    """
    with transaction.atomic():
        current = _claim(organisation, expected_version)
        if not current.is_active:
            raise PeopleError(_("The organisation has already been dissolved."))
        nodes = list(
            Organisation.objects.select_for_update().filter(path__startswith=current.path, is_active=True).order_by("path")
        )
        for node in nodes:
            node.is_active = False
            node.dissolved_on = on
            node.version += 1
            _save(node, user)
    return nodes


# --- people ----------------------------------------------------------------------


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """One-time links to set the first password. A salt of its own, so that an
    invitation link is no password-reset link and the other way round; like
    those, it stops working once the password changes or after
    PASSWORD_RESET_TIMEOUT."""

    key_salt = "strategy.services_people.InvitationTokenGenerator"


invitation_token = InvitationTokenGenerator()


def invitation_url(person: AbstractBaseUser) -> str:
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    path = reverse("invitation-accept", args=[uid, invitation_token.make_token(person)])
    return settings.SITE_URL.rstrip("/") + path


@dataclass
class Invitation:
    """What an invitation did: ``created`` a new account or not, the role it
    gave (``None`` if the person already had it) and which email went out."""

    person: Any
    created: bool
    membership: Membership | None
    email: str  # "invitation" or "notice"


def _outside_scope_count(person: AbstractBaseUser, by: AbstractBaseUser) -> int:
    """How many of ``person``'s roles lie outside what ``by`` manages."""
    return Membership.objects.filter(user=person).exclude(pk__in=memberships_managed_by(by).values("pk")).count()


def _username_for(email: str) -> str:
    user_model = get_user_model()
    max_length = user_model._meta.get_field("username").max_length or 150
    base = email.lower()[: max_length - 4]
    username, n = base, 1
    while user_model.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def person_invite(
    *,
    organisation: Organisation,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    title: str,
    language: str,
    by: AbstractBaseUser,
) -> Invitation:
    """Give the person with ``email`` a role in ``organisation``.

    A new address gets an account without a usable password and an email, in
    ``language``, with a one-time link to choose one. An address that already
    has an account gets the role added (never a second account) and a notice
    in their own language; one who never signed in gets a fresh invitation
    link instead, as the first may be lost (a password reset would not reach
    an account without a usable password). A deactivated account is
    reactivated only if every role it has lies in what ``by`` manages, the
    same rule as deactivating it.
    """
    user_model = get_user_model()
    email = user_model.objects.normalize_email(email).strip()
    with transaction.atomic():
        existing = list(user_model.objects.select_for_update().filter(email__iexact=email)[:2])
        if len(existing) > 1:
            raise PeopleError(_("Several accounts use this email address. Ask an administrator to add the role."))
        created = not existing
        if created:
            person = user_model(
                username=_username_for(email), email=email, first_name=first_name, last_name=last_name
            )
            person.set_unusable_password()
            person.save()
            Profile.objects.update_or_create(user=person, defaults={"language": language})
        else:
            person = existing[0]
            if not person.is_active:
                if person.is_superuser or person.is_staff or _outside_scope_count(person, by):
                    raise PeopleError(
                        _("This person's account has been deactivated. Ask an administrator to reactivate it.")
                    )
                person.is_active = True
                person.save(update_fields=["is_active"])
        membership = None
        if not Membership.objects.filter(user=person, organisation=organisation, role=role).exists():
            membership = Membership(user=person, organisation=organisation, role=role, title=title)
            _set_history_user(membership, by)
            membership.save()
    never_signed_in = not person.has_usable_password() and person.last_login is None
    kind = "invitation" if created or never_signed_in else "notice"
    _person_email(person=person, organisation=organisation, role=role, by=by, kind=kind)
    return Invitation(person=person, created=created, membership=membership, email=kind)


def _person_email(
    *, person: AbstractBaseUser, organisation: Organisation, role: str, by: AbstractBaseUser, kind: str
) -> None:
    """The invitation (with a set-password link) or the notice of a new role,
    in the person's language. Sent after the account and role are saved: if
    sending fails, inviting again sends a new link."""
    with translation.override(user_language(person)):
        context = {
            "person": person,
            "inviter": by.get_full_name() or by.get_username(),  # type: ignore[attr-defined]
            "organisation": organisation.name,
            "role": Role(role).label,
            "site_url": settings.SITE_URL.rstrip("/"),
            "login_url": settings.SITE_URL.rstrip("/") + reverse("login"),
            "username": person.get_username(),
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        }
        if kind == "invitation":
            context["url"] = invitation_url(person)
            subject = _("You have been invited to Suunta")
            body = render_to_string("strategy/email/invitation.txt", context)
        else:
            subject = _("Suunta: you have a new role in %(organisation)s") % {"organisation": organisation.name}
            body = render_to_string("strategy/email/role_notice.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])  # type: ignore[attr-defined]


def membership_add(
    *, person: AbstractBaseUser, organisation: Organisation, role: str, title: str, by: AbstractBaseUser
) -> Membership:
    """Give ``person`` a role; refused if they have it already."""
    if not organisation.is_active:
        raise PeopleError(_("A dissolved organisation cannot get new roles."))
    membership = Membership(user=person, organisation=organisation, role=role, title=title)
    _set_history_user(membership, by)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        raise PeopleError(_("The person already has this role there.")) from None
    return membership


def membership_remove(*, membership: Membership, by: AbstractBaseUser) -> None:
    """Take a role away. An owner cannot take away their own last owner role:
    nobody else might be left to give it back."""
    with transaction.atomic():
        if membership.user_id == by.pk and membership.role == Role.OWNER:
            others = Membership.objects.for_user(by).filter(role=Role.OWNER).exclude(pk=membership.pk)
            if not others.exists():
                raise PeopleError(_("This is your last owner role: ask another owner to remove it."))
        _set_history_user(membership, by)
        membership.delete()


@dataclass
class Deactivation:
    """``deactivated``: the account was turned off; otherwise ``removed`` are
    the roles taken away because the person also works elsewhere."""

    deactivated: bool
    removed: list[Membership]


def person_deactivate(*, person: AbstractBaseUser, by: AbstractBaseUser) -> Deactivation:
    """Turn off the account of someone who works only where ``by`` manages;
    for anyone with roles elsewhere (or an administrator) take away only the
    roles ``by`` manages, since the account is not theirs to close."""
    if person.pk == by.pk:
        raise PeopleError(_("You cannot deactivate your own account."))
    with transaction.atomic():
        in_scope = list(memberships_managed_by(by).filter(user=person).select_related("organisation"))
        if person.is_superuser or person.is_staff or _outside_scope_count(person, by):  # type: ignore[attr-defined]
            for membership in in_scope:
                _set_history_user(membership, by)
                membership.delete()
            return Deactivation(deactivated=False, removed=in_scope)
        person.is_active = False
        person.save(update_fields=["is_active"])
    return Deactivation(deactivated=True, removed=[])


# --- profile ---------------------------------------------------------------------


def profile_update(
    *,
    user: AbstractBaseUser,
    first_name: str,
    last_name: str,
    email: str,
    language: str,
    weekly_reminders: bool,
) -> Profile:
    """Save the person's own name, email and preferences."""
    with transaction.atomic():
        user.first_name = first_name  # type: ignore[attr-defined]
        user.last_name = last_name  # type: ignore[attr-defined]
        user.email = email  # type: ignore[attr-defined]
        user.save(update_fields=["first_name", "last_name", "email"])
        profile, _created = Profile.objects.update_or_create(
            user=user, defaults={"language": language, "weekly_reminders": weekly_reminders}
        )
    return profile
