
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

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from modeltranslation.translator import NotRegistered, translator

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


def _field(model: type[models.Model], name: str) -> models.Field:
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


def _plain_column(model: type[models.Model], name: str) -> bool:
    """Whether ``filter(name=value)`` compares one column with the value as
    it is: not a translated field (whose lookup follows the active language)
    and not a lookup across relations."""
    try:
        model_field = _field(model, name)
    except FieldDoesNotExist:
        return False
    if not model_field.concrete:
        return False
    try:
        translated = translator.get_options_for_model(model).all_fields
    except NotRegistered:
        translated = {}
    return name not in translated


def _key_values(model: type[models.Model], key: dict[str, Any]) -> tuple[Any, ...]:
    """A key's values as the row holds them: related rows by primary key,
    other values as their field reads them (a year given as text is a number)."""
    values = []
    for name, value in key.items():
        model_field = _field(model, name)
        if model_field.is_relation:
            values.append(value.pk if isinstance(value, models.Model) else value)
        else:
            values.append(model_field.to_python(value))
    return tuple(values)


def _rows_by[R: models.Model](model: type[R], names: tuple[str, ...]) -> dict[tuple[Any, ...], R]:
    """Every row of ``model`` by its values of ``names``; of rows that share
    them, the first by primary key (as ``filter(...).first()`` finds it)."""
    attnames = [_field(model, name).attname for name in names]
    rows: dict[tuple[Any, ...], R] = {}
    for row in model._default_manager.order_by("pk"):
        rows.setdefault(tuple(getattr(row, attname) for attname in attnames), row)
    return rows


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
    _rows: dict[tuple[type[models.Model], tuple[str, ...]], dict[tuple[Any, ...], Any] | None] = (
        field(default_factory=dict, repr=False)
    )

    def upsert(self, model: type[M], key: dict[str, Any], **values: Any) -> M:
        """Find the row by ``key``; create it, or save it only when a value differs."""
        rows = self._rows_by_key(model, tuple(key))
        if rows is None:
            obj = model._default_manager.filter(**key).first()
        else:
            found_by = _key_values(model, key)
            obj = rows.get(found_by)
        label = model._meta.verbose_name_plural
        if obj is None:
            obj = model(**{**key, **values})
            obj.save()
            if rows is not None:
                rows[found_by] = obj
            self.created[str(label)] += 1
            return obj
        if any(not _same(obj, name, value) for name, value in values.items()):
            # What a save writes is read again first: a save elsewhere in the
            # run may have changed the row (an organisation's path does).
            obj.refresh_from_db()
            changed = [name for name, value in values.items() if not _same(obj, name, value)]
            if changed:
                for name in changed:
                    setattr(obj, name, values[name])
                obj.save()
                self.updated[str(label)] += 1
        return obj

    def _rows_by_key(
        self, model: type[M], names: tuple[str, ...]
    ) -> dict[tuple[Any, ...], M] | None:
        """The model's rows by the values of ``names``, read in one query the
        first time the loader looks one up (instead of a query per row, a
        third of a run); ``None`` when the names are not plain columns."""
        if (model, names) not in self._rows:
            self._rows[model, names] = (
                _rows_by(model, names)
                if all(_plain_column(model, name) for name in names)
                else None
            )
        return self._rows[model, names]

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
