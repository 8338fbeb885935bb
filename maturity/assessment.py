"""A person's self-assessment: their level and reason per dimension, saved
as a draft or submitted, while the round takes answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from strategy import clock
from strategy.models import Organisation

from .models import AssessmentRound, Level, Rating, SelfAssessment

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


class AlreadyAssessed(Exception):
    """The person already has a self-assessment for this unit in this round."""


class RoundClosed(Exception):
    """The round no longer accepts answers."""


def set_history_user(instance: object, user: AbstractBaseUser | None) -> None:
    """Name who changed ``instance`` in its history row. simple_history takes
    the user from the request middleware; outside a request (a task, the
    shell) only an explicit user names them."""
    if user is not None:
        instance._history_user = user  # type: ignore[attr-defined]


def _rating_apply(
    *, assessment: SelfAssessment, rating: Rating | None, dimension_id: int, answer: tuple[Level | None, str], person: AbstractBaseUser
) -> None:
    """Create, change or (with no level) remove one rating; an unchanged one is left alone."""
    level, justification = answer
    if level is None:
        if rating is not None:
            set_history_user(rating, person)
            rating.delete()
        return
    if rating is None:
        rating = Rating(assessment=assessment, dimension_id=dimension_id, level=level, justification=justification)
        set_history_user(rating, person)
        rating.save()
    elif rating.level_id != level.pk or rating.justification != justification:
        rating.level = level
        rating.justification = justification
        set_history_user(rating, person)
        rating.save(update_fields=["level", "justification"])


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
        for dimension_id, answer in answers.items():
            _rating_apply(
                assessment=assessment,
                rating=existing.get(dimension_id),
                dimension_id=dimension_id,
                answer=answer,
                person=person,
            )
        if submit:
            assessment.status = SelfAssessment.Status.SUBMITTED
            assessment.submitted_at = clock.now()
        assessment.save()
    return assessment
