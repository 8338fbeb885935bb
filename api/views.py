"""The REST API: the same querysets and services as the pages.

Every lookup goes through the queryset the pages use for the same question
(``Strategy.objects.visible_to``, ``AnnualPlan.objects.visible_to``,
``Report.objects.visible_to`` …), so what a person cannot see is a 404, and
what they see but may not change is a 403. Writes go through the services of
the plan page and of the indicator entry grid, with their optimistic locks:
a stale ``version`` is a 409 carrying the current values.
"""

from __future__ import annotations

import logging
from typing import Any

import django_filters
from django.db.models import Prefetch, Q, QuerySet
from django.http import FileResponse, Http404
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from indicators.forms import ValueForm
from indicators.models import Indicator, entry_rights
from indicators.services import (
    EntryError,
    ValueConflictError,
    indicators_with_values,
    measurement_record,
    target_record,
)
from maturity import services as maturity_services
from maturity.models import AssessmentRound, MaturityModel
from reports.models import Report
from reports.services import report_filename
from reports.views import _verified_report_file
from strategy import services as plan_services
from strategy import versions
from strategy.access import access_for
from strategy.forms import PlanItemForm
from strategy.models import (
    Action,
    AnnualPlan,
    Goal,
    Organisation,
    PlanItem,
    StrategicChoice,
    Strategy,
    scope_q,
    user_language,
)
from strategy.security import security_event
from strategy.views.plans import PlanPermissions

from . import serializers as s


class PersonLanguageMixin:
    """Answers (and error messages) in the person's language: their profile's
    when they chose one, else what the request asked for (Accept-Language)."""

    def perform_authentication(self, request: Request) -> None:
        super().perform_authentication(request)  # type: ignore[misc]
        user = request.user
        if user.is_authenticated and getattr(getattr(user, "suunta_profile", None), "language", ""):
            language = user_language(user)
            translation.activate(language)
            request._request.LANGUAGE_CODE = language


class ReadOnlyViewSet(PersonLanguageMixin, viewsets.ReadOnlyModelViewSet):
    pass


def _strategy_param(name: str = "strategy") -> django_filters.CharFilter:
    return django_filters.CharFilter(field_name=f"{name}__slug", help_text="The strategy's slug.")


# --- organisations ------------------------------------------------------------------------------


class OrganisationFilter(django_filters.FilterSet):
    parent = django_filters.NumberFilter(field_name="parent_id")

    class Meta:
        model = Organisation
        fields = ["kind", "parent", "is_active"]


@extend_schema(tags=["organisations"])
class OrganisationViewSet(ReadOnlyViewSet):
    """Organisations the person works in (and everything below them) and
    those whose strategies they may read."""

    serializer_class = s.OrganisationSerializer
    filterset_class = OrganisationFilter
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Organisation]:
        user = self.request.user
        if access_for(user).is_superuser:
            return Organisation.objects.all()
        owning = Strategy.objects.visible_to(user).values("organisation_id")
        return Organisation.objects.filter(scope_q(user, "path") | Q(pk__in=owning)).order_by(
            "path"
        )


# --- strategies ----------------------------------------------------------------------------------


class StrategyFilter(django_filters.FilterSet):
    organisation = django_filters.CharFilter(
        field_name="organisation__slug", help_text="The organisation's slug."
    )
    year = django_filters.NumberFilter(
        method="filter_year", help_text="Strategies whose period covers this year."
    )

    class Meta:
        model = Strategy
        fields = ["status", "organisation", "year"]

    def filter_year(
        self, queryset: QuerySet[Strategy], name: str, value: int
    ) -> QuerySet[Strategy]:
        return queryset.filter(period_start__lte=value, period_end__gte=value)


