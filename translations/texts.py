"""Every translatable text of a strategy, and the status of its translations.

The texts: the strategy's own fields, every part of every kind in the
editor's registry (``strategy.editor.KINDS``, indicators included), the
indicators' scale levels, and the strategy's maturity models with their
levels, dimensions and criteria. Each translated field of each object is one
text, named ``app.model.pk.field`` (``strategy.focusarea.12.title``), which
stays the same across exports. A text whose source (the strategy's main
language) is empty has nothing to translate and is left out.

The status of a text in another language, the one rule:

- *missing*: the translated column is empty;
- *outdated*: a ``TranslationMark`` exists and its digest differs from the
  digest of the source text as it is now;
- *up to date*: otherwise (confirmed against this source, or never marked).

Everything is read in one query per model plus one for the marks, so the
number of queries does not grow with the strategy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils.text import capfirst

from indicators.models import ScaleLevel
from maturity.models import Criterion, Dimension, Level, MaturityModel
from strategy.editor import KINDS
from strategy.editor_forms import translated_fields
from strategy.models import Strategy

from .models import TranslationMark

LANGUAGE_CODES: list[str] = [code for code, _name in settings.LANGUAGES]

MISSING = "missing"
OUTDATED = "outdated"
CURRENT = "current"


@dataclass(frozen=True)
class Source:
    """A model with translated fields and its way to the strategy (a lookup path)."""

    model: type[Model]
    path: str

    def of_strategy(self, strategy: Strategy) -> Any:
        return self.model._default_manager.filter(**{self.path: strategy.pk})

    @property
    def versioned(self) -> bool:
        return any(f.name == "version" for f in self.model._meta.concrete_fields)

    @property
    def fields(self) -> list[str]:
        # In the order the model declares them (a title before its description).
        translated = translated_fields(self.model)
        return [f.name for f in self.model._meta.concrete_fields if f.name in translated]


def _sources() -> list[Source]:
    sources = [Source(Strategy, "pk")]
    for kind in KINDS.values():
        sources.append(
            Source(
                kind.model, "strategy" if kind.parent == "strategy" else f"{kind.parent}__strategy"
            )
        )
    sources += [
        Source(ScaleLevel, "indicator__strategy"),
        Source(MaturityModel, "strategy"),
        Source(Level, "model__strategy"),
        Source(Dimension, "model__strategy"),
        Source(Criterion, "dimension__model__strategy"),
    ]
    return sources


SOURCES: list[Source] = _sources()
SOURCE_BY_MODEL: dict[type[Model], Source] = {source.model: source for source in SOURCES}


def digest(text: str | None) -> str:
    """The SHA-256 of a text as a form would save it (line ends and the
    surrounding whitespace do not count as changes)."""
    normal = (text or "").replace("\r\n", "\n").strip()
    return hashlib.sha256(normal.encode()).hexdigest()


def text_key(model: type[Model], pk: int, field: str) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}.{pk}.{field}"


def parse_key(key: str) -> tuple[Source, int, str] | None:
    """The source, primary key and field named by ``key``; None for anything
    that is not a translated field of a known model."""
    parts = key.split(".")
    if len(parts) != 4 or not parts[2].isdigit():
        return None
    app_label, model_name, pk, field = parts
    for source in SOURCES:
        meta = source.model._meta
        if meta.app_label == app_label and meta.model_name == model_name and field in source.fields:
            return source, int(pk), field
    return None


def lock_token(obj: Model | dict[str, Any], field: str, main: str, language: str) -> str:
    """What a save compares to refuse a stale form: the digest of the source
    and the translation the form was opened on. Unlike the editor's version
    it leaves the other texts of the same part alone, so a translator who
    saves a title can still save its description from the same page."""
    read = obj.get if isinstance(obj, dict) else lambda name: getattr(obj, name)
    both = f"{read(f'{field}_{main}') or ''}\x00{read(f'{field}_{language}') or ''}"
    return digest(both)[:16]


@dataclass
class Text:
    """One translated field of one object in one target language."""

    source_def: Source
    pk: int
    field: str
    language: str
    main: str
    source: str
    target: str
    status: str
    token: str

    @property
    def key(self) -> str:
        return text_key(self.source_def.model, self.pk, self.field)

    @property
    def source_digest(self) -> str:
        return digest(self.source)

    @property
    def dom_id(self) -> str:
        return "text-" + self.key.replace(".", "-")

    @property
    def label(self) -> str:
        """ "Focus area · Title": what kind of text this is, for people."""
        meta = self.source_def.model._meta
        return (
            f"{capfirst(meta.verbose_name)} · {capfirst(meta.get_field(self.field).verbose_name)}"
        )


def status_of(target: str, mark: str | None, source_digest: str) -> str:
    if not target.strip():
        return MISSING
    if mark is not None and mark != source_digest:
        return OUTDATED
    return CURRENT


def strategy_texts(
    strategy: Strategy, languages: Iterable[str] | None = None
) -> dict[str, list[Text]]:
    """Every translatable text of ``strategy`` in each of ``languages``
    (default: every language but the main one), in the order of the models
    and their parts."""
    main = strategy.main_language or "fi"
    wanted = [
        code for code in (languages or LANGUAGE_CODES) if code != main and code in LANGUAGE_CODES
    ]
    result: dict[str, list[Text]] = {code: [] for code in wanted}
    if not wanted:
        return result
    content_types = ContentType.objects.get_for_models(*[source.model for source in SOURCES])
    marks: dict[tuple[int, int, str, str], str] = {
        (ct_id, object_id, field, language): source_digest
        for ct_id, object_id, field, language, source_digest in TranslationMark.objects.filter(
            strategy=strategy, language__in=wanted
        ).values_list("content_type_id", "object_id", "field", "language", "source_digest")
    }
    for source in SOURCES:
        fields = source.fields
        columns = [f"{name}_{code}" for name in fields for code in [main, *wanted]]
        ordering = [*(source.model._meta.ordering or []), "pk"]
        rows = source.of_strategy(strategy).order_by(*ordering).values("pk", *columns)
        ct_id = content_types[source.model].pk
        for row in rows:
            for name in fields:
                text = row[f"{name}_{main}"] or ""
                if not text.strip():
                    continue
                source_digest = digest(text)
                for code in wanted:
                    target = row[f"{name}_{code}"] or ""
                    result[code].append(
                        Text(
                            source_def=source,
                            pk=row["pk"],
                            field=name,
                            language=code,
                            main=main,
                            source=text,
                            target=target,
                            status=status_of(
                                target, marks.get((ct_id, row["pk"], name, code)), source_digest
                            ),
                            token=lock_token(row, name, main, code),
                        )
                    )
    return result


@dataclass(frozen=True)
class Coverage:
    """How much of a strategy is translated into one language."""

    language: str
    total: int
    missing: int
    outdated: int

    @property
    def current(self) -> int:
        return self.total - self.missing - self.outdated

    @property
    def percent(self) -> int:
        """The share of texts translated and up to date, rounded down (100 only when all are)."""
        return 100 if not self.total else 100 * self.current // self.total

    @property
    def to_do(self) -> int:
        return self.missing + self.outdated

    @property
    def language_name(self) -> str:
        return str(dict(settings.LANGUAGES)[self.language])


def coverage(texts: dict[str, list[Text]]) -> list[Coverage]:
    return [
        Coverage(
            language=code,
            total=len(rows),
            missing=sum(text.status == MISSING for text in rows),
            outdated=sum(text.status == OUTDATED for text in rows),
        )
        for code, rows in texts.items()
    ]


def missing_texts(strategy: Strategy, language: str) -> list[Text]:
    """The texts of ``strategy`` that have no ``language`` translation and
    would be shown in a fallback language (``len()`` counts them)."""
    return [
        text
        for text in strategy_texts(strategy, [language]).get(language, [])
        if text.status == MISSING
    ]


def strategy_of(obj: Model) -> Strategy | None:
    """The strategy a translatable object belongs to, following its source's path."""
    if isinstance(obj, Strategy):
        return obj
    source = SOURCE_BY_MODEL.get(type(obj))
    if source is None:
        return None
    current: Any = obj
    for step in source.path.split("__"):
        current = getattr(current, step)
        if current is None:
            return None
    return current
