"""The accessibility statement (public), its feedback form, and the
superuser's pages that keep the statement and the feedback up to date."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.throttle import throttle_hit
from strategy import clock
from strategy.access import access_for
from strategy.htmx import render_page, wants_fragment
from strategy.security import client_address

from .forms import FeedbackForm, KnownProblemFormSet, StatementForm
from .models import Feedback, KnownProblem, Statement
from .services import feedback_submit

logger = logging.getLogger(__name__)

# The Act on the Provision of Digital Services gives the operator 14 days to answer.
ANSWER_DAYS = 14


def _statement_context(request: HttpRequest, form: FeedbackForm) -> dict:
    return {
        "statement": Statement.objects.current(),
        "problems": KnownProblem.objects.all(),
        "operator": settings.SUUNTA_ACCESSIBILITY_OPERATOR,
        "feedback_email": settings.SUUNTA_ACCESSIBILITY_FEEDBACK_EMAIL,
        "authority_name": settings.SUUNTA_ACCESSIBILITY_AUTHORITY_NAME,
        "authority_url": settings.SUUNTA_ACCESSIBILITY_AUTHORITY_URL,
        "authority_email": settings.SUUNTA_ACCESSIBILITY_AUTHORITY_EMAIL,
        "answer_days": ANSWER_DAYS,
        "form": form,
    }


@require_GET
def statement(request: HttpRequest) -> HttpResponse:
    """The statement, with the feedback form; ``?page=`` names the page the
    footer link came from."""
    form = FeedbackForm(initial={"page": request.GET.get("page", "")[:500]})
    return render(request, "accessibility.html", _statement_context(request, form))


@require_POST
def feedback_send(request: HttpRequest) -> HttpResponse:
    """Store feedback and have it emailed; htmx gets the form section back."""
    form = FeedbackForm(request.POST)
    template = "accessibility.html"
    window_minutes = settings.SUUNTA_ACCESSIBILITY_FEEDBACK_WINDOW_MINUTES
    if throttle_hit(
        scope="accessibility-feedback",
        keys=[f"ip:{client_address(request)}"],
        limit=settings.SUUNTA_ACCESSIBILITY_FEEDBACK_LIMIT,
        window_seconds=window_minutes * 60,
    ):
        form.is_valid()
        form.add_error(
            None,
            ngettext(
                "You have sent a lot of feedback in a short time. Try again in %(minutes)d minute.",
                "You have sent a lot of feedback in a short time. Try again in %(minutes)d minutes.",
                window_minutes,
            )
            % {"minutes": window_minutes},
        )
        return render_page(
            request, template, _statement_context(request, form), fragment="feedback-form", status=429
        )
    if not form.is_valid():
        return render_page(
            request, template, _statement_context(request, form), fragment="feedback-form", status=422
        )
    if form.is_robot():
        # Answered like a person, so that the robot learns nothing; nothing stored.
        logger.info("accessibility feedback honeypot filled; dropped")
    else:
        feedback_submit(
            message=form.cleaned_data["message"],
            email=form.cleaned_data["email"],
            page=form.cleaned_data["page"],
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
    thanks = _("Thank you. Your feedback has been sent.")
    if wants_fragment(request):
        context = _statement_context(request, FeedbackForm())
        context["sent"] = thanks
        return render_page(request, template, context, fragment="feedback-form")
    messages.success(request, thanks)
    return redirect(reverse("accessibility") + "#feedback")


def _superuser(request: HttpRequest) -> None:
    """Only a superuser keeps the statement and reads feedback (others: 403)."""
    if not access_for(request.user).is_superuser:
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
@login_required
def statement_edit(request: HttpRequest) -> HttpResponse:
    _superuser(request)
    current = Statement.objects.current()
    if request.method == "POST":
        form = StatementForm(request.POST, instance=current)
        problems = KnownProblemFormSet(
            request.POST, queryset=KnownProblem.objects.all(), prefix="problems"
        )
        if form.is_valid() and problems.is_valid():
            with transaction.atomic():
                form.save()
                problems.save()
            messages.success(request, _("The accessibility statement was saved."))
            return redirect("accessibility")
        status = 422
    else:
        form = StatementForm(instance=current)
        problems = KnownProblemFormSet(queryset=KnownProblem.objects.all(), prefix="problems")
        status = 200
    return render(
        request,
        "accessibility/statement_edit.html",
        {"form": form, "problems": problems},
        status=status,
    )


@require_GET
@login_required
def feedback_list(request: HttpRequest) -> HttpResponse:
    _superuser(request)
    page = Paginator(Feedback.objects.all(), 50).get_page(request.GET.get("page"))
    return render_page(
        request,
        "accessibility/feedback_list.html",
        {"page": page, "today": clock.today(), "answer_by_days": ANSWER_DAYS},
        fragment="feedback-table",
    )


@require_POST
@login_required
def feedback_answered(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark feedback answered today (or unmark it)."""
    _superuser(request)
    feedback = get_object_or_404(Feedback, pk=pk)
    answered_on: datetime.date | None = None if request.POST.get("undo") else clock.today()
    Feedback.objects.filter(pk=feedback.pk).update(answered_on=answered_on)
    return redirect(
        reverse("accessibility-feedback-list")
        + (f"?page={request.POST['page']}" if request.POST.get("page", "").isdigit() else "")
    )