@extend_schema(tags=["strategies"])
class StrategyViewSet(ReadOnlyViewSet):
    """Strategies the person may read. The detail carries every part: the
    working copy for members of the owning organisation (and above it),
    else the latest approved version, as on the strategy's page."""

    filterset_class = StrategyFilter
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Strategy]:
        return (
            Strategy.objects.visible_to(self.request.user)
            .select_related("organisation", "parent")
            .order_by("organisation__path", "-period_start", "pk")
        )

    def get_serializer_class(self) -> type[s.serializers.Serializer]:
        return s.StrategyDetailSerializer if self.action == "retrieve" else s.StrategySerializer

    @extend_schema(responses=s.StrategyDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        found = self.get_object()
        goals = Goal.objects.prefetch_related("objectives").order_by("order", "pk")
        live = (
            Strategy.objects.filter(pk=found.pk)
            .select_related("organisation", "parent")
            .prefetch_related(
                "visions",
                "principles",
                "sections",
                "target_states",
                "perspectives",
                "focus_areas",
                "stakeholders__goals",
                "stakeholders__actions",
                Prefetch(
                    "choices", queryset=StrategicChoice.objects.prefetch_related("trade_offs")
                ),
                Prefetch("goals", queryset=goals),
                Prefetch(
                    "actions",
                    queryset=Action.objects.prefetch_related("responsible_units").order_by(
                        "order", "pk"
                    ),
                ),
            )
            .get()
        )
        shown = live
        latest = versions.latest_version(live)
        if latest is not None and not versions.sees_working_copy(request.user, live):
            # Readers outside the owning organisation see what was approved.
            shown = versions.frozen_strategy(live, latest.snapshot)
            shown.shown_version = latest.number  # type: ignore[attr-defined]
        return Response(
            s.StrategyDetailSerializer(shown, context=self.get_serializer_context()).data
        )


# --- annual plans --------------------------------------------------------------------------------


class PlanFilter(django_filters.FilterSet):
    strategy = _strategy_param()
    unit = django_filters.NumberFilter(field_name="unit_id", help_text="The unit's id.")

    class Meta:
        model = AnnualPlan
        fields = ["strategy", "unit", "year", "status"]


@extend_schema(tags=["plans"])
class AnnualPlanViewSet(ReadOnlyViewSet):
    """Annual action plans the person may see: members of the unit (or above
    it) and the strategy's owners see every plan, viewers approved plans."""

    filterset_class = PlanFilter

    def get_queryset(self) -> QuerySet[AnnualPlan]:
        plans = (
            AnnualPlan.objects.visible_to(self.request.user)
            .select_related("strategy", "unit")
            .with_status_counts()
            .order_by("-year", "unit__name", "pk")
        )
        if self.action == "retrieve":
            items = PlanItem.objects.select_related("action").order_by("order", "pk")
            plans = plans.prefetch_related(Prefetch("items", queryset=items))
        return plans

    def get_serializer_class(self) -> type[s.serializers.Serializer]:
        return s.AnnualPlanDetailSerializer if self.action == "retrieve" else s.AnnualPlanSerializer


@extend_schema(tags=["plans"])
class PlanItemViewSet(PersonLanguageMixin, viewsets.GenericViewSet):
    """One item of a plan; PATCH is the weekly update of its status, progress
    and a note, through the plan page's service and its version check."""

    serializer_class = s.PlanItemSerializer

    def get_queryset(self) -> QuerySet[PlanItem]:
        return PlanItem.objects.filter(
            plan__in=AnnualPlan.objects.visible_to(self.request.user)
        ).select_related("plan", "action")

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(s.PlanItemSerializer(self.get_object()).data)

    @extend_schema(
        request=s.PlanItemUpdateSerializer,
        responses={
            200: s.PlanItemSerializer,
            400: OpenApiResponse(description="Invalid values, with a message per field."),
            403: OpenApiResponse(
                description="The person may not update this plan, or its year is closed."
            ),
            409: s.PlanItemConflictSerializer,
        },
    )
    def partial_update(self, request: Request, pk: int) -> Response:
        item = self.get_object()
        plan = item.plan
        if not PlanPermissions.of(request.user, plan).edit:
            raise exceptions.PermissionDenied
        if not plan.accepts_progress:
            raise exceptions.PermissionDenied(
                _("The year is closed: the plan can no longer be changed.")
            )
        incoming = s.PlanItemUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        sent = incoming.validated_data
        # The page's quick form checks the values (e.g. no progress before the
        # item has started); a field not sent keeps its stored value.
        form = PlanItemForm(
            {
                "version": sent["version"],
                "status": sent.get("status", item.status),
                "progress": sent.get("progress", item.progress),
            },
            instance=item,
            quick=True,
        )
        if not form.is_valid():
            raise exceptions.ValidationError(
                {name: list(errors) for name, errors in form.errors.items()}
            )
        data = form.changes()
        if sent.get("note"):
            data["note"] = sent["note"]
        try:
            saved = plan_services.plan_item_update(
                item=item, user=request.user, expected_version=sent["version"], data=data
            )
        except plan_services.ItemConflictError as conflict:
            current = PlanItem.objects.select_related("action").get(pk=conflict.current.pk)
            return Response(
                {
                    "detail": _("Not saved: someone else changed this item after you opened it."),
                    "current": s.PlanItemSerializer(current).data,
                },
                status=status.HTTP_409_CONFLICT,
            )
        except plan_services.PlanLockedError as error:
            return Response({"detail": error.message}, status=status.HTTP_409_CONFLICT)
        saved.action = item.action
        return Response(s.PlanItemSerializer(saved).data)


# --- indicators ----------------------------------------------------------------------------------


class IndicatorFilter(django_filters.FilterSet):
    strategy = _strategy_param()

    class Meta:
        model = Indicator
        fields = ["strategy", "kind"]


@extend_schema(tags=["indicators"])
class IndicatorViewSet(ReadOnlyViewSet):
    """Indicators of the strategies the person may read, with their scale,
    targets and measured values. ``PUT …/targets/`` and ``PUT …/values/`` set
    one cell of the entry grid, with the entry grid's rights and checks."""

    serializer_class = s.IndicatorSerializer
    filterset_class = IndicatorFilter

    def get_queryset(self) -> QuerySet[Indicator]:
        return indicators_with_values(Indicator.objects.visible_to(self.request.user)).order_by(
            "strategy__slug", "order", "pk"
        )

    def _cell(self, request: Request, kind: str) -> Response:
        indicator = self.get_object()
        strategy = indicator.strategy
        incoming = s.CellWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        sent = incoming.validated_data
        unit = None
        if sent["unit"] is not None:
            unit = (
                Organisation.objects.units()
                .below(strategy.organisation)
                .filter(pk=sent["unit"])
                .first()
            )
            if unit is None:
                raise exceptions.ValidationError(
                    {"unit": [_("Choose a unit of the strategy's organisation.")]}
                )
        rights = entry_rights(user=request.user, strategy=strategy)
        allowed = (
            rights.targets if kind == "target" else rights.may_enter(unit.pk if unit else None)
        )
        if not allowed:
            raise exceptions.PermissionDenied
        # The grid's form parses the value, so both accept the same numbers.
        form = ValueForm(
            {"value": sent["value"] or "", "version": sent["version"]}, indicator=indicator
        )
        if not form.is_valid():
            raise exceptions.ValidationError(
                {name: list(errors) for name, errors in form.errors.items()}
            )
        record = measurement_record if kind == "actual" else target_record
        try:
            row = record(
                indicator=indicator,
                year=sent["year"],
                unit=unit,
                value=form.cleaned_data["value"],
                user=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except EntryError as error:
            field = "year" if sent["year"] not in strategy.years else "value"
            raise exceptions.ValidationError({field: [error.message]}) from None
        except ValueConflictError as conflict:
            return Response(
                {
                    "detail": _("Not saved: someone else changed this value after you opened it."),
                    "current": _cell_data(sent["year"], unit, conflict.current),
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(_cell_data(sent["year"], unit, row))

    @extend_schema(
        request=s.CellWriteSerializer,
        responses={
            200: s.CellSerializer,
            400: OpenApiResponse(description="Invalid value."),
            409: s.CellConflictSerializer,
        },
    )
    @action(detail=True, methods=["put"], url_path="targets")
    def targets(self, request: Request, pk: int) -> Response:
        """Set (or with value null, remove) a target; only the strategy's owners set targets."""
        return self._cell(request, "target")

    @extend_schema(
        request=s.CellWriteSerializer,
        responses={
            200: s.CellSerializer,
            400: OpenApiResponse(description="Invalid value."),
            409: s.CellConflictSerializer,
        },
    )
    @action(detail=True, methods=["put"], url_path="values")
    def values(self, request: Request, pk: int) -> Response:
        """Record (or with value null, remove) a measured value: owners for the
        total and every unit, unit heads for their units."""
        return self._cell(request, "actual")


def _cell_data(year: int, unit: Organisation | None, row: Any) -> dict[str, Any]:
    return s.CellSerializer(
        {
            "year": year,
            "unit": unit.pk if unit else None,
            "value": row.value if row is not None else None,
            "version": row.version if row is not None else 0,
        }
    ).data


# --- maturity ------------------------------------------------------------------------------------


class MaturityModelFilter(django_filters.FilterSet):
    strategy = _strategy_param()

    class Meta:
        model = MaturityModel
        fields = ["strategy"]


@extend_schema(tags=["maturity"])
class MaturityModelViewSet(ReadOnlyViewSet):
    """Maturity models of the strategies the person may read; the heat map
    gives each unit's level per dimension for a year. A level comes from the
    agreed level or from the median of at least the round's smallest group of
    answers; individual answers and smaller distributions never appear."""

    serializer_class = s.MaturityModelSerializer
    filterset_class = MaturityModelFilter

    def get_queryset(self) -> QuerySet[MaturityModel]:
        return (
            MaturityModel.objects.filter(
                strategy__in=Strategy.objects.visible_to(self.request.user)
            )
            .select_related("strategy")
            .prefetch_related("levels", "dimensions", "rounds")
            .order_by("pk")
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "year", int, description="The round's year; the latest round by default."
            )
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["get"])
    def heatmap(self, request: Request, pk: int) -> Response:
        model = self.get_object()
        years = list(
            AssessmentRound.objects.filter(model=model)
            .order_by("-year")
            .values_list("year", flat=True)
        )
        wanted = request.query_params.get("year", "")
        if wanted:
            if not wanted.isdigit() or int(wanted) not in years:
                raise Http404
            year = int(wanted)
        elif years:
            year = years[0]
        else:
            raise Http404
        return Response(maturity_services.heatmap_build(model=model, year=year))


class PDFRenderer(BaseRenderer):
    """Lets a client ask for ``Accept: application/pdf``; the PDF itself is a
    FileResponse, and an error is still a JSON body."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        return JSONRenderer().render(data)


# --- reports -------------------------------------------------------------------------------------


class ReportFilter(django_filters.FilterSet):
    strategy = _strategy_param()
    unit = django_filters.NumberFilter(field_name="unit_id", help_text="The unit's id.")

    class Meta:
        model = Report
        fields = ["strategy", "unit", "year", "status", "language"]


@extend_schema(tags=["reports"])
class ReportViewSet(ReadOnlyViewSet):
    """Council reports the person may read; ``download`` serves the PDF only
    while it is byte for byte the file that was rendered."""

    serializer_class = s.ReportSerializer
    filterset_class = ReportFilter

    def get_queryset(self) -> QuerySet[Report]:
        return (
            Report.objects.visible_to(self.request.user)
            .select_related("strategy", "unit")
            .defer("snapshot")
            .order_by("-requested_at", "-pk")
        )

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            500: OpenApiResponse(description="The stored file no longer matches its SHA-256."),
        }
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, PDFRenderer])
    def download(self, request: Request, pk: int) -> Any:
        report = self.get_object()
        if report.status != Report.Status.DONE or not report.file:
            raise Http404
        verified = _verified_report_file(report)
        if verified is None:
            security_event(
                "report.integrity_failed",
                request=request._request,
                report=report.pk,
                level=logging.ERROR,
            )
            return Response(
                {
                    "detail": _(
                        "The stored report does not match the one that was rendered. The administrators have been told."
                    )
                },
                status=status.HTTP_500_INTERNAL_SERVER_ERROR,
            )
        security_event(
            "report.download", request=request._request, report=report.pk, sha256=report.sha256
        )
        return FileResponse(
            verified,
            as_attachment=True,
            filename=report_filename(report),
            content_type="application/pdf",
        )
