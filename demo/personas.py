
"""Demo people: the five personas of the style guide and a few more staff so
that self-assessment distributions have enough answers to show.

They exist only when ``load_demo`` runs, which refuses to run in production
unless forced. All share the password ``suunta-demo``.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractUser

from config.settings import envbool
from strategy.models import Membership, Role

from . import heinola, helsinki, lahti, lappeenranta, pietarsaari
from .base import Loader

PASSWORD = "suunta-demo"

# username, first name, last name, [(organisation key, role, job title), …]
PERSONAS: list[tuple[str, str, str, list[tuple[str, str, str]]]] = [
    (
        "owner",
        "Sanna",
        "Lindholm",
        [
            (pietarsaari.SECTOR, Role.OWNER, "Kulttuuri- ja vapaa-aikapäällikkö"),
            # Read access to the other four seeds, including the Helsinki draft.
            (lahti.MUSEUMS, Role.VIEWER, "Vertaiskehittäjä"),
            (lappeenranta.CITY, Role.VIEWER, "Vertaiskehittäjä"),
            (helsinki.CULTURE, Role.VIEWER, "Vertaiskehittäjä"),
            (heinola.MUSEUMS, Role.VIEWER, "Vertaiskehittäjä"),
        ],
    ),
    ("head", "Mikko", "Heikkinen", [(pietarsaari.LIBRARY, Role.HEAD, "Kirjastotoimenjohtaja")]),
    ("staff", "Laura", "Nieminen", [(pietarsaari.LIBRARY, Role.STAFF, "Kirjastovirkailija")]),
    ("otherhead", "Johanna", "Björkqvist", [(pietarsaari.MUSEUM, Role.HEAD, "Museonjohtaja")]),
    (
        "viewer",
        "Pekka",
        "Mäkinen",
        [
            (
                pietarsaari.SECTOR,
                Role.VIEWER,
                "Kulttuuri- ja vapaa-aikajaoston jäsen, kaupunginvaltuutettu",
            )
        ],
    ),
    ("staff2", "Elina", "Koskinen", [(pietarsaari.LIBRARY, Role.STAFF, "Informaatikko")]),
    ("staff3", "Jussi", "Laine", [(pietarsaari.LIBRARY, Role.STAFF, "Kirjastonhoitaja")]),
    ("staff4", "Maria", "Sjöberg", [(pietarsaari.LIBRARY, Role.STAFF, "Kirjastovirkailija")]),
    ("museum2", "Tiina", "Salo", [(pietarsaari.MUSEUM, Role.STAFF, "Amanuenssi")]),
    ("museum3", "Anders", "Holm", [(pietarsaari.MUSEUM, Role.STAFF, "Museolehtori")]),
    ("youthhead", "Antti", "Rantanen", [(pietarsaari.YOUTH, Role.HEAD, "Nuorisotyön esimies")]),
    ("youth2", "Sofia", "Wikström", [(pietarsaari.YOUTH, Role.STAFF, "Nuoriso-ohjaaja")]),
    ("youth3", "Ville", "Kallio", [(pietarsaari.YOUTH, Role.STAFF, "Nuoriso-ohjaaja")]),
]

LIBRARY_RESPONDENTS = ["head", "staff", "staff2", "staff3", "staff4"]
MUSEUM_RESPONDENTS = ["otherhead", "museum2", "museum3"]
YOUTH_RESPONDENTS = ["youthhead", "youth2", "youth3"]


def _password_hash() -> str:
    # A fixed salt gives the same hash on every run, so a second run changes
    # nothing and hashes once instead of once per person. The password is
    # public anyway: these accounts are for demonstrations only. The salt is
    # as long as Django's own (22 characters) so that signing in does not
    # rehash the password, which the next run would then undo.
    return make_password(PASSWORD, salt="suuntaDemoPersonaSalt1")


def load(loader: Loader) -> dict[str, AbstractUser]:
    user_model = get_user_model()
    password = _password_hash()
    for username, first_name, last_name, memberships in PERSONAS:
        user = loader.upsert(
            user_model,
            {"username": username},
            first_name=first_name,
            last_name=last_name,
            email=f"{username}@example.fi",
            password=password,
            is_active=True,
        )
        loader.users[username] = user
        for org_key, role, title in memberships:
            loader.upsert(
                Membership,
                {"user": user, "organisation": loader.orgs[org_key], "role": role},
                title=title,
            )
    # A superuser only on request: SUUNTA_DEMO_ADMIN=True.
    if envbool("SUUNTA_DEMO_ADMIN", False):
        loader.users["admin"] = loader.upsert(
            user_model,
            {"username": "admin"},
            first_name="Demo",
            last_name="Ylläpitäjä",
            email="admin@example.fi",
            password=password,
            is_active=True,
            is_staff=True,
            is_superuser=True,
        )
    return loader.users


__all__ = [
    "LIBRARY_RESPONDENTS",
    "MUSEUM_RESPONDENTS",
    "PASSWORD",
    "PERSONAS",
    "YOUTH_RESPONDENTS",
    "load",
]
