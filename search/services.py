"""Search over what a reader may see: strategies, their goals, objectives,
focus areas and actions, indicators and (for signed-in people) strategic
choices, spearhead programmes and plan items.

The rule:

- A reader searches exactly what the pages show them. ``scope_for_user``
  and ``scope_public`` answer *which* strategies, from the same querysets the
  pages use; nothing here decides a permission of its own.
- A strategy whose page shows the live rows (its insiders, or an approved
  strategy without a frozen version yet) is searched in the database. A
  strategy whose page shows the latest approved version (everyone else, and
  every visitor of the public pages) is searched in that version's snapshot,
  so unapproved edits never surface in anyone else's results.
- Indicators are searched live (their pages are live); plan items only in the
  plans ``AnnualPlan.objects.visible_to`` lets the reader see, and never on
  the public search.
- ``text_match`` is the one place that picks the backend by
  ``connection.vendor``: PostgreSQL full-text search with each language
  column in its own configuration (finnish, swedish, english), titles
  weighted above descriptions and ranked; elsewhere (SQLite) every word must
  occur as a case-insensitive substring. Snapshots are matched in Python the
  same substring way on both.
- Texts are shown in the reader's language with the usual fallback
  (fi → sv → en); the snippet quotes the text that matched, in its own
  language, with the matched words marked.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, overload

from django.conf import settings
from django.db import connection
from django.db.models import (
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Replace
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator
from strategy.access import access_for
from strategy.fragments import cached, data_stamp, fragment_key, stamp_parts
from strategy.models import (
    Action,
    AnnualPlan,
    FocusArea,
    Goal,
    Objective,
    PlanItem,
    SpearheadProgramme,
    StrategicChoice,
    Strategy,
    StrategyVersion,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

LANGUAGES: tuple[str, ...] = tuple(settings.MODELTRANSLATION_LANGUAGES)
# PostgreSQL text search configuration per language column.
PG_CONFIGS: dict[str, str] = {"fi": "finnish", "sv": "swedish", "en": "english"}
# Untranslated texts (plan items) are written in whatever language the unit
# uses: index them without stemming and let prefix matching do the rest.
PG_PLAIN_CONFIG = "simple"

MAX_TERMS = 8
# A live query returns at most this many rows of one kind (best first on
# PostgreSQL); the page says so when a kind reaches it.
LIMIT_PER_KIND = 200
SNIPPET_CHARS = 180

_WORD = re.compile(r"\w+")
_UNQUOTE = str.maketrans({"'": " ", "\\": " "})


@dataclass(frozen=True)
class Kind:
    """A kind of result: where its rows live and which texts are searched.

    ``title`` and ``texts`` are translated fields (searched in every
    language), ``plain`` untranslated ones; ``extra`` further values the link
    or the label needs. ``strategy_field`` leads from a row to its strategy.
    """

    key: str
    label: Promise
    model: type
    strategy_field: str
    title: str
    texts: tuple[str, ...] = ()
    plain: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    snapshot_key: str | None = None
    public: bool = True


KINDS: tuple[Kind, ...] = (
    Kind(
        "strategy",
        _("Strategies"),
        Strategy,
        "pk",
        "title",
        ("motto", "purpose", "introduction"),
        snapshot_key="",
    ),
    Kind("goal", _("Goals"), Goal, "strategy_id", "title", ("description",), snapshot_key="goal"),
    Kind(
        "objective",
        _("Objectives"),
        Objective,
        "goal__strategy_id",
        "title",
        ("description",),
        extra=("number",),
        snapshot_key="objective",
    ),
    # Lahti's strategy is its choices and Lappeenranta's its spearheads; the
    # public pages do not show either, so only signed-in people find them.
    Kind(
        "choice",
        _("Strategic choices"),
        StrategicChoice,
        "strategy_id",
        "theme",
        ("question", "invest_in", "more_than", "summary"),
        snapshot_key="choice",
        public=False,
    ),
    Kind(
        "spearhead",
        _("Spearhead programmes"),
        SpearheadProgramme,
        "strategy_id",
        "name",
        ("description",),
        snapshot_key="spearhead",
        public=False,
    ),
    Kind(
        "focus-area",
        _("Focus areas"),
        FocusArea,
        "strategy_id",
        "title",
        ("description",),
        extra=("number",),
        snapshot_key="focus-area",
    ),
    Kind(
        "action",
        _("Actions"),
        Action,
        "strategy_id",
        "title",
        ("description",),
        extra=("number", "focus_area"),
        snapshot_key="action",
    ),
    Kind(
        "indicator",
        _("Indicators"),
        Indicator,
        "strategy_id",
        "name",
        ("description",),
        snapshot_key="indicator",
    ),
    Kind(
        "plan-item",
        _("Plan items"),
        PlanItem,
        "plan__strategy_id",
        "action__title",
        plain=("description", "year_end_assessment"),
        extra=("plan", "plan__year", "plan__unit__name"),
        public=False,
    ),
)
KIND_BY_KEY: dict[str, Kind] = {kind.key: kind for kind in KINDS}


# What a reader may search ---------------------------------------------------------


@dataclass(frozen=True)
class StrategyRef:
    """What a result needs of its strategy: the link and its name."""

    pk: int
    slug: str
    organisation_slug: str
    title: Mapping[str, str]


@dataclass
class Scope:
    """The strategies (and plans) one reader's search covers, as the pages show them.

    ``live`` strategies are searched in their rows, ``snapshots`` (strategy
    id → approved snapshot) in the version the reader's page shows instead.
    ``indicators`` are the strategies whose indicator pages the reader opens.
    """

    public: bool
    strategies: dict[int, StrategyRef]
    live: frozenset[int]
    snapshots: dict[int, Mapping[str, Any]]
    indicators: frozenset[int]
    plans: QuerySet[AnnualPlan] | None = None
    # The approved versions searched, as (strategy, version, SHA-256), and
    # what decides which plans the reader sees: both key cached results.
    versions: frozenset[tuple[int, int, str]] = frozenset()
    reach: str = ""


# Parsed snapshots of approved versions, by (version id, SHA-256 of the
# snapshot): a version never changes (``StrategyVersion.save``), so a kept
# snapshot is never stale, and the search reads them without parsing the
# JSON again (hundreds of kilobytes a strategy at city scale). Read-only:
# every search of the process shares them. A city's strategies fit.
_SNAPSHOTS: OrderedDict[tuple[int, str], Mapping[str, Any]] = OrderedDict()
_SNAPSHOTS_KEPT = 16
_SNAPSHOTS_LOCK = threading.Lock()


def _latest_snapshots(
    strategy_ids: Iterable[int],
) -> tuple[dict[int, Mapping[str, Any]], frozenset[tuple[int, int, str]]]:
    """The latest approved version's snapshot of each strategy that has one,
    and those versions as (strategy, version, SHA-256): one query, and a
    second for the snapshots this process has not read yet."""
    strategy_ids = list(strategy_ids)
    if not strategy_ids:
        return {}, frozenset()
    latest = (
        StrategyVersion.objects.filter(strategy_id=OuterRef("strategy_id"))
        .order_by("-number")
        .values("number")[:1]
    )
    versions = list(
        StrategyVersion.objects.filter(
            strategy_id__in=strategy_ids, number=Subquery(latest)
        ).values_list("strategy_id", "pk", "snapshot_sha256")
    )
    with _SNAPSHOTS_LOCK:
        found = {(pk, sha): _SNAPSHOTS.get((pk, sha)) for _strategy, pk, sha in versions}
    missing = [pk for (pk, _sha), snapshot in found.items() if snapshot is None]
    if missing:
        read = StrategyVersion.objects.filter(pk__in=missing).values_list(
            "pk", "snapshot_sha256", "snapshot"
        )
        found.update({(pk, sha): snapshot for pk, sha, snapshot in read})
    with _SNAPSHOTS_LOCK:
        for key, snapshot in found.items():
            if snapshot is not None:
                _SNAPSHOTS[key] = snapshot
                _SNAPSHOTS.move_to_end(key)
        while len(_SNAPSHOTS) > _SNAPSHOTS_KEPT:
            _SNAPSHOTS.popitem(last=False)
    kept = [
        (strategy_id, pk, sha)
        for strategy_id, pk, sha in versions
        if found.get((pk, sha)) is not None
    ]
    return (
        {strategy_id: found[(pk, sha)] for strategy_id, pk, sha in kept},
        frozenset(kept),
    )


_REF_FIELDS: tuple[str, ...] = (
    "pk",
    "slug",
    "organisation__slug",
    *(f"title_{code}" for code in LANGUAGES),
)


def _strategy_ref(row: Mapping[str, Any]) -> StrategyRef:
    return StrategyRef(
        pk=row["pk"],
        slug=row["slug"],
        organisation_slug=row["organisation__slug"],
        title={code: row[f"title_{code}"] or "" for code in LANGUAGES},
    )


def _strategy_refs(strategies: QuerySet[Strategy]) -> dict[int, StrategyRef]:
    return {row["pk"]: _strategy_ref(row) for row in strategies.values(*_REF_FIELDS)}


def scope_for_user(user: AbstractBaseUser | AnonymousUser) -> Scope:
    """What a signed-in person searches: the strategies ``visible_to`` them,
    live where ``drafts_visible_to`` lets them read the working copy (as the
    overview does), else the latest approved version; indicators as their
    pages allow; plan items of the plans ``AnnualPlan.objects.visible_to`` them."""
    insider = Exists(Strategy.objects.drafts_visible_to(user).filter(pk=OuterRef("pk")))
    rows = list(
        Strategy.objects.visible_to(user)
        .annotate(search_insider=insider)
        .values(*_REF_FIELDS, "search_insider")
    )
    strategies = {row["pk"]: _strategy_ref(row) for row in rows}
    snapshots, versions = _latest_snapshots(row["pk"] for row in rows if not row["search_insider"])
    access = access_for(user)
    return Scope(
        public=False,
        strategies=strategies,
        live=frozenset(pk for pk in strategies if pk not in snapshots),
        snapshots=snapshots,
        # Indicator.objects.visible_to: the indicators of the strategies the reader sees.
        indicators=frozenset(strategies),
        plans=AnnualPlan.objects.visible_to(user),
        versions=versions,
        # AnnualPlan.objects.visible_to: the memberships' places and roles.
        reach=f"{access.is_superuser}|"
        + ",".join(sorted(f"{m.organisation.path}:{m.role}" for m in access.memberships)),
    )


def scope_public() -> Scope:
    """What a visitor without an account searches: published strategies and
    their indicators' definitions, read from their latest approved version
    as the public pages read them; no plan items."""
    strategies = _strategy_refs(Strategy.objects.published())
    snapshots, versions = _latest_snapshots(strategies)
    # A published strategy without a version has nothing approved to show:
    # the public pages answer 404 for it, and so it is not searched.
    return Scope(
        public=True,
        strategies={pk: ref for pk, ref in strategies.items() if pk in snapshots},
        live=frozenset(),
        snapshots=snapshots,
        indicators=frozenset(),
        versions=versions,
    )


# Matching ------------------------------------------------------------------------


def search_terms(query: str) -> list[str]:
    """The words of a query, lower-cased, at most ``MAX_TERMS``; punctuation is not searched."""
    return list(dict.fromkeys(word.casefold() for word in _WORD.findall(query)))[:MAX_TERMS]


def _columns(kind: Kind) -> tuple[list[str], list[str]]:
    """The searched columns of ``kind``: (translated base names, title first; plain names)."""
    return [kind.title, *kind.texts], list(kind.plain)


def _words(column: str) -> Replace:
    """The column with slashes read as spaces: PostgreSQL's parser takes
    "lainojen/asukas" for one file path, so neither word would be found."""
    return Replace(F(column), Value("/"), Value(" "), output_field=TextField())


def pg_raw_query(query: str) -> str:
    """A ``to_tsquery`` text: every word of ``query`` quoted and as a prefix
    (results follow the typing). Quoting hands each word to the same parser
    as the texts, so "19.5.2021" or "18–19.30" match as they were indexed;
    quotes and backslashes are dropped, so what people type cannot break the
    syntax."""
    words = [
        word for word in query.replace("/", " ").translate(_UNQUOTE).split() if _WORD.search(word)
    ]
    return " & ".join(f"'{word}':*" for word in words[:MAX_TERMS])


def pg_document(kind: Kind) -> Any:
    """The searched texts of ``kind`` as one PostgreSQL ``tsvector``: the
    title weighted A, the other texts B, each language's columns with that
    language's stemming and the untranslated ones without. The index of
    ``pg_search_indexes`` is built on this same expression."""
    from django.contrib.postgres.search import SearchVector

    translated, plain = _columns(kind)
    vectors = [
        SearchVector(
            _words(f"{name}_{code}"), config=PG_CONFIGS[code], weight="A" if index == 0 else "B"
        )
        for index, name in enumerate(translated)
        for code in LANGUAGES
    ]
    vectors += [SearchVector(_words(name), config=PG_PLAIN_CONFIG, weight="B") for name in plain]
    document = vectors[0]
    for vector in vectors[1:]:
        document = document + vector
    return document


def pg_search_indexes() -> list[tuple[Kind, Any]]:
    """A GIN index on ``pg_document`` for each kind whose texts are all in its
    own table, so that PostgreSQL finds the matching rows from the index
    instead of reading every row's texts at each search (plan items take
    their title from their action, which an index of one table cannot hold)."""
    from django.contrib.postgres.indexes import GinIndex

    indexes = []
    for kind in KINDS:
        translated, plain = _columns(kind)
        if any("__" in name for name in [*translated, *plain]):
            continue
        indexes.append((kind, GinIndex(pg_document(kind), name=f"search_{kind.key.replace('-', '_')}_gin")))
    return indexes


def text_match(rows: QuerySet[Any], kind: Kind, query: str) -> QuerySet[Any]:
    """``rows`` of ``kind`` that contain every term, annotated with ``search_rank``
    and ordered best first. PostgreSQL ranks with full-text search; other
    databases match substrings and rank in Python (``python_rank``)."""
    translated, plain = _columns(kind)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        document = pg_document(kind)
        raw = pg_raw_query(query)
        # A word matches in any language's stemming (a Finnish reader may type Swedish).
        search = SearchQuery(raw, config=PG_PLAIN_CONFIG, search_type="raw")
        for config in PG_CONFIGS.values():
            search = search | SearchQuery(raw, config=config, search_type="raw")
        return (
            rows.annotate(search_document=document)
            .filter(search_document=search)
            .annotate(search_rank=SearchRank(F("search_document"), search))
            .order_by("-search_rank", "pk")
        )
    names = [f"{name}_{code}" for name in translated for code in LANGUAGES] + plain
    for term in search_terms(query):
        anywhere = Q()
        for name in names:
            anywhere |= Q(**{f"{name}__icontains": term})
        rows = rows.filter(anywhere)
    return rows.annotate(search_rank=Value(0.0, output_field=FloatField())).order_by("pk")


def python_rank(title: Mapping[str, str], texts: Iterable[str], terms: list[str]) -> float:
    """0 if some term is missing; else between 0.4 and 1, higher the more
    terms are in the title (as the A weight does on PostgreSQL)."""
    title_text = " ".join(title.values()).casefold()
    body = " ".join(texts).casefold()
    rank = 0.0
    for term in terms:
        if term in title_text:
            rank += 1.0
        elif term in body:
            rank += 0.4
        else:
            return 0.0
    return rank / len(terms)


# Results -------------------------------------------------------------------------


@dataclass(frozen=True)
class Snippet:
    """A quoted piece of the text that matched: (text, marked) pieces, in ``language``."""

    pieces: tuple[tuple[str, bool], ...]
    language: str


@dataclass
class Hit:
    kind: Kind
    pk: int
    title: str
    title_language: str
    context: str
    url: str
    snippet: Snippet | None
    rank: float

    @property
    def kind_key(self) -> str:
        return self.kind.key


@dataclass(frozen=True)
class Match:
    """A row that matched, with what orders it among the results: its rank
    and its title as shown. The rest of its ``Hit`` (the link, the context,
    the snippet) is made only when the hit is shown (``Hits``): a search
    may match hundreds of rows, a page shows twenty."""

    kind: Kind
    row: Mapping[str, Any]
    title: Mapping[str, str]
    texts: Mapping[str, Mapping[str, str]]
    plain: Mapping[str, str]
    rank: float
    shown: str
    shown_language: str

    @property
    def order(self) -> tuple[float, str, int]:
        return (-self.rank, self.shown.casefold(), self.row["pk"])


class Hits(Sequence[Hit]):
    """The hits of one search in order, each made from its ``Match`` the
    first time it is read (a page of them, for the paginator)."""

    def __init__(
        self, matches: list[Match], *, scope: Scope, terms: list[str], language: str
    ) -> None:
        self._matches = matches
        self._scope = scope
        self._terms = terms
        self._language = language
        self._made: dict[int, Hit] = {}

    def __len__(self) -> int:
        return len(self._matches)

    @overload
    def __getitem__(self, index: int) -> Hit: ...

    @overload
    def __getitem__(self, index: slice) -> list[Hit]: ...

    def __getitem__(self, index: int | slice) -> Hit | list[Hit]:
        if isinstance(index, slice):
            return [self[position] for position in range(*index.indices(len(self)))]
        match = self._matches[index]
        position = index % len(self._matches)
        if position not in self._made:
            self._made[position] = _hit(
                self._scope, match, terms=self._terms, language=self._language
            )
        return self._made[position]


@dataclass
class Results:
    """Every match of one search, best first within each kind, kinds in
    ``KINDS`` order; ``hits`` shows them."""

    query: str
    terms: list[str]
    matches: list[Match] = field(default_factory=list)
    capped: list[Kind] = field(default_factory=list)
    hits: Sequence[Hit] = ()


def localized(texts: Mapping[str, str], language: str) -> tuple[str, str]:
    """(text, its language): the reader's language, else the first that has one."""
    for code in [language, *LANGUAGES]:
        if texts.get(code):
            return texts[code], code
    return "", language


