"""The history tab of a strategy: every recorded change of the strategy, its
parts, its indicators (their scales, targets and measured values) and its
maturity models (levels, dimensions, criteria, agreed and target levels),
newest first: who, when, and each field's old → new.

django-simple-history keeps a table per model. ``history_rows`` merges the
strategy's rows of every table into one date-ordered ``UNION`` that the
database sorts and pages; ``history_entries`` then reads the page's records
with their predecessors and everything they name, a bounded number of
queries per kind of record and per kind of named object, whatever the size
of the history.

The strategy's things are found through the history tables, not the live
ones, so that changes of removed goals, indicators or models stay listed.
Self-assessment ratings are not listed: they are people's own answers.

The strategy's own tables are listed here; other apps add theirs (groups,
tables, how a record names itself and how a value reads) from their
``AppConfig.ready()`` with ``register_group``, ``register_sources``,
``register_value_reader`` and ``register_named``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models as db_models
from django.db.models import Model, QuerySet, Value
from django.db.models.functions import Cast
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from .editor import KINDS
from .editor_forms import translated_fields
from .models import Goal, Membership, Organisation, StrategicChoice, Strategy

PAGE_SIZE = 50

# The filter of the tab: (key, label), in the order of the <select>. Other
# apps' groups come between the strategy's parts and its people.
GROUPS: list[tuple[str, Promise]] = [
    ("parts", gettext_lazy("The strategy and its parts")),
    ("people", gettext_lazy("Organisation and people")),
]

# Links to a person that name the record itself (whose role changed), fetched
# with the page's other named objects rather than one query per record.
PERSON_LINKS: dict[type[Model], str] = {Membership: "user"}
# Technical columns that change with others and mean nothing to a reader.
NOISE_FIELDS: dict[type[Model], tuple[str, ...]] = {Organisation: ("path",)}


@dataclass(frozen=True)
class Source:
    """One history table and how to find the strategy's rows in it.

    ``value_fields`` are the fields that are the record's value: listed when
    it is added or removed too, so that a new measured value shows what it was.
    """

    key: str
    model: type[Model]
    label: Promise
    group: str
    rows: Callable[[Strategy], QuerySet[Any]]
    describe: Callable[[Any], str] = str
    value_fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class ValueReader:
    """A field whose value people read through another object the page
    fetches: an indicator's values through its decimals or scale levels.
    ``link`` is the attribute of the record that holds that object's id."""

    field: str
    model: type[Model]
    link: str
    show: Callable[[Any, Any], str]


# Filled in by the other apps (see the module docstring).
REGISTERED_SOURCES: list[Source] = []
VALUE_READERS: dict[type[Model], ValueReader] = {}
# What a named object needs to name itself without further queries.
RELATED_SELECT: dict[type[Model], tuple[str, ...]] = {}
RELATED_PREFETCH: dict[type[Model], tuple[str, ...]] = {}


def register_group(key: str, label: Promise) -> None:
    """Add a group to the tab's filter, after the groups registered before it."""
    if key not in dict(GROUPS):
        GROUPS.insert(len(GROUPS) - 1, (key, label))


def register_sources(*added: Source) -> None:
    """Add history tables, listed after the strategy's parts in this order."""
    known = {source.key for source in REGISTERED_SOURCES}
    REGISTERED_SOURCES.extend(source for source in added if source.key not in known)


def register_value_reader(model: type[Model], reader: ValueReader) -> None:
    VALUE_READERS[model] = reader


def register_named(model: type[Model], *, select: tuple[str, ...] = (), prefetch: tuple[str, ...] = ()) -> None:
    """What a linked object of ``model`` needs to name itself (``select_related``
    and ``prefetch_related`` of its live rows). A prefetched relation of a
    removed object reads as empty."""
    if select:
        RELATED_SELECT[model] = select
    if prefetch:
        RELATED_PREFETCH[model] = prefetch


def history_ids(model: type[Model], **lookup: Any) -> QuerySet[Any]:
    """Ids that ever belonged to the strategy, from the history table (a subquery)."""
    return model.history.filter(**lookup).order_by().values("id")  # type: ignore[attr-defined]


def _part_rows(kind: Any) -> Callable[[Strategy], QuerySet[Any]]:
    def rows(strategy: Strategy) -> QuerySet[Any]:
        history = kind.model.history
        if kind.parent == "goal":
            return history.filter(goal_id__in=history_ids(Goal, strategy_id=strategy.pk))
        if kind.parent == "choice":
            return history.filter(choice_id__in=history_ids(StrategicChoice, strategy_id=strategy.pk))
        return history.filter(strategy_id=strategy.pk)

    return rows


