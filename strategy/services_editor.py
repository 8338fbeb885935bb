"""Workflows of the strategy editor: create, change, move and remove the
parts of a strategy under an optimistic lock, create a strategy, and copy a
strategy's structure for a new period.

Views ask ``Strategy.objects.owned_by`` who may edit before calling these;
these refuse what the data does not allow (a stale version, a part in use).
Every write goes through ``Model.save()`` or ``delete()`` with the user set,
so simple_history records who did it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models import Max, Model
from django.utils import translation
from simple_history.utils import bulk_create_with_history

from .editor import PartKind
from .editor_forms import unique_slug
from .models import (
    Action,
    FocusArea,
    Goal,
    Objective,
    Organisation,
    Perspective,
    Principle,
    Section,
    SpearheadProgramme,
    Stakeholder,
    StrategicChoice,
    Strategy,
    TargetState,
    TradeOff,
    Vision,
)
from .signals import part_saving

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


class PartRefused(Exception):
    """A part cannot be removed: ``uses`` says what still needs it (for people)."""

    def __init__(self, uses: list[str]) -> None:
        super().__init__("; ".join(uses))
        self.uses = uses


@dataclass
class PartConflictError(Exception):
    """Someone saved the part after the user loaded ``expected_version``.

    ``current`` is the part as it is now; ``attempted`` the values the user
    tried to save and ``labels`` their labels. Nothing was written.
    """

    current: Model
    expected_version: int
    attempted: Mapping[str, Any] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.current._meta.model_name} {self.current.pk} is at version {self.current.version}, not {self.expected_version}"  # type: ignore[attr-defined]

    @property
    def _last(self) -> Any:
        if not hasattr(self, "_last_record"):
            self._last_record = self.current.history.select_related("history_user").first()  # type: ignore[attr-defined]
        return self._last_record

    @property
    def changed_by(self) -> AbstractBaseUser | None:
        return self._last.history_user if self._last else None

    @property
    def changed_at(self) -> datetime.datetime | None:
        return self._last.history_date if self._last else None

    def differences(self) -> list[tuple[str, str, str]]:
        """(field label, their value, your value) for each field that differs."""
        rows = []
        for name, mine in self.attempted.items():
            try:
                model_field = self.current._meta.get_field(name)
            except FieldDoesNotExist:
                # Rows the part keeps like a relation without being a field
                # (an indicator's scale levels): compared by their names.
                theirs, mine = _names(getattr(self.current, name).all()), _names(mine)
                if theirs != mine:
                    rows.append((str(self.labels.get(name, name)), theirs, mine))
                continue
            theirs = getattr(self.current, name)
            if model_field.many_to_many:
                theirs, mine = _names(theirs.all()), _names(mine)
            else:
                theirs, mine = _shown(self.current, model_field, theirs), _shown(self.current, model_field, mine)
            if theirs != mine:
                rows.append((str(self.labels.get(name, model_field.verbose_name)), theirs, mine))
        return rows


def _names(objects: Iterable[Any]) -> str:
    return ", ".join(sorted(str(obj) for obj in objects))


def _shown(obj: Model, model_field: Any, value: Any) -> str:
    if value is None:
        return ""
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value).strip()


def _set_history_user(instance: Model, user: AbstractBaseUser | None) -> None:
    # simple_history takes the user from the request middleware; outside a
    # request (a task, a test, the shell) it reads this attribute.
    instance._history_user = user  # type: ignore[attr-defined]


def _strategy_of(instance: Model) -> Strategy | None:
    if isinstance(instance, Strategy):
        return instance
    for name in ("strategy", "goal", "choice"):
        if hasattr(instance, f"{name}_id"):
            related = getattr(instance, name)
            return related if isinstance(related, Strategy) else related.strategy
    return None


def _save(instance: Model, user: AbstractBaseUser | None) -> None:
    """Save with the user for the history, in the strategy's main language.

    modeltranslation stores in each untranslated base column (``title``) the
    text seen in the active language; saved so, an English-only part saved by
    a Finnish reader would keep whatever the fallback found. Saving in the
    strategy's main language keeps the main language's text there.
    """
    _set_history_user(instance, user)
    strategy = _strategy_of(instance)
    with translation.override(strategy.main_language if strategy else None):
        instance.save()


def part_create(
    *,
    kind: PartKind,
    strategy: Strategy,
    parent: Model | None,
    values: Mapping[str, Any],
    many: Mapping[str, list[Any]],
    user: AbstractBaseUser,
) -> Model:
    """A new part of ``kind`` at the end of its siblings."""
    with transaction.atomic():
        obj = kind.model(**values)
        setattr(obj, kind.parent, parent if parent is not None else strategy)
        if "strategy" in kind.scope and kind.parent != "strategy":
            obj.strategy = strategy  # type: ignore[attr-defined]
        last = kind.siblings(obj).aggregate(last=Max("order"))["last"]
        obj.order = 0 if last is None else last + 1  # type: ignore[attr-defined]
        _save(obj, user)
        for name, related in many.items():
            getattr(obj, name).set(related)
    return obj


def part_update(
    *,
    obj: Model,
    user: AbstractBaseUser,
    expected_version: int,
    values: Mapping[str, Any],
    many: Mapping[str, list[Any]] | None = None,
    labels: Mapping[str, str] | None = None,
) -> Model:
    """Save ``values`` on ``obj`` if nobody saved it since ``expected_version``.

    The row is locked and its version compared inside one transaction, so of
    two concurrent saves exactly one wins; the other gets
    ``PartConflictError`` and nothing is written.
    """
    many = many or {}
    model = type(obj)
    with transaction.atomic():
        current = model._default_manager.select_for_update(of=("self",)).get(pk=obj.pk)
        if current.version != expected_version:  # type: ignore[attr-defined]
            raise PartConflictError(
                current=current, expected_version=expected_version, attempted={**values, **many}, labels=labels or {}
            )
        # Before the values are set: an outdated translation is told by the old source text.
        part_saving.send(sender=model, obj=current, values=values, many=many, user=user)
        for name, value in values.items():
            setattr(current, name, value)
        current.version += 1  # type: ignore[attr-defined]
        _save(current, user)
        for name, related in many.items():
            getattr(current, name).set(related)
    return current


def _claim(obj: Model, expected_version: int) -> Model:
    """The locked row of ``obj``, or a conflict if its version moved on."""
    current = type(obj)._default_manager.select_for_update(of=("self",)).get(pk=obj.pk)
    if current.version != expected_version:  # type: ignore[attr-defined]
        raise PartConflictError(current=current, expected_version=expected_version)
    return current


def part_move(*, kind: PartKind, obj: Model, up: bool, expected_version: int, user: AbstractBaseUser) -> Model:
    """Swap ``obj`` with its neighbour above (``up``) or below.

    Orders are renumbered 0..n when they have gaps or ties, so that a swap
    always moves the part by exactly one place. The two swapped parts, and
    any part whose order changes, get a new version and a history row.
    """
    with transaction.atomic():
        current = _claim(obj, expected_version)
        siblings = list(kind.siblings(current).select_for_update(of=("self",)))
        index = next(i for i, sibling in enumerate(siblings) if sibling.pk == current.pk)
        target = index - 1 if up else index + 1
        if not 0 <= target < len(siblings):
            return current
        swapped = {siblings[index].pk, siblings[target].pk}
        siblings[index], siblings[target] = siblings[target], siblings[index]
        for position, sibling in enumerate(siblings):
            if sibling.order != position or sibling.pk in swapped:  # type: ignore[attr-defined]
                sibling.order = position  # type: ignore[attr-defined]
                sibling.version += 1  # type: ignore[attr-defined]
                _save(sibling, user)
    return next(sibling for sibling in siblings if sibling.pk == current.pk)


def part_delete(*, kind: PartKind, obj: Model, expected_version: int, user: AbstractBaseUser) -> None:
    """Remove ``obj`` (and what cascades with it), unless something uses it."""
    with transaction.atomic():
        current = _claim(obj, expected_version)
        uses = kind.uses(current)
        if uses:
            raise PartRefused(uses)
        _set_history_user(current, user)
        # Parts that cascade with it get the user too (the request middleware
        # sets it for views; this covers calls from tests and the shell).
        for related in _cascaded(current):
            _set_history_user(related, user)
        current.delete()


def _cascaded(obj: Model) -> list[Model]:
    if isinstance(obj, Goal):
        return list(obj.objectives.all())
    if isinstance(obj, StrategicChoice):
        return list(obj.trade_offs.all())
    if isinstance(obj, FocusArea):
        return list(obj.actions.all())
    return []


def strategy_update(
    *,
    strategy: Strategy,
    user: AbstractBaseUser,
    expected_version: int,
    values: Mapping[str, Any],
    labels: Mapping[str, str] | None = None,
) -> Strategy:
    return part_update(  # type: ignore[return-value]
        obj=strategy, user=user, expected_version=expected_version, values=values, labels=labels
    )


def strategy_create(
    *,
    organisation: Organisation,
    title: str,
    main_language: str,
    period_start: int,
    period_end: int,
    user: AbstractBaseUser,
    parent: Strategy | None = None,
) -> Strategy:
    """A blank draft strategy (or a child of ``parent``) with its title in the main language."""
    strategy = Strategy(
        organisation=organisation,
        slug=unique_slug(title),
        period_start=period_start,
        period_end=period_end,
        main_language=main_language,
        parent=parent,
        status=Strategy.Status.DRAFT,
    )
    setattr(strategy, f"title_{main_language}", title)
    with transaction.atomic():
        _save(strategy, user)
    return strategy


# The structure that a copy takes along, parents before children. Plans,
# indicators, measurements and targets are figures of a period and stay behind.
_COPY_ORDER: list[type[Model]] = [
    Section,
    Vision,
    Principle,
    TargetState,
    StrategicChoice,
    TradeOff,
    Perspective,
    Goal,
    Objective,
    FocusArea,
    Action,
    SpearheadProgramme,
    Stakeholder,
]
# Foreign keys to remap from the old parts to their copies.
_REMAP: dict[type[Model], tuple[str, ...]] = {
    TradeOff: ("choice",),
    Goal: ("perspective",),
    Objective: ("goal",),
    FocusArea: ("section",),
    Action: ("focus_area", "goal", "objective"),
}
_M2M: dict[type[Model], tuple[str, ...]] = {
    Action: ("responsible_units", "sdgs"),
    SpearheadProgramme: ("goals", "focus_areas", "actions"),
    Stakeholder: ("goals", "actions"),
}
# Relations whose targets are parts of the copied strategy (the rest, such as
# responsible units and Agenda 2030 goals, are shared and kept as they are).
_PART_MODELS = set(_COPY_ORDER)


def _copied_fields(model: type[Model], skip: tuple[str, ...] = ("id", "version")) -> list[Any]:
    """The columns a copy takes over: not the id and version, and not the
    untranslated base columns, whose descriptor would write the active
    language's column and overwrite that translation."""
    from .editor_forms import translated_fields

    leave = {*skip, *translated_fields(model)}
    return [f for f in model._meta.concrete_fields if f.name not in leave]


