"""Pages of the maturity matrix: overview, model editor, rounds, the
self-assessment form, unit results, the heat map, a unit's history, export.

Every lookup goes through a queryset or method of ``maturity.models`` scoped
to the user: a strategy the user cannot see, a round of another strategy or
a unit outside the user's reach is a 404; what the user sees but may not do
(a viewer editing the model, staff recording the agreed level) is a 403; a
refused request changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from strategy import clock
from strategy.access import access_for
from strategy.fragments import (
    CSRF_SLOT,
    cached,
    data_stamp,
    fragment_key,
    reader_key,
    stamp_for,
    with_csrf,
)
from strategy.htmx import INVALID, render_page
from strategy.models import DataStamp, Organisation, Strategy
from strategy.security import security_event
from strategy.templatetags.localized import localized
from strategy.views.overview import get_strategy_for_user
from translations.services import translation_marks_before_save

from . import charts, services
from .exports import round_export_response
from .forms import (
    AgreedLevelForm,
    CopyModelForm,
    CriteriaForm,
    DimensionForm,
    LevelFormSet,
    MaturityModelForm,
    RoundForm,
    SelfAssessmentForm,
    TargetForm,
    UnitTargetForm,
)
from .history import agreed_level_changes
from .models import (
    ASSESSOR_ROLES,
    AssessmentRound,
    Criterion,
    Dimension,
    Level,
    MaturityModel,
    SelfAssessment,
    TargetLevel,
    result_units,
)

# --- scoped lookups ----------------------------------------------------------
#
# One status policy: 404 for what the person may not see, 403 for what they
# see but may not do. Who may see and do what is answered by the querysets
# and methods of ``maturity.models``; the views only ask.


def _get_or_403(visible: QuerySet[Any], allowed: QuerySet[Any], **lookup: Any) -> Any:
    """The object of ``visible`` matching ``lookup`` (404 when there is none),
    if it is also in ``allowed`` (403 when it is not)."""
    obj = get_object_or_404(visible, **lookup)
    if not allowed.filter(pk=obj.pk).exists():
        raise PermissionDenied
    return obj


def _owned_strategy(request: HttpRequest, slug: str) -> Strategy:
    """A strategy the user manages the maturity matrix of: 404 unseen, 403 not owned."""
    return _get_or_403(
        Strategy.objects.visible_to(request.user).select_related("organisation"),
        Strategy.objects.owned_by(request.user),
        slug=slug,
    )


def _owned_model(request: HttpRequest, strategy: Strategy, model_id: int) -> MaturityModel:
    return get_object_or_404(MaturityModel.objects.owned_by(request.user).filter(strategy=strategy), pk=model_id)


def _round(
    request: HttpRequest, strategy: Strategy, round_id: int, *, owned: bool = False, stamped: bool = False
) -> AssessmentRound:
    """A round of the strategy: 404 unseen; with ``owned``, 403 for those who see but do not own it.
    With ``stamped``, the maturity data stamp comes with it as ``maturity_stamp``
    (read before anything cached by it)."""
    # ``strategy`` came through ``Strategy.objects.visible_to``: its rounds are
    # the ones ``AssessmentRound.objects.visible_to`` the user gives of it.
    visible = AssessmentRound.objects.of_strategy(strategy).select_related("model")
    if stamped:
        visible = visible.annotate(maturity_stamp=DataStamp.value_of("maturity"))
    if owned:
        found = _get_or_403(visible, AssessmentRound.objects.owned_by(request.user), pk=round_id)
    else:
        found = get_object_or_404(visible, pk=round_id)
    found.model.strategy = strategy
    return found


def _unit(request: HttpRequest, round_: AssessmentRound, unit_slug: str, allowed: QuerySet[Organisation] | None = None) -> Organisation:
    """A unit of the round whose results the user may read (404 otherwise);
    with ``allowed``, 403 unless it is also one of those."""
    readable = round_.units_readable_by(request.user)
    if allowed is None:
        return get_object_or_404(readable, slug=unit_slug)
    return _get_or_403(readable, allowed, slug=unit_slug)


def _models(request: HttpRequest, strategy: Strategy) -> list[MaturityModel]:
    return list(MaturityModel.objects.visible_to(request.user).filter(strategy=strategy))


def _model(models: list[MaturityModel], request: HttpRequest) -> MaturityModel | None:
    """The model chosen with ``?model=`` (404 if it is not one of ``models``), else the first."""
    wanted = request.GET.get("model")
    if wanted and wanted.isdigit():
        for model in models:
            if model.pk == int(wanted):
                return model
        raise Http404
    return models[0] if models else None


# --- overview ----------------------------------------------------------------


@require_GET
@login_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = get_strategy_for_user(request, slug)
    owner = Strategy.objects.owned_by(request.user).filter(pk=strategy.pk).exists()
    models = list(
        MaturityModel.objects.visible_to(request.user)
        .filter(strategy=strategy)
        .prefetch_related(
            "levels",
            Prefetch("dimensions", queryset=Dimension.objects.select_related("section").prefetch_related("criteria")),
            Prefetch("rounds", queryset=AssessmentRound.objects.prefetch_related("units").order_by("-year")),
        )
    )
    for model in models:
        levels = list(model.levels.all())
        model.grid = [
            {
                "dimension": dimension,
                "cells": [
                    next((c.text for c in dimension.criteria.all() if c.level_id == level.pk), "") for level in levels
                ],
            }
            for dimension in model.dimensions.all()
        ]
    invitations = []
    rounds = AssessmentRound.objects.of_strategy(strategy).inviting(request.user).select_related("model")
    mine = {
        (a.round_id, a.unit_id): a
        for a in SelfAssessment.objects.filter(person=request.user, round__in=rounds)
    }
    for round_ in rounds:
        for unit in round_.units_assessable_by(request.user).order_by("path"):
            invitations.append({"round": round_, "unit": unit, "assessment": mine.get((round_.pk, unit.pk))})
    my_result_units = list(result_units(request.user, strategy).order_by("path"))
    context = {
        "strategy": strategy,
        "is_owner": owner,
        "models": models,
        "invitations": invitations,
        "my_result_units": my_result_units,
        "copy_form": CopyModelForm(user=request.user, strategy=strategy) if owner else None,
    }
    return render(request, "maturity/overview.html", context)


# --- model editor ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def model_create(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = _owned_strategy(request, slug)
    form = MaturityModelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        model = form.save(commit=False)
        model.strategy = strategy
        model.save()
        messages.success(request, _("The model was created. Now name its levels."))
        return redirect("maturity-model-edit", slug=strategy.slug, model_id=model.pk)
    return render(request, "maturity/model_form.html", {"strategy": strategy, "form": form, "formset": None})


@require_http_methods(["GET", "POST"])
@login_required
def model_edit(request: HttpRequest, slug: str, model_id: int) -> HttpResponse:
    strategy = _owned_strategy(request, slug)
    model = _owned_model(request, strategy, model_id)
    form = MaturityModelForm(request.POST or None, instance=model)
    formset = LevelFormSet(request.POST or None, instance=model, prefix="levels")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            with transaction.atomic():
                _mark_translations(model, form, formset, user=request.user)
                form.save()
                formset.save()
        except IntegrityError:
            messages.error(request, _("Two levels cannot share a place in the row. Give each level its own number."))
        else:
            messages.success(request, _("The model was saved."))
            return redirect("maturity-model-edit", slug=strategy.slug, model_id=model.pk)
    dimensions = model.dimensions.select_related("section")
    return render(
        request,
        "maturity/model_form.html",
        {"strategy": strategy, "model": model, "form": form, "formset": formset, "dimensions": dimensions},
    )


def _mark_translations(model: MaturityModel, form: Any, formset: Any, *, user: Any) -> None:
    """Record, before the model and its levels are saved, which translations
    the save leaves outdated (a changed source text) or brings up to date.
    Read from the database: validation has already written the new values
    onto the forms' instances."""
    translation_marks_before_save(obj=MaturityModel.objects.get(pk=model.pk), values=form.cleaned_data, user=user)
    levels = {level.pk: level for level in Level.objects.filter(model=model)}
    for level_form in formset.forms:
        level = levels.get(level_form.instance.pk)
        if level is not None and level_form.has_changed() and level_form.cleaned_data:
            translation_marks_before_save(obj=level, values=level_form.cleaned_data, user=user)


