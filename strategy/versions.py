"""The life cycle of a strategy: draft → approved → archived, and its versions.

The rule:

- The live rows of a strategy and its parts are the working copy. Owners edit
  them at any time; plans, indicators and reports point at them.
- Approving freezes a version: ``strategy_snapshot`` turns the whole strategy
  (every part, every language, links by id) into a plain dict, stored once
  in a ``StrategyVersion`` (number 1, 2, …) with the decision.
- A strategy whose working copy differs from its latest version's snapshot
  has *changes since approval*. Only the readers of
  ``Strategy.objects.drafts_visible_to`` (members of the owning
  organisation's subtree and of the organisations above it) see them; anyone
  else who reads the strategy sees the latest approved version.
- An approved strategy can be archived (read-only) and restored.

``snapshot_diff`` compares two snapshots without queries; ``describe_changes``
turns its result into rows people read.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models import F, Model, Subquery
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .access import access_for
from .editor import KINDS, REGIONS
from .editor_forms import translated_fields
from .models import (
    ContentStamp,
    DataStamp,
    Organisation,
    Strategy,
    StrategyVersion,
    SustainableDevelopmentGoal,
)
from .models.versions import snapshot_sha256

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

SNAPSHOT_FORMAT = 1
LANGUAGES: tuple[str, ...] = tuple(settings.MODELTRANSLATION_LANGUAGES)

# Top-level keys of a snapshot that are not content of the strategy: the
# names of what it links to outside itself (organisations, the parent
# strategy's goals, Agenda 2030 goals) follow renames made elsewhere, so they
# never count as changes since approval.
VOLATILE_KEYS = frozenset({"refs"})

# Strategy fields that record the approval rather than the content approved;
# publishing to residents is a choice about the approved version, not content.
APPROVAL_FIELDS = frozenset({"status", "approved_on", "decision_body", "decision_reference", "published"})
# The optimistic-lock counter changes on every save, content or not.
SKIPPED_FIELDS = frozenset({"id", "version"})

# Models that parts link to outside the strategy, and the field that names them.
REFERENCED: dict[type[Model], str] = {
    Organisation: "name",
    Strategy: "title",
    SustainableDevelopmentGoal: "name",
}

ADDED, REMOVED, CHANGED = "added", "removed", "changed"

# Kinds in the overview's order, each followed by the kinds listed under it
# (objectives under goals, trade-offs under choices, actions under focus areas).
KIND_ORDER: list[str] = list(
    dict.fromkeys([*(key for region in REGIONS for key, kind in KINDS.items() if kind.region_key == region), *KINDS])
)


def today() -> datetime.date:
    """Today's date where Suunta runs: the default approval date (tests set it)."""
    return timezone.localdate()


# Snapshots ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Columns:
    """How one model is written into a snapshot."""

    plain: list[str]  # non-translated concrete fields (foreign keys by id)
    translated: list[str]  # base names of per-language fields
    many: list[Any]  # many-to-many fields


def _columns(model: type[Model], skip: Iterable[str] = ()) -> _Columns:
    translated = translated_fields(model)
    language_fields = {f"{name}_{code}" for name in translated for code in LANGUAGES}
    skipped = {*SKIPPED_FIELDS, *skip}
    plain = [
        f.name
        for f in model._meta.concrete_fields
        if f.name not in skipped and f.name not in translated and f.name not in language_fields
    ]
    ordered = [f.name for f in model._meta.concrete_fields if f.name in translated and f.name not in skipped]
    return _Columns(plain=plain, translated=ordered, many=list(model._meta.many_to_many))


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _row(values: Mapping[str, Any], columns: _Columns) -> dict[str, Any]:
    row: dict[str, Any] = {name: _json(values[name]) for name in columns.plain}
    for name in columns.translated:
        row[name] = {code: values[f"{name}_{code}"] or "" for code in LANGUAGES}
    return row


def _query_names(columns: _Columns) -> list[str]:
    return [*columns.plain, *(f"{name}_{code}" for name in columns.translated for code in LANGUAGES)]


