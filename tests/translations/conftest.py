"""Texts of the test world to translate, and the people who may translate them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from strategy.editor import KINDS
from strategy.models import FocusArea, Role
from tests.factories import FocusAreaFactory, MembershipFactory, OrganisationFactory, UserFactory

HTMX = {"HX-Request": "true"}


@pytest.fixture
def area(world: Any) -> FocusArea:
    """A focus area with its Finnish title translated into Swedish, never marked."""
    return FocusAreaFactory(
        strategy=world.strategy,
        title_fi="Kulttuuri kuuluu kaikille",
        title_sv="Kultur för alla",
        title_en="",
    )


@pytest.fixture
def translator(world: Any) -> Any:
    """A translator of the strategy's sector."""
    user = UserFactory(username="translator")
    MembershipFactory(user=user, organisation=world.sector, role=Role.TRANSLATOR)
    return user


@pytest.fixture
def outsider_translator(world: Any) -> Any:
    """A translator of another city: must see nothing of this strategy's translations."""
    other = OrganisationFactory(name="Muu kaupunki", slug="muu", kind="city")
    user = UserFactory(username="outsider")
    MembershipFactory(user=user, organisation=other, role=Role.TRANSLATOR)
    return user


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def editor_data(strategy: Any, kind_key: str, obj: Any, **changes: str) -> dict[str, Any]:
    """What the editor's form posts for ``obj`` unchanged, with ``changes``."""
    form = KINDS[kind_key].form_class(instance=obj, strategy=strategy)
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = [str(item) for item in value] if isinstance(value, list) else str(value)
    data.update(changes)
    return data