@require_POST
@login_required
def model_copy(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = _owned_strategy(request, slug)
    form = CopyModelForm(request.POST, user=request.user, strategy=strategy)
    if form.is_valid():
        copy = services.maturity_model_copy(source=form.cleaned_data["source"], strategy=strategy)
        messages.success(request, _("The model was copied. Check its rows and sections."))
        return redirect("maturity-model-edit", slug=strategy.slug, model_id=copy.pk)
    messages.error(request, " ".join(str(e) for e in form.errors.get("source", [])))
    return redirect("maturity-overview", slug=strategy.slug)


@require_http_methods(["GET", "POST"])
@login_required
def dimension_edit(request: HttpRequest, slug: str, model_id: int, dimension_id: int | None = None) -> HttpResponse:
    strategy = _owned_strategy(request, slug)
    model = _owned_model(request, strategy, model_id)
    dimension = get_object_or_404(model.dimensions, pk=dimension_id) if dimension_id else None
    return _dimension_page(request, strategy, model, dimension, data=request.POST if request.method == "POST" else None)


def _dimension_save(
    request: HttpRequest,
    model: MaturityModel,
    dimension: Dimension | None,
    levels: list[Level],
    *,
    form: DimensionForm,
    criteria: CriteriaForm,
    target: TargetForm,
) -> None:
    """Save a row, its criteria and its target from valid forms, marking the
    translations the change leaves outdated."""
    with transaction.atomic():
        if dimension is not None:
            # From the database: the bound form has already written its values onto ``dimension``.
            before = Dimension.objects.get(pk=dimension.pk)
            translation_marks_before_save(obj=before, values=form.cleaned_data, user=request.user)
            for criterion in Criterion.objects.filter(dimension=dimension):
                values = {
                    f"text_{lang}": criteria.cleaned_data[f"c_{criterion.level_id}_{lang}"].strip()
                    for lang in CriteriaForm.LANGUAGES
                    if f"c_{criterion.level_id}_{lang}" in criteria.cleaned_data
                }
                translation_marks_before_save(obj=criterion, values=values, user=request.user)
        saved = form.save(commit=False)
        saved.model = model
        saved.save()
        form.save_m2m()
        for level in levels:
            values = {f"text_{lang}": criteria.cleaned_data[f"c_{level.pk}_{lang}"].strip() for lang in CriteriaForm.LANGUAGES}
            Criterion.objects.update_or_create(dimension=saved, level=level, defaults=values)
        services.target_level_set(
            dimension=saved, year=target.cleaned_data["target_year"], level=target.cleaned_data["target_level"]
        )


def _dimension_page(
    request: HttpRequest,
    strategy: Strategy,
    model: MaturityModel,
    dimension: Dimension | None,
    *,
    data: Any,
    unit_target: UnitTargetForm | None = None,
) -> HttpResponse:
    """The row editor: saves the row when ``data`` is given and valid, else
    renders the page (with a refused unit-target form's errors when given)."""
    levels = list(model.levels.all())
    texts: dict[tuple[int, str], str] = {}
    if dimension:
        for criterion in dimension.criteria.all():
            for lang in CriteriaForm.LANGUAGES:
                texts[(criterion.level_id, lang)] = getattr(criterion, f"text_{lang}") or ""
    form = DimensionForm(data, instance=dimension, strategy=strategy)
    criteria = CriteriaForm(data, levels=levels, initial_texts=texts)
    current_target = (
        TargetLevel.objects.filter(dimension=dimension, unit__isnull=True).order_by("-year").first() if dimension else None
    )
    target = TargetForm(
        data,
        model=model,
        strategy=strategy,
        initial={"target_level": current_target.level_id, "target_year": current_target.year} if current_target else None,
    )
    forms_valid = form.is_valid() & criteria.is_valid() & target.is_valid() if data is not None else False
    if forms_valid:
        _dimension_save(request, model, dimension, levels, form=form, criteria=criteria, target=target)
        messages.success(request, _("The row was saved."))
        return redirect("maturity-model-edit", slug=strategy.slug, model_id=model.pk)
    return render(
        request,
        "maturity/dimension_form.html",
        {
            "strategy": strategy,
            "model": model,
            "dimension": dimension,
            "form": form,
            "criteria": criteria,
            "target": target,
            "unit_target": unit_target or (UnitTargetForm(model=model, strategy=strategy) if dimension else None),
            "unit_targets": (
                TargetLevel.objects.filter(dimension=dimension, unit__isnull=False)
                .select_related("unit", "level")
                .order_by("unit__path", "year")
                if dimension
                else []
            ),
        },
        status=INVALID if unit_target is not None else 200,
    )


@require_POST
@login_required
def unit_target_set(request: HttpRequest, slug: str, model_id: int, dimension_id: int) -> HttpResponse:
    """Set or remove one unit's own target level on a row (strategy owner only)."""
    strategy = _owned_strategy(request, slug)
    model = _owned_model(request, strategy, model_id)
    dimension = get_object_or_404(model.dimensions, pk=dimension_id)
    form = UnitTargetForm(request.POST, model=model, strategy=strategy)
    if not form.is_valid():
        messages.error(request, _("The unit's target was not saved. Check the fields marked below."))
        return _dimension_page(request, strategy, model, dimension, data=None, unit_target=form)
    unit, level, year = form.cleaned_data["unit"], form.cleaned_data["target_level"], form.cleaned_data["target_year"]
    services.target_level_set(dimension=dimension, year=year, level=level, unit=unit)
    if level is None:
        messages.success(request, _("%(unit)s no longer has its own target for %(year)s.") % {"unit": unit.name, "year": year})
    else:
        messages.success(
            request,
            _("%(unit)s's target for %(year)s is now %(level)s.") % {"unit": unit.name, "year": year, "level": level.name},
        )
    return redirect("maturity-dimension-edit", slug=strategy.slug, model_id=model.pk, dimension_id=dimension.pk)


# --- rounds ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def round_create(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = _owned_strategy(request, slug)
    form = RoundForm(request.POST or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        round_ = services.round_open(
            model=data["model"],
            year=data["year"],
            units=data["units"],
            opens=data["opens"],
            closes=data["closes"],
            is_anonymous=data["is_anonymous"],
            min_respondents=data["min_respondents"],
        )
        messages.success(request, _("The round is open. The staff of its units will get an invitation by email."))
        return redirect("maturity-round-detail", slug=strategy.slug, round_id=round_.pk)
    return render(request, "maturity/round_form.html", {"strategy": strategy, "form": form})


@require_GET
@login_required
def round_detail(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    strategy = _owned_strategy(request, slug)
    round_ = _round(request, strategy, round_id, owned=True)
    context = {"strategy": strategy, "round": round_, "progress": services.round_progress(round_=round_)}
    return render_page(request, "maturity/round_detail.html", context, fragment="progress")


@require_POST
@login_required
def round_close(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    strategy = _owned_strategy(request, slug)
    round_ = _round(request, strategy, round_id, owned=True)
    services.round_close(round_=round_)
    messages.success(request, _("The round is closed."))
    return redirect("maturity-round-detail", slug=strategy.slug, round_id=round_.pk)


@require_GET
@login_required
def round_export(request: HttpRequest, slug: str, round_id: int, fmt: str) -> HttpResponse:
    """The round's results for the owner, anonymised as on the pages; names
    only in a round that is not anonymous."""
    strategy = _owned_strategy(request, slug)
    round_ = _round(request, strategy, round_id, owned=True)
    security_event("export.maturity_round", request=request, strategy=strategy.slug, round=round_.pk, format=fmt)
    return round_export_response(round_=round_, fmt=fmt)


# --- self-assessment ---------------------------------------------------------


def _assessment_initial(assessment: SelfAssessment | None) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    if assessment:
        for rating in assessment.ratings.all():
            initial[f"level_{rating.dimension_id}"] = rating.level_id
            initial[f"why_{rating.dimension_id}"] = rating.justification
    return initial


def _assessment_save(
    request: HttpRequest, form: SelfAssessmentForm, round_: AssessmentRound, unit: Organisation, assessment: SelfAssessment | None
) -> None:
    """Save a valid form, telling the person what happened in a message."""
    # The form says which assessment it was editing; a blank one from a
    # second tab must not silently overwrite the first.
    if assessment and request.POST.get("assessment", "") != str(assessment.pk):
        messages.error(
            request,
            _(
                "You already have an assessment for this unit in this round (perhaps from another window). "
                "Nothing was saved; your earlier answers are shown below."
            ),
        )
        return
    submit = request.POST.get("action") == "submit"
    try:
        services.self_assessment_save(
            round_=round_, unit=unit, person=request.user, answers=form.answers(), submit=submit, assessment=assessment
        )
    except services.AlreadyAssessed:
        messages.error(
            request,
            _("You already have an assessment for this unit in this round. Nothing was saved; your earlier answers are shown below."),
        )
    except IntegrityError:
        messages.error(request, _("That level is not part of this matrix. Nothing was saved."))
    else:
        if submit:
            messages.success(request, _("Thank you! Your self-assessment was submitted. You can still edit it until the round closes."))
        else:
            messages.success(request, _("Your draft was saved."))


def _matrix(model: MaturityModel) -> tuple[list[Dimension], list[Level], dict[tuple[int, int], SafeString]]:
    """The model's dimensions, its levels, and the text of each cell of the
    self-assessment matrix as HTML in the active language: the level's name
    and the criterion, each marked when shown in another language."""
    dimensions = list(model.dimensions.prefetch_related("criteria"))
    levels = list(model.levels.all())
    cells = {}
    for dimension in dimensions:
        criteria = {criterion.level_id: criterion for criterion in dimension.criteria.all()}
        for level in levels:
            criterion = criteria.get(level.pk)
            text = (
                format_html('\n          <span class="matrix__criteria">{}</span>', localized(criterion, "text"))
                if criterion is not None and criterion.text
                else ""
            )
            cells[(dimension.pk, level.pk)] = format_html(
                '<span class="matrix__level">{}</span>{}', localized(level, "name"), text
            )
    return dimensions, levels, cells


def _assessment_rows(
    form: SelfAssessmentForm, levels: list[Level], cells: dict[tuple[int, int], SafeString]
) -> list[dict[str, Any]]:
    """The form's rows with each level's radio button and its cell's text (``_matrix``).

    The template writes the radio buttons itself from ``id``, ``value`` and
    ``checked`` (what ``RadioSelect`` would write): a matrix has a radio
    button per dimension and level, and rendering each through the widget's
    own template was a third of the page's time."""
    rows = []
    for row in form.rows():
        dimension, field = row["dimension"], row["level"]
        chosen = field.value()
        chosen = str(getattr(chosen, "pk", chosen)) if chosen not in (None, "") else None
        choices = [
            {
                "id": f"{field.auto_id}_{index}",
                "value": level.pk,
                "checked": chosen == str(level.pk),
                "text": cells[(dimension.pk, level.pk)],
            }
            for index, level in enumerate(levels)
        ]
        rows.append({**row, "choices": choices})
    return rows


@require_http_methods(["GET", "POST"])
@login_required
def assess(request: HttpRequest, slug: str, round_id: int, unit_slug: str) -> HttpResponse:
    """A person's self-assessment of a unit. The form as they left it is
    kept in the fragment cache by the maturity data stamp (their answers,
    the round, the matrix; read with the round), the person and the day
    (the round opens and closes), with their CSRF token put in afterwards."""
    strategy = get_strategy_for_user(request, slug)
    round_ = _round(request, strategy, round_id, stamped=True)
    unit = _assessed_unit(request, round_, unit_slug)
    if unit is None:
        # Those who may read the unit's results but do not work in it get 403.
        unit = _unit(request, round_, unit_slug)
        if not round_.assessable_by(request.user, unit):
            raise PermissionDenied
    template = "maturity/assess.html"
    context = {"strategy": strategy, "round": round_, "unit": unit}
    if request.method == "GET":
        stamp = round_.maturity_stamp  # type: ignore[attr-defined]
        key = fragment_key("assess", round_.pk, unit.pk, request.user.pk, stamp, clock.today())
        body = cached(
            key,
            lambda: render_to_string(
                f"{template}#assess-body", {**context, **_assess_context(request, round_, unit), "csrf_token": CSRF_SLOT}
            ),
        )
        return render(request, template, {**context, "body": with_csrf(body, request)})
    assess_context = _assess_context(request, round_, unit)
    form, assessment = assess_context["form"], assess_context["assessment"]
    if not assess_context["open_for_answers"]:
        messages.error(request, _("This round does not take answers now: nothing was saved."))
        return redirect("maturity-assess", slug=strategy.slug, round_id=round_.pk, unit_slug=unit.slug)
    if form.is_valid():
        _assessment_save(request, form, round_, unit, assessment)
        return redirect("maturity-assess", slug=strategy.slug, round_id=round_.pk, unit_slug=unit.slug)
    messages.error(request, _("Please check the rows marked below."))
    return render(request, template, {**context, **assess_context})


def _assessed_unit(request: HttpRequest, round_: AssessmentRound, unit_slug: str) -> Organisation | None:
    """The unit ``unit_slug`` when the person works in it and the round
    invites it (``assessable_by``), answered from their memberships and the
    round's units kept by the maturity data stamp, without a query; None
    otherwise (the caller then asks the database, for a 404 or a 403)."""
    for organisation in access_for(request.user).organisations(ASSESSOR_ROLES):
        if organisation.slug == unit_slug:
            invited = cached(
                fragment_key("round-units", round_.pk, round_.maturity_stamp),  # type: ignore[attr-defined]
                lambda: frozenset(round_.units.values_list("pk", flat=True)),
            )
            return organisation if organisation.pk in invited else None
    return None


def _assess_context(request: HttpRequest, round_: AssessmentRound, unit: Organisation) -> dict[str, Any]:
    """The form (bound to what was posted, else to the person's answers) and what the page says of it."""
    model = round_.model
    # The matrix is the same for everyone: kept by the maturity data stamp, read with the round.
    dimensions, levels, cells = cached(
        fragment_key("matrix", model.pk, round_.maturity_stamp),  # type: ignore[attr-defined]
        lambda: _matrix(model),
    )
    assessment = (
        SelfAssessment.objects.filter(round=round_, unit=unit, person=request.user).prefetch_related("ratings").first()
    )
    form = SelfAssessmentForm(
        request.POST if request.method == "POST" else None,
        initial=_assessment_initial(assessment),
        dimensions=dimensions,
        levels=levels,
        model=model,
    )
    return {
        "form": form,
        "rows": _assessment_rows(form, levels, cells),
        "levels": levels,
        "assessment": assessment,
        "open_for_answers": round_.accepts_answers(),
        "not_open_yet": round_.not_open_yet(),
    }


# --- unit result -------------------------------------------------------------


def _unit_result_context(
    request: HttpRequest, strategy: Strategy, round_: AssessmentRound, unit: Organisation, form: AgreedLevelForm | None = None
) -> dict[str, Any]:
    owner = Strategy.objects.owned_by(request.user).filter(pk=strategy.pk).exists()
    can_agree = round_.units_agreeable_by(request.user).filter(pk=unit.pk).exists()
    result = services.unit_result_build(
        round_=round_,
        unit=unit,
        with_names=owner and not round_.is_anonymous,
        with_justifications=can_agree,
    )
    if can_agree and form is None:
        dimensions = [row["dimension"] for row in result["rows"]]
        initial = {}
        for row in result["rows"]:
            if row["agreed"]:
                initial[f"agreed_{row['dimension'].pk}"] = row["agreed"].pk
                initial[f"note_{row['dimension'].pk}"] = row["agreed_note"]
        form = AgreedLevelForm(initial=initial, dimensions=dimensions, model=round_.model)
    if form is not None:
        for row in result["rows"]:
            row["agreed_field"], row["note_field"] = form.field_for(row["dimension"])
    return {
        "strategy": strategy,
        "round": round_,
        "unit": unit,
        "result": result,
        "is_owner": owner,
        "can_agree": can_agree,
        "agreed_form": form,
        "agreed_history": agreed_level_changes(round_=round_, unit=unit),
    }


@require_GET
@login_required
def unit_result(request: HttpRequest, slug: str, round_id: int, unit_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user(request, slug)
    round_ = _round(request, strategy, round_id)
    unit = _unit(request, round_, unit_slug)
    return render(request, "maturity/unit_result.html", _unit_result_context(request, strategy, round_, unit))


@require_POST
@login_required
def agreed_save(request: HttpRequest, slug: str, round_id: int, unit_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user(request, slug)
    round_ = _round(request, strategy, round_id)
    # Those who read the result but are neither its heads nor owners get 403.
    unit = _unit(request, round_, unit_slug, allowed=round_.units_agreeable_by(request.user))
    dimensions = list(round_.model.dimensions.all())
    form = AgreedLevelForm(request.POST, dimensions=dimensions, model=round_.model)
    if form.is_valid():
        try:
            services.agreed_levels_record(round_=round_, unit=unit, choices=form.choices(), user=request.user)
        except IntegrityError:
            messages.error(request, _("That level is not part of this matrix. Nothing was saved."))
        else:
            messages.success(request, _("The unit's agreed levels were saved."))
        url = reverse("maturity-unit-result", kwargs={"slug": strategy.slug, "round_id": round_.pk, "unit_slug": unit.slug})
        return redirect(url + "#agreed-heading")
    messages.error(request, _("Please check the rows marked below."))
    context = _unit_result_context(request, strategy, round_, unit, form=form)
    return render(request, "maturity/unit_result.html", context, status=INVALID)


# --- heat map and history ----------------------------------------------------


@require_GET
@login_required
def heatmap(request: HttpRequest, slug: str) -> HttpResponse:
    """Units by dimensions for a year. The table (and the years to choose
    from) is cached by what it shows: the maturity data stamp, the
    strategy's and the organisations' stamps, the model, the year asked for
    and the reader's reach (which units' histories are linked)."""
    strategy = get_strategy_for_user(request, slug)
    models = _models(request, strategy)
    model = _model(models, request)
    year_param = request.GET.get("year", "")
    key = fragment_key(
        "heatmap",
        strategy.pk,
        model.pk if model else None,
        year_param,
        stamp_for(strategy, data_stamp("maturity")),
        reader_key(request.user),
    )
    region = cached(key, lambda: _heatmap_region(request, strategy, model, year_param))
    context = {
        "strategy": strategy,
        "model": model,
        "models": models,
        "years": region["years"],
        "year": region["year"],
        "heatmap_html": region["html"],
    }
    return render_page(request, "maturity/heatmap.html", context, fragment="heatmap")


def _heatmap_region(request: HttpRequest, strategy: Strategy, model: MaturityModel | None, year_param: str) -> dict[str, Any]:
    years = list(AssessmentRound.objects.filter(model=model).order_by("-year").values_list("year", flat=True)) if model else []
    year = int(year_param) if year_param.isdigit() and int(year_param) in years else (years[0] if years else None)
    data = services.heatmap_build(model=model, year=year) if model and year else None
    if data and model:
        # Everyone who reads the strategy sees the heat map; a unit's history
        # is linked only where the user may read it.
        readable = set(
            model.units_readable_by(request.user)
            .filter(pk__in=[row["unit_id"] for row in data["rows"]])
            .values_list("pk", flat=True)
        )
        for row in data["rows"]:
            row["linked"] = row["unit_id"] in readable  # type: ignore[typeddict-unknown-key]
    context = {"strategy": strategy, "model": model, "data": data}
    return {"years": years, "year": year, "html": render_to_string("maturity/_heatmap_region.html", context)}


@require_GET
@login_required
def unit_history(request: HttpRequest, slug: str, unit_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user(request, slug)
    model = _model(_models(request, strategy), request)
    if model is None:
        raise Http404
    unit = get_object_or_404(model.units_readable_by(request.user), slug=unit_slug)
    history = services.unit_history_build(model=model, unit=unit)
    rows = [
        {"year": year, "cells": [{"value": s["values"][i], "label": s["labels"][i]} for s in history["series"]]}
        for i, year in enumerate(history["years"])
    ]
    context = {
        "strategy": strategy,
        "model": model,
        "unit": unit,
        "history": history,
        "rows": rows,
        # Markup built by pygal, which escapes the texts in it (never user HTML).
        "chart": mark_safe(charts.history_chart_svg(history)),
    }
    return render(request, "maturity/unit_history.html", context)