def _organisation_ids(strategy: Strategy) -> QuerySet[Any]:
    """The strategy's organisation and every node below it. Read from the live
    tree: nodes are dissolved, never deleted, and a node's first history row
    predates its materialised path."""
    return Organisation.objects.filter(path__startswith=strategy.organisation.path).order_by().values("id")


def _membership(record: Any) -> str:
    person = record.user.get_full_name() or record.user.get_username()
    return f"{person}: {record.get_role_display()}, {record.organisation}"


def sources() -> list[Source]:
    """Every history table the tab lists: the strategy, its parts (the
    editor's kinds, other apps' included), the other apps' tables, and the
    organisation and its people."""
    return [
        Source("strategy", Strategy, Strategy._meta.verbose_name, "parts", lambda s: Strategy.history.filter(id=s.pk)),  # type: ignore[attr-defined]
        *(Source(key, kind.model, kind.label, kind.history_group, _part_rows(kind)) for key, kind in KINDS.items()),
        *REGISTERED_SOURCES,
        Source(
            "organisation",
            Organisation,
            Organisation._meta.verbose_name,
            "people",
            lambda s: Organisation.history.filter(id__in=_organisation_ids(s)),  # type: ignore[attr-defined]
        ),
        Source(
            "membership",
            Membership,
            Membership._meta.verbose_name,
            "people",
            lambda s: Membership.history.filter(organisation_id__in=_organisation_ids(s)),  # type: ignore[attr-defined]
            _membership,
        ),
    ]


def history_rows(strategy: Strategy, *, group: str = "") -> QuerySet[Any]:
    """(part_kind, history_id, history_date) of every history row of the
    strategy (of one group of ``GROUPS`` when given), newest first, as one
    query for a ``Paginator``."""
    selects = [
        source.rows(strategy)
        .annotate(part_kind=Cast(Value(source.key), output_field=db_models.CharField()))
        .values("part_kind", "history_id", "history_date")
        .order_by()
        for source in sources()
        if not group or source.group == group
    ]
    if not selects:  # a group whose app registered no tables
        return Strategy.history.none()  # type: ignore[attr-defined]
    union = selects[0].union(*selects[1:], all=True)
    return union.order_by("-history_date", "-history_id")


@dataclass
class HistoryEntry:
    record: Any
    kind_label: str
    part: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _foreign_keys(model: type[Model]) -> list[Any]:
    """The model's links to one other row, people excepted (the who column names them)."""
    return [
        f
        for f in model._meta.concrete_fields
        if f.many_to_one and f.related_model is not None and f.related_model._meta.label != settings.AUTH_USER_MODEL
    ]


def _excluded_fields(model: type[Model]) -> list[str]:
    # The base column repeats one language's text; version and order-only
    # noise would drown the changes people made. Links are listed by the part's page.
    m2m = [f.name for f in model._meta.many_to_many]
    people = [f.name for f in model._meta.concrete_fields if f.many_to_one and f not in _foreign_keys(model)]
    return [*translated_fields(model), "version", *m2m, *people, *NOISE_FIELDS.get(model, ())]


class _Named:
    """The objects the page's records link to, fetched once per model: live
    rows first, else the latest history row of a removed one."""

    def __init__(self, wanted: dict[type[Model], set[int]]) -> None:
        self.objects: dict[tuple[type[Model], int], Any] = {}
        for model, ids in wanted.items():
            live = model._default_manager.filter(pk__in=ids)
            if model in RELATED_SELECT:
                live = live.select_related(*RELATED_SELECT[model])
            if model in RELATED_PREFETCH:
                live = live.prefetch_related(*RELATED_PREFETCH[model])
            for obj in live:
                self.objects[(model, obj.pk)] = obj
            missing = {pk for pk in ids if (model, pk) not in self.objects}
            history = getattr(model, "history", None)
            if missing and history is not None:
                for record in history.filter(id__in=missing).order_by("id", "-history_date", "-history_id"):
                    if (model, record.id) not in self.objects:
                        removed = record.instance
                        if model in RELATED_PREFETCH:
                            # Its levels are gone with it: show ordinals rather than query per row.
                            removed._prefetched_objects_cache = {
                                name: getattr(model, name).rel.related_model.objects.none()
                                for name in RELATED_PREFETCH[model]
                            }
                        self.objects[(model, record.id)] = removed

    def get(self, model: type[Model], pk: Any) -> Any:
        return self.objects.get((model, pk))


