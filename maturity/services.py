"""Maturity workflows and the data behind the maturity pages.

The ``*_build`` functions return plain data (dicts, lists, numbers and
strings in the active language) so that the web pages, the exports and the
PDF report (``reports``) share one source of truth. They never return
another person's individual answer unless the caller asks for it
explicitly (``with_names``), and they hide every distribution of fewer
answers than the round's ``min_respondents``.
"""

from __future__ import annotations

import datetime
import logging
import statistics
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from strategy.models import Action, Membership, Organisation, Strategy
from translations.fallback import fallback_lang

from .models import (
    ASSESSOR_ROLES,
    AgreedLevel,
    AssessmentRound,
    Criterion,
    Dimension,
    Level,
    MaturityModel,
    Rating,
    SelfAssessment,
    TargetLevel,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

logger = logging.getLogger(__name__)


# --- plain-data shapes -------------------------------------------------------


class LevelData(TypedDict):
    id: int
    ordinal: int
    name: str
    name_lang: NotRequired[str]  # the name's language when it is not the reader's


class HeatCell(TypedDict):
    dimension_id: int
    value: float | None
    level: LevelData | None
    label: str
    source: str | None
    previous: float | None
    previous_label: str
    change: float | None
    direction: str | None
    change_text: str
    target: LevelData | None
    gap: float | None
    target_year: int | None
    target_scope: str | None
    target_text: str


class HeatRow(TypedDict):
    unit_id: int | None
    unit_name: str
    unit_slug: str
    cells: list[HeatCell]


class HeatDimension(TypedDict):
    id: int
    number: str
    title: str
    title_lang: NotRequired[str]  # the title's language when it is not the reader's
    target: LevelData | None
    target_year: int | None


class Heatmap(TypedDict):
    model_id: int
    year: int
    previous_year: int
    round_id: int | None
    levels: list[LevelData]
    dimensions: list[HeatDimension]
    rows: list[HeatRow]
    sector: HeatRow


# --- small helpers -----------------------------------------------------------


def _level_data(level: Level) -> LevelData:
    return {"id": level.pk, "ordinal": level.ordinal, "name": level.name, "name_lang": fallback_lang(level, "name")}


def level_label(value: float | None, levels_by_ordinal: dict[int, Level | LevelData]) -> str:
    """The words for a (median) value: the level's name, or "between A and B"
    for a median that falls between two levels."""
    if value is None:
        return ""

    def name(ordinal: int) -> str:
        level = levels_by_ordinal.get(ordinal)
        if level is None:
            return str(ordinal)
        return level["name"] if isinstance(level, dict) else level.name

    if float(value).is_integer():
        return name(int(value))
    low, high = int(value), int(value) + 1
    return _("between %(low)s and %(high)s") % {"low": name(low), "high": name(high)}


def _median(values: list[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def _change(value: float | None, previous: float | None) -> tuple[float | None, str | None, str]:
    """The change since last year as a number, a direction and words (never an arrow alone)."""
    if value is None or previous is None:
        return None, None, _("no comparison")
    change = value - previous
    if change > 0:
        return change, "up", _("up %(n)s from last year") % {"n": _number(change)}
    if change < 0:
        return change, "down", _("down %(n)s from last year") % {"n": _number(-change)}
    return 0.0, "same", _("same as last year")


def _plain_number(value: float | None) -> int | float | None:
    """2.0 → 2 for spreadsheets; 2.5 stays."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _number(value: float) -> str:
    """A difference of levels in the active language's format: 1, and 0,5 in
    Finnish and Swedish (0.5 in English). The page and the PDF report both
    take their words from here."""
    if float(value).is_integer():
        return str(int(value))
    return formats.number_format(value, decimal_pos=1, use_l10n=True)


def _targets_by_dimension(model: MaturityModel, year: int) -> dict[tuple[int, int | None], TargetLevel]:
    """For every (dimension, unit or None) the target that applies to ``year``: the
    nearest target year at or after it, else the latest one before it."""
    chosen: dict[tuple[int, int | None], TargetLevel] = {}
    for target in TargetLevel.objects.filter(dimension__model=model).select_related("level"):
        key = (target.dimension_id, target.unit_id)
        best = chosen.get(key)
        if best is None:
            chosen[key] = target
            continue
        # Prefer targets at or after the year, the nearest first.
        def rank(t: TargetLevel) -> tuple[int, int]:
            return (0, t.year - year) if t.year >= year else (1, year - t.year)

        if rank(target) < rank(best):
            chosen[key] = target
    return chosen


def _target_text(target: TargetLevel | None, gap: float | None) -> str:
    """The target and the gap to it in words, so the heat map never tells it by colour alone."""
    if target is None:
        return ""
    params = {"level": target.level.name, "year": target.year}
    if gap is None:
        progress = _("no result")
    elif gap > 0:
        progress = _("gap %(n)s") % {"n": _number(gap)}
    else:
        progress = _("reached")
    params["progress"] = progress
    if target.unit_id is None:
        return _("Target: %(level)s by %(year)s (%(progress)s)") % params
    return _("Unit target: %(level)s by %(year)s (%(progress)s)") % params


def _unit_values(
    *, rounds: list[AssessmentRound], unit_ids: list[int]
) -> dict[tuple[int, int, int], tuple[float, str]]:
    """(round, unit, dimension) → (value, source) for the given rounds.

    The agreed level wins; without one, the median of submitted answers is
    used, but only when at least ``min_respondents`` people answered, so a
    lone answer never shows through. Two queries whatever the data size.
    """
    if not rounds:
        return {}
    round_ids = [r.pk for r in rounds]
    thresholds = {r.pk: r.min_respondents for r in rounds}
    result: dict[tuple[int, int, int], tuple[float, str]] = {}
    counts: dict[tuple[int, int, int], list[float]] = defaultdict(list)
    ratings = (
        Rating.objects.filter(
            assessment__round_id__in=round_ids,
            assessment__unit_id__in=unit_ids,
            assessment__status=SelfAssessment.Status.SUBMITTED,
        )
        .values_list("assessment__round_id", "assessment__unit_id", "dimension_id", "level__ordinal")
        .annotate(n=Count("id"))
        .order_by()
    )
    for round_id, unit_id, dimension_id, ordinal, n in ratings:
        counts[(round_id, unit_id, dimension_id)].extend([ordinal] * n)
    for key, values in counts.items():
        if len(values) >= thresholds[key[0]]:
            result[key] = (_median(values), "median")  # type: ignore[assignment]
    agreed = AgreedLevel.objects.filter(round_id__in=round_ids, unit_id__in=unit_ids).values_list(
        "round_id", "unit_id", "dimension_id", "level__ordinal"
    )
    for round_id, unit_id, dimension_id, ordinal in agreed:
        result[(round_id, unit_id, dimension_id)] = (float(ordinal), "agreed")
    return result


# --- heat map ----------------------------------------------------------------


def heatmap_build(
    *, model: MaturityModel, year: int, units: Iterable[Organisation] | None = None
) -> Heatmap:
    """Units by dimensions of ``model`` for ``year``, with a sector row, the change
    since the year before, the target level per dimension and the gap to it.

    ``units``: the rows, in the given order; ``None`` means the units of the
    year's round (ordered by the organisation tree). A fixed number of
    queries, whatever the number of units.

    Returns a dict (all text in the active language)::

        {
          "model_id": int, "year": int, "previous_year": int (= year - 1),
          "round_id": int | None,               # the year's round, if any
          "levels": [{"id", "ordinal", "name"}, ...],       # low → high
          "dimensions": [{"id", "number", "title",
                          "target": {"id", "ordinal", "name"} | None,
                          "target_year": int | None}, ...],
          "rows": [{"unit_id", "unit_name", "unit_slug", "cells": [cell, ...]}, ...],
          "sector": {"unit_id": None, "unit_name": "<sector label>", "unit_slug": "",
                     "cells": [cell, ...]},      # median of the unit values
        }

    A cell (one per dimension, in the order of ``dimensions``)::

        {
          "dimension_id": int,
          "value": float | None,    # agreed level's ordinal; else the median of
                                    # submitted answers if enough people answered;
                                    # the sector row's value is the median of units
                                    # and may be x.5
          "level": {"id", "ordinal", "name"} | None,  # the level at floor(value)
          "label": str,             # "Hyvä" or "between Kehittyvä and Hyvä"; "" if none
          "source": "agreed" | "median" | None,
          "previous": float | None, "previous_label": str,   # the year before
          "change": float | None,   # value - previous
          "direction": "up" | "down" | "same" | None,
          "change_text": str,       # words, e.g. "up 1 from last year"
          "target": {"id", "ordinal", "name"} | None,  # unit's own target, else the dimension's
          "gap": float | None,      # target ordinal - value (> 0: still to climb)
          "target_year": int | None,            # the year of that target
          "target_scope": "unit" | "sector" | None,  # whose target it is
          "target_text": str,       # words, e.g. "Target: Hyvä (gap 1)",
                                    # "Unit target: Hyvä (reached)"; "" without a target
        }
    """
    levels = list(model.levels.all())
    by_ordinal: dict[int, Level] = {level.ordinal: level for level in levels}
    dimensions = list(model.dimensions.all())
    rounds = {r.year: r for r in AssessmentRound.objects.filter(model=model, year__in=[year, year - 1])}
    this_round, last_round = rounds.get(year), rounds.get(year - 1)
    if units is None:
        unit_list = list(this_round.units.order_by("path")) if this_round else []
    else:
        unit_list = list(units)
    unit_ids = [unit.pk for unit in unit_list]
    values = _unit_values(rounds=[r for r in (this_round, last_round) if r], unit_ids=unit_ids)
    targets = _targets_by_dimension(model, year)

    def cell(dimension: Dimension, value: float | None, source: str | None, previous: float | None, target: TargetLevel | None) -> HeatCell:
        change, direction, change_text = _change(value, previous)
        gap = (target.level.ordinal - value) if target and value is not None else None
        floor_level = by_ordinal.get(int(value)) if value is not None else None
        return {
            "dimension_id": dimension.pk,
            "value": value,
            "level": _level_data(floor_level) if floor_level else None,
            "label": level_label(value, by_ordinal),
            "source": source,
            "previous": previous,
            "previous_label": level_label(previous, by_ordinal),
            "change": change,
            "direction": direction,
            "change_text": change_text,
            "target": _level_data(target.level) if target else None,
            "gap": gap,
            "target_year": target.year if target else None,
            "target_scope": ("sector" if target.unit_id is None else "unit") if target else None,
            "target_text": _target_text(target, gap),
        }

    rows: list[HeatRow] = []
    unit_values: dict[int, list[float]] = defaultdict(list)
    unit_previous: dict[int, list[float]] = defaultdict(list)
    for unit in unit_list:
        cells = []
        for dimension in dimensions:
            current = values.get((this_round.pk, unit.pk, dimension.pk)) if this_round else None
            previous = values.get((last_round.pk, unit.pk, dimension.pk)) if last_round else None
            if current:
                unit_values[dimension.pk].append(current[0])
            if previous:
                unit_previous[dimension.pk].append(previous[0])
            target = targets.get((dimension.pk, unit.pk)) or targets.get((dimension.pk, None))
            cells.append(
                cell(
                    dimension,
                    current[0] if current else None,
                    current[1] if current else None,
                    previous[0] if previous else None,
                    target,
                )
            )
        rows.append({"unit_id": unit.pk, "unit_name": unit.name, "unit_slug": unit.slug, "cells": cells})

    sector_cells = [
        cell(
            dimension,
            _median(unit_values[dimension.pk]),
            "median" if unit_values[dimension.pk] else None,
            _median(unit_previous[dimension.pk]),
            targets.get((dimension.pk, None)),
        )
        for dimension in dimensions
    ]
    dimension_data: list[HeatDimension] = []
    for dimension in dimensions:
        target = targets.get((dimension.pk, None))
        dimension_data.append(
            {
                "id": dimension.pk,
                "number": dimension.number,
                "title": dimension.title,
                "title_lang": fallback_lang(dimension, "title"),
                "target": _level_data(target.level) if target else None,
                "target_year": target.year if target else None,
            }
        )
    return {
        "model_id": model.pk,
        "year": year,
        "previous_year": year - 1,
        "round_id": this_round.pk if this_round else None,
        "levels": [_level_data(level) for level in levels],
        "dimensions": dimension_data,
        "rows": rows,
        "sector": {
            "unit_id": None,
            "unit_name": _("Sector (median of units)"),
            "unit_slug": "",
            "cells": sector_cells,
        },
    }


# --- rounds ------------------------------------------------------------------


def round_open(
    *,
    model: MaturityModel,
    year: int,
    units: Iterable[Organisation],
    opens: datetime.date,
    closes: datetime.date,
    is_anonymous: bool = True,
    min_respondents: int | None = None,
) -> AssessmentRound:
    """Open a round and invite the staff of its units by email once the
    transaction has committed (so the worker sees the round)."""
    from .tasks import send_round_invitations

    round_ = AssessmentRound.objects.create(
        model=model,
        year=year,
        opens=opens,
        closes=closes,
        status=AssessmentRound.Status.OPEN,
        is_anonymous=is_anonymous,
        min_respondents=min_respondents or settings.SUUNTA_MATURITY_MIN_RESPONDENTS,
    )
    round_.units.set(units)
    send_round_invitations.delay_on_commit(round_.pk)
    return round_


def round_close(*, round_: AssessmentRound) -> None:
    """Close a round: no answers are saved after this."""
    round_.status = AssessmentRound.Status.CLOSED
    round_.save(update_fields=["status"])


def round_invitees(*, round_: AssessmentRound) -> list[tuple[Any, Organisation]]:
    """(person, unit) pairs invited to a round: active users who are staff or
    head of one of its units."""
    memberships = (
        Membership.objects.filter(
            organisation__in=round_.units.all(), role__in=ASSESSOR_ROLES, user__is_active=True
        )
        .select_related("user", "organisation")
        .order_by("organisation__path", "user__username")
    )
    seen: set[tuple[int, int]] = set()
    pairs = []
    for membership in memberships:
        key = (membership.user_id, membership.organisation_id)
        if key not in seen:
            seen.add(key)
            pairs.append((membership.user, membership.organisation))
    return pairs


def recipient_language(user: Any, strategy: Strategy) -> str:
    """The language to write to a person in: their profile's email language
    when they have set one, else the strategy's main language."""
    profile = getattr(user, "suunta_profile", None)
    own = profile.language if profile is not None else ""
    language = own or strategy.main_language or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def round_invitations_send(*, round_id: int) -> int:
    """Email every invitee of a round a link to their self-assessment, each in
    their own language. Returns the number of emails sent."""
    round_ = AssessmentRound.objects.select_related("model__strategy").get(pk=round_id)
    if round_.status != AssessmentRound.Status.OPEN:
        return 0
    strategy = round_.model.strategy
    sent = 0
    for person, unit in round_invitees(round_=round_):
        if not person.email:
            continue
        with override(recipient_language(person, strategy)):
            url = settings.SITE_URL.rstrip("/") + reverse(
                "maturity-assess", kwargs={"slug": strategy.slug, "round_id": round_.pk, "unit_slug": unit.slug}
            )
            context = {"person": person, "unit": unit, "round": round_, "strategy": strategy, "url": url}
            subject = _("Maturity self-assessment %(year)s: %(unit)s") % {"year": round_.year, "unit": unit.name}
            body = render_to_string("maturity/email/invitation.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
        sent += 1
    logger.info("Sent %s maturity invitations for round %s", sent, round_.pk)
    return sent


class UnitProgress(TypedDict):
    unit: Organisation
    submitted: int
    drafts: int
    invited: int


def round_progress(*, round_: AssessmentRound) -> list[UnitProgress]:
    """Responses per unit while a round runs: submitted (n) of invited (m)."""
    units = list(round_.units.order_by("path"))
    invited: dict[int, int] = defaultdict(int)
    for _person, unit in round_invitees(round_=round_):
        invited[unit.pk] += 1
    counts: dict[tuple[int, str], int] = {
        (unit_id, status): n
        for unit_id, status, n in SelfAssessment.objects.filter(round=round_)
        .values_list("unit_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    }
    return [
        {
            "unit": unit,
            "submitted": counts.get((unit.pk, SelfAssessment.Status.SUBMITTED), 0),
            "drafts": counts.get((unit.pk, SelfAssessment.Status.DRAFT), 0),
            "invited": invited[unit.pk],
        }
        for unit in units
    ]


# --- self-assessment ---------------------------------------------------------


class AlreadyAssessed(Exception):
    """The person already has a self-assessment for this unit in this round."""


class RoundClosed(Exception):
    """The round no longer accepts answers."""


def self_assessment_save(
    *,
    round_: AssessmentRound,
    unit: Organisation,
    person: AbstractBaseUser,
    answers: dict[int, tuple[Level | None, str]],
    submit: bool,
    assessment: SelfAssessment | None = None,
) -> SelfAssessment:
    """Save a person's answers (dimension id → (level or None, justification)).

    ``assessment`` is the one the form was editing; ``None`` creates one, and
    the database refuses a second one for the same person, unit and round
    (``AlreadyAssessed``, nothing saved). A level of another maturity model is
    refused by the database too (``IntegrityError``, nothing saved).
    """
    if not round_.accepts_answers():
        raise RoundClosed
    with transaction.atomic():
        if assessment is None:
            try:
                with transaction.atomic():
                    assessment = SelfAssessment.objects.create(round=round_, unit=unit, person=person)
            except IntegrityError as exc:
                raise AlreadyAssessed from exc
        existing = {rating.dimension_id: rating for rating in assessment.ratings.all()}
        for dimension_id, (level, justification) in answers.items():
            rating = existing.get(dimension_id)
            if level is None:
                if rating is not None:
                    _set_history_user(rating, person)
                    rating.delete()
                continue
            if rating is None:
                rating = Rating(assessment=assessment, dimension_id=dimension_id, level=level, justification=justification)
                _set_history_user(rating, person)
                rating.save()
            elif rating.level_id != level.pk or rating.justification != justification:
                rating.level = level
                rating.justification = justification
                _set_history_user(rating, person)
                rating.save(update_fields=["level", "justification"])
        if submit:
            assessment.status = SelfAssessment.Status.SUBMITTED
            assessment.submitted_at = timezone.now()
        assessment.save()
    return assessment


# --- unit result -------------------------------------------------------------


def _next_level(levels: list[Level], value: float | None) -> tuple[Level | None, Level | None]:
    """The level a unit is at (floor of the value) and the one above it."""
    if value is None:
        return None, levels[0] if levels else None
    current = next((level for level in levels if level.ordinal == int(value)), None)
    higher = next((level for level in levels if level.ordinal > int(value)), None)
    return current, higher


def unit_result_build(
    *,
    round_: AssessmentRound,
    unit: Organisation,
    with_names: bool = False,
    with_justifications: bool = False,
) -> dict[str, Any]:
    """The result of one unit in one round, per dimension.

    Below ``round_.min_respondents`` submitted answers, the distribution,
    the median and the justifications are left out (``shown`` is False).
    ``with_names`` adds each respondent's name and answers: only for the
    strategy owner in a round that is not anonymous (the caller decides).
    ``with_justifications`` adds the justifications without names, sorted,
    for the people who discuss the result (unit head, owner).

    Returns ``{"respondents": n, "threshold": k, "shown": bool,
    "levels": [LevelData], "rows": [{"dimension", "counts": [{"level", "count",
    "percent"}], "median", "median_label", "agreed", "agreed_note", "next_level",
    "current_level", "actions", "justifications", "criteria"}], "people":
    [{"name", "answers": [{"dimension", "level", "justification"}]}]}``.
    """
    model = round_.model
    levels = list(model.levels.all())
    by_ordinal = {level.ordinal: level for level in levels}
    dimensions = list(
        model.dimensions.prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.select_related("level")),
            Prefetch("actions", queryset=Action.objects.prefetch_related("responsible_units").order_by("number", "pk")),
        )
    )
    submitted = SelfAssessment.objects.filter(round=round_, unit=unit, status=SelfAssessment.Status.SUBMITTED)
    respondents = submitted.count()
    shown = respondents >= round_.min_respondents
    ratings = list(
        Rating.objects.filter(assessment__in=submitted).select_related("assessment__person").order_by("dimension_id", "level__ordinal", "justification")
    )
    by_dimension: dict[int, list[Rating]] = defaultdict(list)
    for rating in ratings:
        by_dimension[rating.dimension_id].append(rating)
    agreed = {a.dimension_id: a for a in AgreedLevel.objects.filter(round=round_, unit=unit).select_related("level")}
    level_by_id = {level.pk: level for level in levels}
    rows = []
    for dimension in dimensions:
        answers = by_dimension[dimension.pk]
        ordinals = [level_by_id[r.level_id].ordinal for r in answers]
        median = _median(ordinals) if shown else None
        agreed_level = agreed.get(dimension.pk)
        basis = float(agreed_level.level.ordinal) if agreed_level else median
        current_level, next_level = _next_level(levels, basis)
        counts = []
        for level in levels:
            count = ordinals.count(level.ordinal)
            counts.append(
                {"level": level, "count": count, "percent": round(100 * count / len(ordinals)) if ordinals else 0}
            )
        criteria = {criterion.level_id: criterion.text for criterion in dimension.criteria.all()}
        rows.append(
            {
                "dimension": dimension,
                "criteria": [{"level": level, "text": criteria.get(level.pk, "")} for level in levels],
                "answers": len(answers),
                "counts": counts if shown else [],
                "median": median,
                "median_label": level_label(median, by_ordinal),
                "agreed": agreed_level.level if agreed_level else None,
                "agreed_note": agreed_level.note if agreed_level else "",
                "current_level": current_level,
                "next_level": next_level,
                "actions": list(dimension.actions.all()),
                "justifications": sorted(r.justification for r in answers if r.justification.strip())
                if shown and with_justifications
                else [],
            }
        )
    people = []
    if with_names:
        by_person: dict[int, dict[str, Any]] = {}
        dimension_by_id = {d.pk: d for d in dimensions}
        for rating in sorted(ratings, key=lambda r: (r.assessment.person.get_full_name() or r.assessment.person.username, dimension_by_id[r.dimension_id].order)):
            person = rating.assessment.person
            entry = by_person.setdefault(person.pk, {"name": person.get_full_name() or person.username, "answers": []})
            entry["answers"].append(
                {"dimension": dimension_by_id[rating.dimension_id], "level": level_by_id[rating.level_id], "justification": rating.justification}
            )
        people = list(by_person.values())
    return {
        "respondents": respondents,
        "threshold": round_.min_respondents,
        "shown": shown,
        "levels": levels,
        "rows": rows,
        "people": people,
    }


def agreed_levels_record(
    *,
    round_: AssessmentRound,
    unit: Organisation,
    choices: dict[int, tuple[Level | None, str]],
    user: AbstractBaseUser,
) -> None:
    """Record the unit's agreed level per dimension (dimension id → (level or
    None to clear, note)). All or nothing: a level of another model makes the
    database refuse the lot."""
    with transaction.atomic():
        existing = {
            agreed.dimension_id: agreed
            for agreed in AgreedLevel.objects.select_for_update().filter(round=round_, unit=unit, dimension_id__in=choices)
        }
        for dimension_id, (level, note) in choices.items():
            agreed = existing.get(dimension_id)
            if level is None:
                if agreed is not None:
                    _set_history_user(agreed, user)
                    agreed.delete()
                continue
            if agreed is not None and agreed.level_id == level.pk and agreed.note == note:
                continue  # unchanged: no new history row for a form saved as it was
            agreed = agreed or AgreedLevel(round=round_, unit=unit, dimension_id=dimension_id)
            agreed.level = level
            agreed.note = note
            agreed.recorded_by = user
            _set_history_user(agreed, user)
            agreed.save()


def _set_history_user(instance: object, user: AbstractBaseUser | None) -> None:
    # simple_history takes the user from the request middleware; outside a
    # request (a task, the shell) only an explicit user names who changed it.
    if user is not None:
        instance._history_user = user  # type: ignore[attr-defined]


# --- a unit over the years ---------------------------------------------------


def unit_history_build(*, model: MaturityModel, unit: Organisation) -> dict[str, Any]:
    """A unit's value per dimension for every year with a round that included it.

    Returns ``{"unit": {"id", "name"}, "years": [2023, 2024, ...],
    "levels": [LevelData], "series": [{"dimension_id", "number", "title",
    "values": [float | None per year], "labels": [str per year]}]}``; a value
    is the agreed level, else the median of enough submitted answers.
    """
    levels = list(model.levels.all())
    by_ordinal = {level.ordinal: level for level in levels}
    rounds = list(AssessmentRound.objects.filter(model=model, units=unit).order_by("year"))
    values = _unit_values(rounds=rounds, unit_ids=[unit.pk])
    series = []
    for dimension in model.dimensions.all():
        row = [values.get((r.pk, unit.pk, dimension.pk), (None, None))[0] for r in rounds]
        series.append(
            {
                "dimension_id": dimension.pk,
                "number": dimension.number,
                "title": dimension.title,
                "values": row,
                "labels": [level_label(v, by_ordinal) for v in row],
            }
        )
    return {
        "unit": {"id": unit.pk, "name": unit.name},
        "years": [r.year for r in rounds],
        "levels": [_level_data(level) for level in levels],
        "series": series,
    }


# --- export ------------------------------------------------------------------


def round_export_rows(*, round_: AssessmentRound, with_names: bool = False) -> tuple[list[str], list[list[Any]]]:
    """The round's results as a table for XLSX/CSV, anonymised like the pages:
    per unit and dimension the agreed level, the number of answers, and the
    distribution and median only when enough people answered. ``with_names``
    (owner, non-anonymous round) appends one row per person and dimension."""
    levels = list(round_.model.levels.all())
    header = [_("Unit"), _("Dimension"), _("Answers"), _("Median"), _("Median level"), _("Agreed level")]
    header += [level.name for level in levels]
    rows: list[list[Any]] = []
    for unit in round_.units.order_by("path"):
        result = unit_result_build(round_=round_, unit=unit, with_names=with_names)
        for row in result["rows"]:
            rows.append(
                [
                    unit.name,
                    str(row["dimension"]),
                    result["respondents"],
                    _plain_number(row["median"])
                    if result["shown"]
                    else _("hidden: fewer than %(n)s answers") % {"n": result["threshold"]},
                    row["median_label"],
                    row["agreed"].name if row["agreed"] else "",
                    *([c["count"] for c in row["counts"]] if result["shown"] else ["" for _level in levels]),
                ]
            )
        for person in result["people"]:
            for entry in person["answers"]:
                rows.append(
                    [
                        unit.name,
                        str(entry["dimension"]),
                        person["name"],
                        entry["level"].ordinal,
                        entry["level"].name,
                        entry["justification"],
                    ]
                )
    return header, rows


# --- the model editor ---------------------------------------------------------


def target_level_set(
    *, dimension: Dimension, year: int, level: Level | None, unit: Organisation | None = None
) -> None:
    """Set (or with ``None`` remove) the target of a row for a year: the
    sector-wide one, or with ``unit`` that unit's own target."""
    if level is None:
        TargetLevel.objects.filter(dimension=dimension, unit=unit, year=year).delete()
        return
    TargetLevel.objects.update_or_create(dimension=dimension, unit=unit, year=year, defaults={"level": level})


def maturity_model_copy(*, source: MaturityModel, strategy: Strategy) -> MaturityModel:
    """Copy a maturity model (levels, dimensions, criteria, all languages) to
    another strategy. A row is tied to the target strategy's section with the
    number of its source section (or, failing that, the row's own number);
    actions are not copied (they belong to the source strategy)."""
    from modeltranslation.utils import build_localized_fieldname

    languages = [code for code, _name in settings.LANGUAGES]

    def translated(obj: Any, field: str) -> dict[str, Any]:
        return {
            build_localized_fieldname(field, lang): getattr(obj, build_localized_fieldname(field, lang))
            for lang in languages
        }

    sections = {section.number: section for section in strategy.sections.all()}
    with transaction.atomic():
        copy = MaturityModel.objects.create(
            strategy=strategy, **translated(source, "name"), **translated(source, "description")
        )
        level_map = {}
        for level in source.levels.all():
            level_map[level.pk] = Level.objects.create(
                model=copy, ordinal=level.ordinal, **translated(level, "name"), **translated(level, "description")
            )
        for dimension in source.dimensions.select_related("section").prefetch_related("criteria"):
            new_dimension = Dimension.objects.create(
                model=copy,
                number=dimension.number,
                order=dimension.order,
                section=(sections.get(dimension.section.number) if dimension.section else None)
                or sections.get(dimension.number),
                **translated(dimension, "title"),
            )
            for criterion in dimension.criteria.all():
                Criterion.objects.create(
                    dimension=new_dimension, level=level_map[criterion.level_id], **translated(criterion, "text")
                )
    return copy