def _stems(term: str) -> list[str]:
    """The term and shorter forms of it: PostgreSQL matches inflected words
    ("strategioiden" finds "strategia"), the snippet should still mark them."""
    return [term[:length] for length in range(len(term), max(3, len(term) - 4) - 1, -1)] or [term]


def make_snippet(texts: list[tuple[str, str]], terms: list[str]) -> Snippet | None:
    """The first of ``texts`` ((text, language), in the order to prefer) that
    contains a term, cut around the first match, with every term marked."""
    for candidates in (terms, [stem for term in terms for stem in _stems(term)[1:]]):
        if not candidates:
            continue
        pattern = re.compile(
            "|".join(re.escape(term) for term in sorted(candidates, key=len, reverse=True)),
            re.IGNORECASE,
        )
        for text, language in texts:
            found = pattern.search(text)
            if found is None:
                continue
            start = max(0, found.start() - SNIPPET_CHARS // 3)
            end = min(len(text), start + SNIPPET_CHARS)
            window = text[start:end]
            pieces: list[tuple[str, bool]] = [("…", False)] if start else []
            position = 0
            for match in pattern.finditer(window):
                if match.start() > position:
                    pieces.append((window[position : match.start()], False))
                pieces.append((match.group(), True))
                position = match.end()
            if position < len(window):
                pieces.append((window[position:], False))
            if end < len(text):
                pieces.append(("…", False))
            return Snippet(pieces=tuple(pieces), language=language)
    return None


def _anchor(kind: Kind, row: Mapping[str, Any], *, public: bool) -> str:
    """Where on the strategy's page (signed-in or public) the part is shown."""
    area = row.get("focus_area")
    if public:
        anchors = {
            "goal": "#goals",
            "objective": "#goals",
            "focus-area": f"#area-{row['pk']}",
            "action": f"#area-{area}" if area else "#other-actions",
        }
    else:
        anchors = {
            "choice": "#choices-heading",
            "spearhead": "#spearheads-heading",
            "goal": "#goals-heading",
            "objective": "#goals-heading",
            "focus-area": f"#focus-{row['pk']}",
            "action": f"#focus-{area}" if area else "#focus-heading",
        }
    return anchors.get(kind.key, "")


def _hit_url(scope: Scope, kind: Kind, row: Mapping[str, Any], ref: StrategyRef) -> str:
    if kind.key == "plan-item":
        return f"{reverse('plan-detail', args=[row['plan']])}#item-{row['pk']}"
    if scope.public:
        if kind.key == "indicator":
            return reverse(
                "public-indicator",
                kwargs={"org_slug": ref.organisation_slug, "slug": ref.slug, "pk": row["pk"]},
            )
        base = reverse(
            "public-strategy", kwargs={"org_slug": ref.organisation_slug, "slug": ref.slug}
        )
    else:
        if kind.key == "indicator":
            return reverse("indicator-detail", args=[ref.slug, row["pk"]])
        base = reverse("strategy-detail", args=[ref.slug])
    return base + _anchor(kind, row, public=scope.public)


def _match(
    kind: Kind,
    row: Mapping[str, Any],
    *,
    title: Mapping[str, str],
    texts: Mapping[str, Mapping[str, str]],
    plain: Mapping[str, str],
    rank: float,
    language: str,
) -> Match:
    shown, shown_language = localized(title, language)
    if row.get("number"):
        shown = f"{row['number']} {shown}"
    return Match(
        kind=kind,
        row=row,
        title=title,
        texts=texts,
        plain=plain,
        rank=rank,
        shown=shown,
        shown_language=shown_language,
    )


def _hit(scope: Scope, match: Match, *, terms: list[str], language: str) -> Hit:
    kind, row, title, shown_language = match.kind, match.row, match.title, match.shown_language
    ref = scope.strategies[row["strategy_id"]]
    order = list(dict.fromkeys([shown_language, language, *LANGUAGES]))
    candidates = [(match.texts[name].get(code, ""), code) for name in match.texts for code in order]
    candidates += [(text, "") for text in match.plain.values()]
    # The title as shown needs no quote; the title in another language that matched does.
    candidates += [(title.get(code, ""), code) for code in order if code != shown_language]
    context = localized(_strategy_title(scope, row["strategy_id"]), language)[0]
    if kind.key == "plan-item":
        context = f"{row['plan__unit__name']} {row['plan__year']} · {context}"
    return Hit(
        kind=kind,
        pk=row["pk"],
        title=match.shown,
        title_language=shown_language,
        context="" if kind.key == "strategy" else context,
        url=_hit_url(scope, kind, row, ref),
        snippet=make_snippet([(text, code) for text, code in candidates if text], terms),
        rank=match.rank,
    )


def _per_language(row: Mapping[str, Any], name: str) -> dict[str, str]:
    return {code: row.get(f"{name}_{code}") or "" for code in LANGUAGES}


def _live_ids(scope: Scope, kind: Kind) -> frozenset[int]:
    """The strategies whose live rows of ``kind`` the reader's pages show."""
    if kind.key == "indicator":
        return scope.indicators
    if kind.key == "plan-item":
        # Plans are live whatever version of the strategy the reader sees;
        # which plans, ``scope.plans`` says.
        return frozenset(scope.strategies) if scope.plans is not None else frozenset()
    return scope.live


def _live_matches(
    scope: Scope, kind: Kind, terms: list[str], language: str, results: Results
) -> list[Match]:
    ids = _live_ids(scope, kind)
    if not ids:
        return []
    rows = kind.model._default_manager.filter(**{f"{kind.strategy_field}__in": list(ids)})
    if kind.key == "plan-item":
        rows = rows.filter(plan__in=scope.plans)
    translated, plain = _columns(kind)
    names = [f"{name}_{code}" for name in translated for code in LANGUAGES]
    matched = list(
        text_match(rows, kind, results.query)
        .annotate(search_strategy=F(kind.strategy_field))
        .values("pk", "search_strategy", "search_rank", *names, *plain, *kind.extra)[
            : LIMIT_PER_KIND + 1
        ]
    )
    if len(matched) > LIMIT_PER_KIND:
        results.capped.append(kind)
        matched = matched[:LIMIT_PER_KIND]
    matches = []
    for row in matched:
        row["strategy_id"] = row["search_strategy"]
        title = _per_language(row, kind.title)
        texts = {name: _per_language(row, name) for name in kind.texts}
        plain_texts = {name: row[name] or "" for name in plain}
        rank = row["search_rank"] or python_rank(
            title,
            [t for v in texts.values() for t in v.values()] + list(plain_texts.values()),
            terms,
        )
        matches.append(
            _match(
                kind,
                row,
                title=title,
                texts=texts,
                plain=plain_texts,
                rank=rank,
                language=language,
            )
        )
    return matches


def _strategy_title(scope: Scope, strategy_id: int) -> Mapping[str, str]:
    """The strategy's name as the reader's page shows it: the approved one if they see a version."""
    snapshot = scope.snapshots.get(strategy_id)
    if snapshot is not None:
        return (snapshot.get("strategy") or {}).get("title") or {}
    return scope.strategies[strategy_id].title


def _snapshot_matches(scope: Scope, kind: Kind, terms: list[str], language: str) -> list[Match]:
    # Signed-in indicator pages show the live definition, the public ones the approved.
    if kind.snapshot_key is None or (kind.key == "indicator" and not scope.public):
        return []
    matches = []
    for strategy_id, snapshot in scope.snapshots.items():
        if kind.snapshot_key == "":
            rows = [{**(snapshot.get("strategy") or {}), "id": strategy_id}]
        else:
            rows = (snapshot.get("parts") or {}).get(kind.snapshot_key, [])
        for row in rows:
            title = {code: (row.get(kind.title) or {}).get(code) or "" for code in LANGUAGES}
            texts = {
                name: {code: (row.get(name) or {}).get(code) or "" for code in LANGUAGES}
                for name in kind.texts
            }
            rank = python_rank(title, [t for v in texts.values() for t in v.values()], terms)
            if not rank:
                continue
            values = {
                "pk": row["id"],
                "strategy_id": strategy_id,
                **{name: row.get(name) for name in kind.extra},
            }
            matches.append(
                _match(
                    kind,
                    values,
                    title=title,
                    texts=texts,
                    plain={},
                    rank=rank,
                    language=language,
                )
            )
    return matches


def _searched_kinds(scope: Scope) -> list[Kind]:
    return [kind for kind in KINDS if kind.public or not scope.public]


def search_run(
    *, scope: Scope, query: str, language: str | None = None, kinds: Iterable[Kind] | None = None
) -> Results:
    """Every result of ``query`` in ``scope`` (of ``kinds`` only, if given),
    grouped by kind in ``KINDS`` order and best first within a kind; one
    query per kind of live rows. Only the hits that are read are made in
    full (``Hits``)."""
    language = (language or get_language() or settings.LANGUAGE_CODE)[:2]
    terms = search_terms(query)
    results = Results(query=query, terms=terms)
    if terms:
        wanted = _searched_kinds(scope) if kinds is None else list(kinds)
        for kind in KINDS:
            if kind not in wanted:
                continue
            matches = _snapshot_matches(scope, kind, terms, language) + _live_matches(
                scope, kind, terms, language, results
            )
            matches.sort(key=lambda match: match.order)
            results.matches += matches
    results.hits = Hits(results.matches, scope=scope, terms=terms, language=language)
    return results


# Cached results ------------------------------------------------------------------


def _stamps(scope: Scope) -> tuple[str, str | None]:
    """What the results of ``scope`` are read from, in one query: the content
    stamp of each strategy (its parts, indicators and name, replaced by
    triggers on any change) and the organisations (their names and places);
    and for the plan items also the stamp of what is searched in them and
    which plans there are (``plan-texts``: not renewed by a status or a
    progress saved), or None for a reader who sees no plans."""
    sees_plans = scope.plans is not None and not scope.public
    plans = [data_stamp("plan-texts")] if sees_plans else []
    strategies, organisations, *rest = stamp_parts(sorted(scope.strategies), *plans)
    content = f"{strategies}-{organisations}"
    return content, f"{content}-{rest[0]}" if rest else None


def _match_values(match: Match) -> tuple[Any, ...]:
    """A match as plain values for the cache, its kind by key."""
    return (
        match.kind.key,
        match.row,
        match.title,
        match.texts,
        match.plain,
        match.rank,
        match.shown,
        match.shown_language,
    )


def search_keys(*, scope: Scope, query: str, language: str | None = None) -> list[tuple[str, list[Kind]]] | None:
    """The cache keys of ``search_cached``'s results, each with the kinds
    kept under it (None when there is nothing to search): everything the
    matches are read from, the stamps read in one query. A page that
    renders the results keeps its HTML under the same keys."""
    language = (language or get_language() or settings.LANGUAGE_CODE)[:2]
    if not search_terms(query) or not scope.strategies:
        return None
    content_stamp, plans_stamp = _stamps(scope)
    seen = (
        query,
        language,
        scope.public,
        sorted(scope.strategies),
        sorted(scope.live),
        sorted(scope.versions),
        sorted(scope.indicators),
        scope.reach,
    )
    # Plan items' texts change more often than the strategy's; their matches
    # are kept apart, so that an item's new text searches the plan items
    # again and reads the rest from the cache.
    searched = _searched_kinds(scope)
    plan_kinds = [kind for kind in searched if kind.key == "plan-item"]
    other_kinds = [kind for kind in searched if kind not in plan_kinds]
    parts = [(fragment_key("search", *seen, content_stamp), other_kinds)]
    if plans_stamp is not None and plan_kinds:
        parts.append((fragment_key("search-plans", *seen, plans_stamp), plan_kinds))
    return parts


def search_cached(
    *, scope: Scope, query: str, language: str | None = None, keys: list[tuple[str, list[Kind]]] | None = None
) -> Results:
    """``search_run``, its matches kept in the fragment cache under a key of
    everything they are read from (``search_keys``; ``keys`` when the caller
    has read them): the query and language, the reader's scope (strategies,
    which are live, the approved versions, the plans' reach) and the stamps
    of the content (``_stamps``), the plan items' matches apart from the
    rest. Paging through the results, or asking again, reads them back
    instead of searching anew; any change to what was searched gives a new key."""
    language = (language or get_language() or settings.LANGUAGE_CODE)[:2]
    terms = search_terms(query)
    parts = keys or search_keys(scope=scope, query=query, language=language)
    if parts is None:
        return search_run(scope=scope, query=query, language=language)

    kept: list[tuple[Any, ...]] = []
    capped: list[str] = []
    for key, kinds in parts:

        def compute(kinds: list[Kind] = kinds) -> tuple[list[tuple[Any, ...]], list[str]]:
            found = search_run(scope=scope, query=query, language=language, kinds=kinds)
            return [_match_values(match) for match in found.matches], [
                kind.key for kind in found.capped
            ]

        part_kept, part_capped = cached(key, compute, cache="search_results")
        kept += part_kept
        capped += part_capped
    results = Results(
        query=query,
        terms=terms,
        matches=[Match(KIND_BY_KEY[kind], *rest) for kind, *rest in kept],
        capped=[KIND_BY_KEY[kind] for kind in capped],
    )
    results.hits = Hits(results.matches, scope=scope, terms=terms, language=language)
    return results