def _part_ordering(model: type[Model]) -> list[str]:
    # Siblings' own order; the parent's ordering (a join) adds nothing, trees are rebuilt from ids.
    return [name for name in model._meta.ordering if "__" not in name and name not in ("strategy", "goal", "choice")] + ["pk"]


def strategy_snapshot(strategy: Strategy) -> dict[str, Any]:
    """The whole strategy as a plain, JSON-ready dict, in a constant number of queries.

    ``strategy`` holds the strategy's own fields (not the approval's), ``parts``
    every kind of the editor's registry as a list in the shown order, each
    part with its id, its fields, every translated field as ``{fi, sv, en}``
    and its links as sorted lists of ids; ``refs`` names what the strategy
    links to outside itself.
    """
    strategy_columns = _columns(Strategy, skip=APPROVAL_FIELDS)
    own = Strategy.objects.filter(pk=strategy.pk).values("id", *_query_names(strategy_columns)).get()
    snapshot: dict[str, Any] = {
        "format": SNAPSHOT_FORMAT,
        "strategy": {"id": own["id"], **_row(own, strategy_columns)},
        "parts": {},
    }
    part_ids: dict[type[Model], set[int]] = {}
    outside: dict[type[Model], set[int]] = {}
    links: list[tuple[type[Model], Any]] = [
        (Strategy._meta.get_field(name).related_model, own[name])
        for name in ("organisation", "parent")
        if own.get(name) is not None
    ]
    for key, kind in KINDS.items():
        model = kind.model
        columns = _columns(model, skip=("strategy",))
        parts = kind.of_strategy(strategy)
        rows = [
            {"id": values["id"], **_row(values, columns)}
            for values in parts.order_by(*_part_ordering(model)).values("id", *_query_names(columns))
        ]
        by_id = {row["id"]: row for row in rows}
        part_ids[model] = set(by_id)
        for many in columns.many:
            through = many.remote_field.through
            source, target = many.m2m_field_name(), many.m2m_reverse_field_name()
            for row in by_id.values():
                row[many.name] = []
            pairs = through.objects.filter(**{f"{source}__in": parts.values("pk")}).values_list(
                f"{source}_id", f"{target}_id"
            )
            for source_id, target_id in pairs:
                by_id[source_id][many.name].append(target_id)
                links.append((many.related_model, target_id))
            for row in by_id.values():
                row[many.name].sort()
        for name in columns.plain:
            model_field = model._meta.get_field(name)
            if model_field.is_relation:
                links += [(model_field.related_model, row[name]) for row in rows if row[name] is not None]
        snapshot["parts"][key] = rows
    for model, pk in links:
        if pk not in part_ids.get(model, set()):
            outside.setdefault(model, set()).add(pk)
    snapshot["refs"] = _refs(outside)
    return snapshot


def _refs(outside: Mapping[type[Model], set[int]]) -> dict[str, Any]:
    """Per-language names of what the strategy links to outside itself, one query per model."""
    refs: dict[str, Any] = {}
    for model, ids in outside.items():
        name = REFERENCED.get(model, "title")
        number = "number" if model is SustainableDevelopmentGoal else None
        fields = [f"{name}_{code}" for code in LANGUAGES] + ([number] if number else [])
        names: dict[str, Any] = {}
        for values in model._default_manager.filter(pk__in=ids).values("id", *fields):
            prefix = f"{values[number]}. " if number else ""
            names[str(values["id"])] = {code: prefix + (values[f"{name}_{code}"] or "") for code in LANGUAGES}
        refs[model._meta.label_lower] = dict(sorted(names.items()))
    return dict(sorted(refs.items()))


