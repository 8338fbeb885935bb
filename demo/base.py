
"""The loader's toolbox: idempotent upserts keyed on stable natural keys.

Every row of the demo data is found by a key that does not change between
runs (a slug, a number, a year, an order) and written only when a value
differs, so a second ``load_demo`` leaves the database as it was: same rows,
same primary keys, no new history records.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models

from strategy.models import Organisation

M = TypeVar("M", bound=models.Model)

# Written into every generated figure so nobody mistakes it for a statistic.
DEMO_NOTE = "Demo: generoitu esimerkkiluku, ei todellinen tilasto."
# The note of a demo version whose seed gives no approval date.
ASSUMED_APPROVAL_NOTE = "Demo: lähde ei kerro hyväksymispäivää eikä päätöksen pykälää; päivä on demon oletus."


def tr(
    field_name: str, fi: str, sv: str | None = None, en: str | None = None
) -> dict[str, str | None]:
    """The per-language columns of a translated field; a missing language is
    stored as NULL so that reading falls back to Finnish."""
    return {f"{field_name}_fi": fi, f"{field_name}_sv": sv or None, f"{field_name}_en": en or None}


@dataclass(frozen=True)
class Approval:
    """How a seed strategy was approved, as far as its seed tells: the date,
    the deciding body per language and the decision reference. ``note`` says
    what the demo had to assume; a reference is never made up."""

    on: datetime.date
    body_fi: str
    body_sv: str = ""
    body_en: str = ""
    reference: str = ""
    note: str = ""

    def fields(self) -> dict[str, Any]:
        """The strategy's own approval fields, for its upsert."""
        return {
            "approved_on": self.on,
            # An approved seed is shown on the public pages, as a city publishes its strategy.
            "published": True,
            "decision_reference": self.reference,
            **tr("decision_body", self.body_fi, self.body_sv, self.body_en),
        }

    def bodies(self) -> dict[str, str]:
        """The body per language as a version stores it (empty where the seed has none)."""
        return {"fi": self.body_fi, "sv": self.body_sv, "en": self.body_en}


def _same(obj: models.Model, name: str, value: Any) -> bool:
    model_field = obj._meta.get_field(name)
    if model_field.is_relation and model_field.many_to_one:
        current = getattr(obj, model_field.attname)
        return current == (value.pk if isinstance(value, models.Model) else value)
    return getattr(obj, name) == value


@dataclass
class Loader:
    """Shared state of one ``load_demo`` run: what was created or changed,
    and the organisations and users the seeds refer to by key."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    orgs: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    strategies: dict[str, Any] = field(default_factory=dict)
    approvals: dict[str, Approval] = field(default_factory=dict)

    def upsert(self, model: type[M], key: dict[str, Any], **values: Any) -> M:
        """Find the row by ``key``; create it, or save it only when a value differs."""
        obj = model._default_manager.filter(**key).first()
        label = model._meta.verbose_name_plural
        if obj is None:
            obj = model(**{**key, **values})
            obj.save()
            self.created[str(label)] += 1
            return obj
        changed = [name for name, value in values.items() if not _same(obj, name, value)]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save()
            self.updated[str(label)] += 1
        return obj

    def set_m2m(self, manager: Any, objects: Iterable[models.Model]) -> None:
        """Set a many-to-many relation; ``set`` only writes the difference."""
        manager.set(list(objects))

    def org(
        self,
        slug: str,
        kind: str,
        name_fi: str,
        *,
        parent: Organisation | None = None,
        name_sv: str = "",
        name_en: str = "",
        short_name_fi: str = "",
    ) -> Organisation:
        organisation = self.upsert(
            Organisation,
            {"slug": slug},
            kind=kind,
            parent=parent,
            **tr("name", name_fi, name_sv, name_en),
            short_name_fi=short_name_fi or None,
            is_active=True,
        )
        self.orgs[slug] = organisation
        return organisation