def _rows_of(model: type[Model], source: Strategy) -> models.QuerySet[Any]:
    if model is TradeOff:
        return TradeOff.objects.filter(choice__strategy=source)
    if model is Objective:
        return Objective.objects.filter(goal__strategy=source)
    return model._default_manager.filter(strategy=source)


def strategy_copy(
    *,
    source: Strategy,
    organisation: Organisation,
    period_start: int,
    period_end: int,
    user: AbstractBaseUser,
    title: str | None = None,
) -> Strategy:
    """A new draft strategy with the structure of ``source``.

    One transaction; each kind of part is read in one query and written with
    one bulk insert (plus its history rows), and each many-to-many relation
    in one more, so the number of queries does not grow with the strategy.
    Links between parts (a goal's perspective, a spearhead's actions) point
    to the copies. Goals keep contributing to the parent strategy's goals.
    """
    concrete = _copied_fields(Strategy, skip=("id", "slug", "version"))
    # Bulk inserts fill the base columns in the active language: use the main one.
    with transaction.atomic(), translation.override(source.main_language):
        strategy = Strategy(**{f.attname: getattr(source, f.attname) for f in concrete})
        strategy.organisation = organisation
        strategy.period_start, strategy.period_end = period_start, period_end
        strategy.status = Strategy.Status.DRAFT
        strategy.approved_on = None
        strategy.decision_reference = ""
        if title:
            # The old title in other languages names the old strategy: they are written anew.
            for code, _name in settings.LANGUAGES:
                setattr(strategy, f"title_{code}", title if code == source.main_language else None)
        strategy.slug = unique_slug(title or f"{source.title} {period_start}")
        _save(strategy, user)

        mapping: dict[type[Model], dict[int, Model]] = {}
        for model in _COPY_ORDER:
            originals = list(_rows_of(model, source).order_by("pk"))
            copies = []
            for original in originals:
                copy = model(**{f.attname: getattr(original, f.attname) for f in _copied_fields(model)})
                if hasattr(copy, "strategy_id"):
                    copy.strategy_id = strategy.pk
                for name in _REMAP.get(model, ()):
                    old_id = getattr(original, f"{name}_id")
                    target_model = model._meta.get_field(name).related_model
                    new = mapping.get(target_model, {}).get(old_id) if old_id else None  # type: ignore[arg-type]
                    setattr(copy, f"{name}_id", new.pk if new else None)
                copies.append(copy)
            created = bulk_create_with_history(copies, model, default_user=user) if copies else []
            if copies and any(obj.pk is None for obj in created):
                # Databases that do not return ids from a bulk insert: read them back in order.
                created = list(_rows_of(model, strategy).order_by("pk"))
            mapping[model] = {old.pk: new for old, new in zip(originals, created, strict=True)}
            for name in _M2M.get(model, ()):
                _copy_m2m(model, name, mapping)
    return strategy


def _copy_m2m(model: type[Model], name: str, mapping: dict[type[Model], dict[int, Model]]) -> None:
    relation = model._meta.get_field(name)
    through = relation.remote_field.through  # type: ignore[union-attr]
    source_column = relation.m2m_field_name()  # type: ignore[union-attr]
    target_column = relation.m2m_reverse_field_name()  # type: ignore[union-attr]
    target_model = relation.related_model
    copies = mapping[model]
    rows = through.objects.filter(**{f"{source_column}__in": list(copies)})
    links = []
    for row in rows:
        owner = copies[getattr(row, f"{source_column}_id")]
        target_id = getattr(row, f"{target_column}_id")
        if target_model in _PART_MODELS:
            target = mapping.get(target_model, {}).get(target_id)  # type: ignore[arg-type]
            if target is None:
                continue
            target_id = target.pk
        links.append(through(**{f"{source_column}_id": owner.pk, f"{target_column}_id": target_id}))
    through.objects.bulk_create(links)