def snapshot_content(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """The snapshot without its volatile keys: what counts as the strategy's content."""
    return {key: value for key, value in snapshot.items() if key not in VOLATILE_KEYS}


def content_sha256(snapshot: Mapping[str, Any]) -> str:
    """A fingerprint of the content: an approval form carries the one its reader saw."""
    return snapshot_sha256(snapshot_content(snapshot))


def latest_version(strategy: Strategy) -> StrategyVersion | None:
    return StrategyVersion.objects.filter(strategy=strategy).order_by("-number").first()


def _data_stamps(names: Iterable[str]) -> dict[str, Subquery]:
    """The data stamps ``names`` (``DataStamp``) as annotations ``data_stamp_<name>``."""
    return {
        f"data_stamp_{name}": DataStamp.value_of(name) for name in names
    }


def latest_version_stamped(strategy: Strategy, data_stamps: Iterable[str] = ()) -> StrategyVersion | None:
    """The latest version without its snapshot (read when first used), with
    the strategy's content stamp as ``stamp`` and the ``data_stamps`` as
    ``data_stamp_<name>``, in one query: cache keys read before the parts,
    so nothing is stored under a stamp newer than what it was computed from."""
    return (
        StrategyVersion.objects.filter(strategy=strategy)
        .order_by("-number")
        .defer("snapshot")
        .annotate(stamp=F("strategy__content_stamp__value"), **_data_stamps(data_stamps))
        .first()
    )


def has_changes_since(version: StrategyVersion, live_snapshot: Mapping[str, Any]) -> bool:
    """Whether the working copy differs from what ``version`` approved."""
    return snapshot_content(live_snapshot) != snapshot_content(version.snapshot)


def sees_working_copy(user: AbstractBaseUser | AnonymousUser, strategy: Strategy) -> bool:
    """Whether ``user`` may read the strategy's unapproved changes: the rule
    of ``Strategy.objects.drafts_visible_to``, answered from the person's
    access object without a query (members of the strategy's organisation
    or of one above it, and members of an organisation under it)."""
    access = access_for(user)
    if not access.is_authenticated:
        return False
    if access.is_superuser:
        return True
    organisation = strategy.organisation
    return access.reaches(organisation) or organisation.pk in access.ancestor_ids()


@dataclass(frozen=True)
class OverviewState:
    """What the overview shows one reader of a strategy.

    ``shown`` is the approved version whose snapshot the page renders for a
    reader who may not see the working copy (None: the live rows); its
    snapshot is read when first used. ``pending`` says, for readers who see
    the working copy, whether it has changed since ``latest``. ``stamp`` is
    the strategy's content stamp when the state was read (None if it has none),
    ``data`` the data stamps asked for, read in the same query.
    """

    latest: StrategyVersion | None
    insider: bool
    pending: bool
    shown: StrategyVersion | None
    stamp: str | None = None
    data: dict[str, str] = field(default_factory=dict)


# How long a computed "changes since approval" is kept. Its key changes with
# the content, so the time only bounds how long an unused answer takes room.
PENDING_CACHE_SECONDS = 24 * 60 * 60


def pending_cache_key(strategy_id: int, stamp: str, version: StrategyVersion) -> str:
    """The cache key of "has the working copy changed since ``version``": the
    strategy's content stamp names the working copy, the version's number and
    SHA-256 the approved content (a number alone could name another version
    of a database restored or rebuilt under the same cache)."""
    return f"suunta:pending:{strategy_id}:{stamp}:{version.pk}:{version.snapshot_sha256}"


def overview_state(
    user: AbstractBaseUser | AnonymousUser, strategy: Strategy, data_stamps: Iterable[str] = ()
) -> OverviewState:
    """What the overview shows ``user`` (two queries; three for a strategy
    without a version, whose stamp is read on its own).

    Whether the working copy changed since approval needs the snapshot of
    every part: it is computed once per content stamp and version and then
    read from the cache. The stamp is read in the same query as the version
    and before the parts, so an answer is never stored under a stamp newer
    than the content it was computed from."""
    insider = sees_working_copy(user, strategy)
    latest = latest_version_stamped(strategy, data_stamps)
    if latest is None:
        row = (
            ContentStamp.objects.filter(strategy=strategy)
            .annotate(**_data_stamps(data_stamps))
            .values("value", *(f"data_stamp_{name}" for name in data_stamps))
            .first()
        ) or {}
        data = {name: str(row.get(f"data_stamp_{name}")) for name in data_stamps}
        return OverviewState(latest=None, insider=insider, pending=False, shown=None, stamp=row.get("value"), data=data)
    stamp = latest.stamp  # type: ignore[attr-defined]
    data = {name: str(getattr(latest, f"data_stamp_{name}")) for name in data_stamps}
    if not insider:
        return OverviewState(latest=latest, insider=False, pending=False, shown=latest, stamp=stamp, data=data)
    key = pending_cache_key(strategy.pk, stamp, latest) if stamp else None
    pending = cache.get(key) if key else None
    if pending is None:
        pending = has_changes_since(latest, strategy_snapshot(strategy))
        if key:
            cache.set(key, pending, PENDING_CACHE_SECONDS)
    return OverviewState(latest=latest, insider=True, pending=pending, shown=None, stamp=stamp, data=data)


# Differences ----------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One difference between two snapshots.

    ``kind`` is ``"strategy"`` or a part kind of the editor's registry, ``part``
    the part's id. An added or removed part is one change; a changed part has
    one change per field, and per language for translated fields.
    """

    kind: str
    part: int
    action: str
    field: str = ""
    language: str = ""
    old: Any = None
    new: Any = None


EMPTY_SNAPSHOT: dict[str, Any] = {"format": SNAPSHOT_FORMAT, "strategy": {}, "parts": {}, "refs": {}}


def _field_changes(kind: str, part: int, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    changes = []
    names = [*new, *(name for name in old if name not in new)]
    for name in names:
        if name == "id":
            continue
        before, after = old.get(name), new.get(name)
        if isinstance(before, dict) or isinstance(after, dict):
            before, after = before or {}, after or {}
            for code in [*after, *(code for code in before if code not in after)]:
                # An empty text and a missing one read the same.
                if (before.get(code) or "") != (after.get(code) or ""):
                    changes.append(Change(kind, part, CHANGED, name, code, before.get(code) or "", after.get(code) or ""))
        elif before != after:
            changes.append(Change(kind, part, CHANGED, name, "", before, after))
    return changes


def snapshot_diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """What changed from snapshot ``old`` to snapshot ``new``: the strategy's
    own fields first, then each kind in the registry's order, its parts in
    ``new``'s order (added or changed), then the removed ones. Pure: no queries."""
    old_strategy, new_strategy = old.get("strategy") or {}, new.get("strategy") or {}
    changes = []
    if old_strategy and new_strategy:
        changes += _field_changes("strategy", new_strategy.get("id", 0), old_strategy, new_strategy)
    old_parts, new_parts = old.get("parts") or {}, new.get("parts") or {}
    kinds = [*KIND_ORDER, *(key for key in [*new_parts, *old_parts] if key not in KINDS)]
    for kind in dict.fromkeys(kinds):
        before = {row["id"]: row for row in old_parts.get(kind, [])}
        after = {row["id"]: row for row in new_parts.get(kind, [])}
        for pk, row in after.items():
            if pk not in before:
                changes.append(Change(kind, pk, ADDED))
            else:
                changes += _field_changes(kind, pk, before[pk], row)
        changes += [Change(kind, pk, REMOVED) for pk in before if pk not in after]
    return changes


# Changes for people ------------------------------------------------------------


@dataclass
class FieldRow:
    label: str
    language: str
    old: str
    new: str


@dataclass
class ChangeGroup:
    """The changes of one part (or of the strategy itself), for a table."""

    kind: str
    part: int
    kind_label: str
    title: str
    action: str
    rows: list[FieldRow] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return {ADDED: _("Added"), REMOVED: _("Removed"), CHANGED: _("Changed")}[self.action]


def localized(texts: Mapping[str, str] | None) -> str:
    """The text in the reader's language, else the first language that has one."""
    texts = texts or {}
    for code in [get_language() or "", *LANGUAGES]:
        if texts.get(code):
            return str(texts[code])
    return ""


def _model_of(kind: str) -> type[Model]:
    return Strategy if kind == "strategy" else KINDS[kind].model


def part_title(kind: str, row: Mapping[str, Any]) -> str:
    """A part's name in the reader's language: its number and first non-empty text."""
    model = _model_of(kind)
    number = row.get("number") or ""
    for name in [f.name for f in model._meta.concrete_fields if f.name in translated_fields(model)]:
        text = localized(row.get(name))
        if text:
            text = text if len(text) <= 90 else text[:89] + "…"
            return f"{number} {text}".strip()
    return str(number) or f"#{row.get('id')}"


class _Names:
    """Names of linked parts and outside rows, from the snapshots compared."""

    def __init__(self, *snapshots: Mapping[str, Any]) -> None:
        self.names: dict[tuple[str, int], str] = {}
        for snapshot in reversed(snapshots):  # the newer snapshot's names win
            for label, names in (snapshot.get("refs") or {}).items():
                for pk, texts in names.items():
                    self.names[(label, int(pk))] = localized(texts)
            for kind, rows in (snapshot.get("parts") or {}).items():
                if kind not in KINDS:
                    continue
                label = KINDS[kind].model._meta.label_lower
                for row in rows:
                    self.names[(label, row["id"])] = part_title(kind, row)

    def of(self, model: type[Model], pk: Any) -> str:
        return self.names.get((model._meta.label_lower, pk), f"#{pk}")


def _shown(model: type[Model], name: str, value: Any, names: _Names) -> str:
    if value is None or value == "" or value == []:
        return ""
    if name == "order":
        return str(value + 1)
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a field of an older snapshot format
        return str(value)
    if model_field.many_to_many:
        return "; ".join(sorted(names.of(model_field.related_model, pk) for pk in value))
    if model_field.is_relation:
        return names.of(model_field.related_model, value)
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def _label(model: type[Model], name: str) -> str:
    if name == "order":
        return _("Position")
    try:
        return str(capfirst(model._meta.get_field(name).verbose_name))
    except FieldDoesNotExist:  # a field of an older snapshot format
        return name


def describe_changes(changes: list[Change], old: Mapping[str, Any], new: Mapping[str, Any]) -> list[ChangeGroup]:
    """``changes`` grouped per part, with field names, languages and values in words."""
    names = _Names(new, old)
    language_names = {code: str(name) for code, name in settings.LANGUAGES}
    rows_of = {
        snapshot_key: {
            (kind, row["id"]): row for kind, rows in (snapshot.get("parts") or {}).items() for row in rows
        }
        for snapshot_key, snapshot in (("old", old), ("new", new))
    }
    groups: list[ChangeGroup] = []
    for change in changes:
        if change.kind != "strategy" and change.kind not in KINDS:
            continue
        model = _model_of(change.kind)
        group = groups[-1] if groups else None
        if group is None or (group.kind, group.part, group.action) != (change.kind, change.part, change.action):
            if change.kind == "strategy":
                title = localized((new.get("strategy") or {}).get("title")) or localized((old.get("strategy") or {}).get("title"))
                kind_label = str(capfirst(Strategy._meta.verbose_name))
            else:
                row = rows_of["new"].get((change.kind, change.part)) or rows_of["old"].get((change.kind, change.part), {})
                title = part_title(change.kind, row) if row else f"#{change.part}"
                kind_label = str(capfirst(KINDS[change.kind].label))
            group = ChangeGroup(change.kind, change.part, kind_label, title, change.action)
            groups.append(group)
        if change.action == CHANGED:
            if change.language:
                old_text, new_text = str(change.old or ""), str(change.new or "")
            else:
                old_text = _shown(model, change.field, change.old, names)
                new_text = _shown(model, change.field, change.new, names)
            group.rows.append(
                FieldRow(_label(model, change.field), language_names.get(change.language, ""), old_text, new_text)
            )
    return groups


# The approved version for readers outside ------------------------------------------


def frozen_strategy(live: Strategy, snapshot: Mapping[str, Any]) -> Strategy:
    """The strategy as ``snapshot`` approved it, as unsaved model instances
    that templates read like the live ones: every part's text in the reader's
    language with the usual fallback, its children and links answered from
    the snapshot without queries. What is not content (organisation, status,
    parent, sub-strategies, maturity models) comes from ``live``.

    ``snapshot`` may hold only some kinds of parts, or some parts of a kind
    (a page builds what it shows): the others read as empty, and links to
    them as none."""
    own = snapshot.get("strategy") or {}
    frozen = Strategy(**_model_kwargs(Strategy, own, skip=("organisation", "parent")))
    frozen.pk = live.pk
    for name in (*APPROVAL_FIELDS, "version", "organisation_id", "parent_id", "slug"):
        setattr(frozen, name, getattr(live, name))
    for code in LANGUAGES:
        setattr(frozen, f"decision_body_{code}", getattr(live, f"decision_body_{code}"))
    frozen.organisation = live.organisation
    if live.parent_id:
        frozen.parent = live.parent
    frozen._state.adding = False
    frozen._state.db = live._state.db
    frozen.visible_children = getattr(live, "visible_children", [])  # type: ignore[attr-defined]

    names = _Names(snapshot)
    instances: dict[type[Model], dict[int, Model]] = {}
    kind_models = {kind.model for kind in KINDS.values()}
    for key, kind in KINDS.items():
        built = {}
        for row in (snapshot.get("parts") or {}).get(key, []):
            obj = kind.model(**_model_kwargs(kind.model, row))
            obj._state.adding = False
            obj._state.db = live._state.db
            obj._prefetched_objects_cache = {  # type: ignore[attr-defined]
                rel.get_accessor_name(): [] for rel in kind.model._meta.related_objects if rel.related_model in kind_models
            }
            built[row["id"]] = obj
        instances[kind.model] = built
    cache = {
        name: value
        for name, value in getattr(live, "_prefetched_objects_cache", {}).items()
        if name not in {rel.get_accessor_name() for rel in Strategy._meta.related_objects if rel.related_model in kind_models}
    }
    for rel in Strategy._meta.related_objects:
        if rel.related_model in kind_models:
            cache[rel.get_accessor_name()] = []
    frozen._prefetched_objects_cache = cache  # type: ignore[attr-defined]

    for key, kind in KINDS.items():
        model = kind.model
        for row in (snapshot.get("parts") or {}).get(key, []):
            obj = instances[model][row["id"]]
            for model_field in model._meta.concrete_fields:
                if not model_field.is_relation:
                    continue
                if model_field.name == "strategy":
                    cache[model_field.remote_field.get_accessor_name()].append(obj)
                    obj.strategy = frozen  # type: ignore[attr-defined]
                    continue
                target_id = row.get(model_field.name)
                if target_id is None:
                    continue
                parent = instances.get(model_field.related_model, {}).get(target_id)
                if parent is not None:
                    parent._prefetched_objects_cache[model_field.remote_field.get_accessor_name()].append(obj)  # type: ignore[attr-defined]
                    setattr(obj, model_field.name, parent)
                elif _left_out(model_field.related_model, target_id, names):
                    setattr(obj, model_field.attname, target_id)
                    model_field.set_cached_value(obj, None)
                else:
                    # A link outside the strategy (the parent strategy's goal): only its name is kept.
                    setattr(obj, model_field.name, _named(model_field.related_model, target_id, names))
            for many in model._meta.many_to_many:
                targets = instances.get(many.related_model)
                linked = []
                for pk in row.get(many.name, []):
                    if targets is not None and pk in targets:
                        linked.append(targets[pk])
                    elif not _left_out(many.related_model, pk, names):
                        linked.append(_named(many.related_model, pk, names))
                obj._prefetched_objects_cache[many.name] = linked  # type: ignore[attr-defined]
                if targets is not None:
                    for target in linked:
                        target._prefetched_objects_cache.setdefault(many.remote_field.get_accessor_name(), []).append(obj)  # type: ignore[attr-defined]
    return frozen


def _model_kwargs(model: type[Model], row: Mapping[str, Any], skip: Iterable[str] = ()) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    translated = translated_fields(model)
    for name, value in row.items():
        if name in skip:
            continue
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:  # a field of an older snapshot format
            continue
        if model_field.many_to_many:
            continue
        if name in translated:
            kwargs.update({f"{name}_{code}": (value or {}).get(code, "") for code in LANGUAGES})
        elif model_field.is_relation:
            continue  # linked after every part exists
        else:
            kwargs[model_field.attname] = model_field.to_python(value) if value is not None else None
    return kwargs


def _left_out(model: type[Model], pk: int, names: _Names) -> bool:
    """Whether a link points to a part of the strategy that the snapshot given
    to ``frozen_strategy`` left out (a page builds only what it shows): such
    a link reads as none. A link outside the strategy is named in ``refs``."""
    kind_models = {kind.model for kind in KINDS.values()}
    return model in kind_models and (model._meta.label_lower, pk) not in names.names


def _named(model: type[Model], pk: int, names: _Names) -> Model:
    """An unsaved stand-in for a linked row outside the strategy, with its name in every language."""
    label = REFERENCED.get(model, "title")
    name = names.of(model, pk)
    return model(pk=pk, **{f"{label}_{code}": name for code in LANGUAGES})


# Life cycle --------------------------------------------------------------------------


class LifecycleError(Exception):
    """An approval, archiving or restoring that cannot be done; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StaleStrategyError(LifecycleError):
    """Someone changed the strategy after the form was opened: nothing was written."""


def _claim(strategy: Strategy, expected_version: int, allowed: Iterable[str]) -> Strategy:
    """Move the strategy's version on if nobody did since ``expected_version``
    and its status is one of ``allowed``; the claimed row, locked."""
    claimed = (
        Strategy.objects.filter(pk=strategy.pk, version=expected_version, status__in=list(allowed))
        .update(version=F("version") + 1)
    )
    current = Strategy.objects.select_for_update().get(pk=strategy.pk)
    if not claimed:
        if current.version != expected_version:
            raise StaleStrategyError(
                _("Someone changed the strategy after you opened this page. Check it and try again.")
            )
        raise LifecycleError(_("The strategy is %(status)s: this cannot be done now.") % {"status": current.get_status_display().lower()})
    return current


def _save(strategy: Strategy, user: AbstractBaseUser) -> None:
    # The history row names the user; the main language keeps its text in the base columns.
    strategy._history_user = user  # type: ignore[attr-defined]
    with translation.override(strategy.main_language or "fi"):
        strategy.save()


def strategy_approve(
    *,
    strategy: Strategy,
    user: AbstractBaseUser,
    expected_version: int,
    expected_content: str,
    approved_on: datetime.date,
    decision_body: Mapping[str, str],
    decision_reference: str,
    note: str = "",
) -> StrategyVersion:
    """Approve the working copy as the next version.

    The strategy row's version is claimed first, so that of two approvals
    (or an approval and a settings change) one wins; ``expected_content`` is
    the ``content_sha256`` of what the approver saw, so a part saved
    meanwhile is not approved unseen.
    """
    with transaction.atomic():
        current = _claim(strategy, expected_version, allowed=[Strategy.Status.DRAFT, Strategy.Status.APPROVED])
        snapshot = strategy_snapshot(current)
        if content_sha256(snapshot) != expected_content:
            raise StaleStrategyError(
                _("The strategy changed after you opened this page. Check the changes and approve again.")
            )
        latest = latest_version(current)
        if latest is not None and not has_changes_since(latest, snapshot):
            raise LifecycleError(
                _("Nothing changed since version %(number)s: there is nothing new to approve.") % {"number": latest.number}
            )
        version = StrategyVersion.objects.create(
            strategy=current,
            number=(latest.number + 1) if latest is not None else 1,
            approved_on=approved_on,
            decision_body={code: decision_body.get(code, "") for code in LANGUAGES},
            decision_reference=decision_reference,
            note=note,
            snapshot=snapshot,
            created_by=user,
        )
        current.status = Strategy.Status.APPROVED
        current.approved_on = approved_on
        current.decision_reference = decision_reference
        for code in LANGUAGES:
            setattr(current, f"decision_body_{code}", decision_body.get(code, ""))
        _save(current, user)
    return version


def strategy_archive(*, strategy: Strategy, user: AbstractBaseUser, expected_version: int) -> Strategy:
    """Archive an approved strategy: it is kept, read-only, until restored."""
    with transaction.atomic():
        current = _claim(strategy, expected_version, allowed=[Strategy.Status.APPROVED])
        current.status = Strategy.Status.ARCHIVED
        _save(current, user)
    return current


def strategy_restore(*, strategy: Strategy, user: AbstractBaseUser, expected_version: int) -> Strategy:
    """Bring an archived strategy back to approved."""
    with transaction.atomic():
        current = _claim(strategy, expected_version, allowed=[Strategy.Status.ARCHIVED])
        current.status = Strategy.Status.APPROVED
        _save(current, user)
    return current
