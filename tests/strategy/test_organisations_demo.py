"""The demo owner keeps Pietarsaari's culture and leisure sector and its
people in Suunta's own pages, without the admin and without being staff."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from demo import pietarsaari as p
from demo.loader import demo_load
from strategy.models import Membership, Organisation

pytestmark = pytest.mark.django_db


def test_demo_owner_manages_the_sector_and_its_people() -> None:
    demo_load(today=datetime.date(2026, 11, 23))
    owner = get_user_model().objects.get(username="owner")
    assert not owner.is_staff and not owner.is_superuser
    client = Client()
    assert client.login(username="owner", password="suunta-demo")
    assert reverse("organisation-index") in client.get("/").content.decode()
    tree_url = client.get(reverse("organisation-index"))["Location"]
    assert tree_url == reverse("organisation-tree", args=[p.SECTOR])
    tree = client.get(tree_url).content.decode()
    library = Organisation.objects.get(slug=p.LIBRARY)
    assert library.name in tree
    assert client.get(reverse("people-list", args=[p.SECTOR])).status_code == 200
    assert client.get(reverse("organisation-move", args=[p.LIBRARY])).status_code == 200
    response = client.post(
        reverse("person-invite", args=[p.SECTOR]),
        {
            "first_name": "Anna",
            "last_name": "Berg",
            "email": "anna.berg@example.fi",
            "organisation": library.pk,
            "role": "staff",
            "language": "sv",
        },
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user__email="anna.berg@example.fi", organisation=library).exists()
    assert len(mail.outbox) == 1
    # The seeds the owner only reads are not theirs to manage.
    assert client.get(reverse("organisation-tree", args=[p.CITY])).status_code == 404