def _wanted(records: Iterable[tuple[type[Model], Any]]) -> dict[type[Model], set[int]]:
    wanted: dict[type[Model], set[int]] = {}
    for model, record in records:
        for fk in _foreign_keys(model):
            pk = getattr(record, fk.attname)
            if pk is not None:
                wanted.setdefault(fk.related_model, set()).add(pk)
        reader = VALUE_READERS.get(model)
        if reader is not None and getattr(record, reader.link) is not None:
            wanted.setdefault(reader.model, set()).add(getattr(record, reader.link))
        if model in PERSON_LINKS:
            link = model._meta.get_field(PERSON_LINKS[model])
            wanted.setdefault(link.related_model, set()).add(getattr(record, link.attname))
    return wanted


def _instance(model: type[Model], record: Any, named: _Named) -> Any:
    """The record as a model instance whose links are the fetched objects."""
    instance = record.instance
    for fk in _foreign_keys(model):
        obj = named.get(fk.related_model, getattr(record, fk.attname))
        if obj is not None:
            setattr(instance, fk.name, obj)
    if model in PERSON_LINKS:
        link = model._meta.get_field(PERSON_LINKS[model])
        person = named.get(link.related_model, getattr(record, link.attname))
        if person is not None:
            setattr(instance, link.name, person)
    return instance


def _shown(model: type[Model], name: str, value: Any, instance: Any, named: _Named) -> str:
    if value is None:
        return ""
    model_field = model._meta.get_field(name)
    reader = VALUE_READERS.get(model)
    if reader is not None and reader.field == name:
        reading = named.get(reader.model, getattr(instance, reader.link))
        if reading is not None:
            return reader.show(reading, value)
    if model_field.many_to_one:
        obj = named.get(model_field.related_model, value)
        return str(obj) if obj is not None else f"#{value}"
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def _label(model: type[Model], name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _describe(source: Source, instance: Any) -> str:
    try:
        return source.describe(instance)
    except ObjectDoesNotExist:
        # A link to a row that is gone and kept no history (an assessment round).
        return str(instance.pk)


def history_entries(page_rows: list[dict[str, Any]]) -> list[HistoryEntry]:
    """The page's records with their field changes: per kind one query for
    the records together with their predecessors, and per kind of linked
    object one or two, whatever the page holds."""
    source_by_key = {source.key: source for source in sources()}
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for row in page_rows:
        by_kind.setdefault(row["part_kind"], []).append(row)
    records: dict[tuple[str, int], Any] = {}
    previous: dict[tuple[str, int], Any] = {}
    for key, rows in by_kind.items():
        manager = source_by_key[key].model.history  # type: ignore[attr-defined]
        ids = {row["history_id"] for row in rows}
        # The history of each object on the page up to the page's newest record.
        chains = manager.filter(
            id__in=manager.filter(history_id__in=ids).values("id"),
            history_date__lte=max(row["history_date"] for row in rows),
        )
        last: dict[int, Any] = {}
        for record in chains.select_related("history_user").order_by("history_date", "history_id"):
            if record.history_id in ids:
                records[(key, record.history_id)] = record
                previous[(key, record.history_id)] = last.get(record.id)
            last[record.id] = record
    pairs = [(source_by_key[key].model, record) for (key, _id), record in records.items()]
    pairs += [(source_by_key[key].model, record) for (key, _id), record in previous.items() if record is not None]
    named = _Named(_wanted(pairs))

    entries = []
    for row in page_rows:
        key = row["part_kind"]
        source = source_by_key[key]
        model = source.model
        record = records[(key, row["history_id"])]
        old = previous[(key, row["history_id"])]
        instance = _instance(model, record, named)
        changes: list[tuple[str, str, str]] = []
        if record.history_type == "~" and old is not None:
            delta = record.diff_against(old, excluded_fields=_excluded_fields(model))
            old_instance = _instance(model, old, named)
            for change in delta.changes:
                old_value = _shown(model, change.field, change.old, old_instance, named)
                new_value = _shown(model, change.field, change.new, instance, named)
                # None and "" are the same empty text to a reader.
                if old_value != new_value:
                    changes.append((_label(model, change.field), old_value, new_value))
        else:
            for name in source.value_fields:
                value = _shown(model, name, getattr(record, model._meta.get_field(name).attname), instance, named)
                changes.append((_label(model, name), "", value) if record.history_type == "+" else (_label(model, name), value, ""))
        entries.append(HistoryEntry(record=record, kind_label=str(source.label), part=_describe(source, instance), changes=changes))
    return entries
