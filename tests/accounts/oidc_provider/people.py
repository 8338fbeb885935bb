"""People of the test provider: created or changed by the tests' setup."""

from __future__ import annotations

from django.contrib.auth.models import Group, User


def person_set(
    username: str, *, password: str, email: str = "", first_name: str = "", last_name: str = "", groups: list[str]
) -> User:
    """Create or change a person; ``groups`` replaces their groups."""
    user, _created = User.objects.get_or_create(username=username)
    user.email = email
    user.first_name = first_name
    user.last_name = last_name
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get_or_create(name=name)[0] for name in groups if name])
    return user
