"""What the API returns: plain JSON shapes of the models, in the reader's language.

Translated fields (titles, descriptions) are read through modeltranslation, so
they come in the language of the request with the usual fallback.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from indicators.models import Indicator, Measurement, ScaleLevel, Target
from maturity.models import Dimension, Level, MaturityModel
from reports.models import Report
from strategy.models import (
    Action,
    AnnualPlan,
    FocusArea,
    Goal,
    Objective,
    Organisation,
    Perspective,
    PlanItem,
    Principle,
    Section,
    Stakeholder,
    StrategicChoice,
    Strategy,
    TargetState,
    TradeOff,
    Vision,
)

# --- organisations and strategies ----------------------------------------------------------


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "slug", "name", "short_name", "kind", "parent", "is_active", "dissolved_on"]


class StrategySerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Strategy
        fields = [
            "id",
            "slug",
            "title",
            "motto",
            "organisation",
            "parent",
            "period_start",
            "period_end",
            "status",
            "main_language",
            "approved_on",
            "decision_body",
            "decision_reference",
            "published",
        ]


def _part(
    model_class: type, names: list[str], **declared: serializers.Field
) -> type[serializers.ModelSerializer]:
    """A read-only serializer of one kind of strategy part."""
    meta = type("Meta", (), {"model": model_class, "fields": names, "read_only_fields": names})
    return type(
        f"{model_class.__name__}Serializer",
        (serializers.ModelSerializer,),
        {"Meta": meta, **declared},
    )


ObjectiveSerializer = _part(Objective, ["id", "number", "title", "description", "order"])
TradeOffSerializer = _part(TradeOff, ["id", "invest_in", "more_than", "order"])
VisionSerializer = _part(Vision, ["id", "label", "text", "order"])
PrincipleSerializer = _part(Principle, ["id", "title", "description", "points", "order"])
SectionSerializer = _part(Section, ["id", "number", "title", "body", "order"])
TargetStateSerializer = _part(TargetState, ["id", "title", "body", "order"])
PerspectiveSerializer = _part(Perspective, ["id", "name", "description", "order"])
FocusAreaSerializer = _part(FocusArea, ["id", "number", "title", "description", "section", "order"])
StrategicChoiceSerializer = _part(
    StrategicChoice,
    [
        "id",
        "group",
        "theme",
        "question",
        "invest_in",
        "more_than",
        "summary",
        "order",
        "trade_offs",
    ],
    trade_offs=TradeOffSerializer(many=True, read_only=True),
)
GoalSerializer = _part(
    Goal,
    [
        "id",
        "title",
        "description",
        "direction",
        "perspective",
        "contributes_to",
        "order",
        "objectives",
    ],
    objectives=ObjectiveSerializer(many=True, read_only=True),
)
ActionSerializer = _part(
    Action,
    [
        "id",
        "number",
        "title",
        "description",
        "focus_area",
        "goal",
        "objective",
        "responsible_units",
        "responsible_person",
        "start_year",
        "end_year",
        "horizon",
        "budget",
        "order",
    ],
)
StakeholderSerializer = _part(
    Stakeholder, ["id", "name", "kind", "role", "goals", "actions", "order"]
)


class StrategyDetailSerializer(StrategySerializer):
    """A strategy with its parts: the working copy for those who may read it,
    else the latest approved version (``shown_version``)."""

    shown_version = serializers.SerializerMethodField(
        help_text="The number of the approved version shown; null: the working copy."
    )
    visions = VisionSerializer(many=True, read_only=True)
    principles = PrincipleSerializer(many=True, read_only=True)
    sections = SectionSerializer(many=True, read_only=True)
    target_states = TargetStateSerializer(many=True, read_only=True)
    choices = StrategicChoiceSerializer(many=True, read_only=True)
    perspectives = PerspectiveSerializer(many=True, read_only=True)
    goals = GoalSerializer(many=True, read_only=True)
    focus_areas = FocusAreaSerializer(many=True, read_only=True)
    actions = ActionSerializer(many=True, read_only=True)
    stakeholders = StakeholderSerializer(many=True, read_only=True)

    class Meta(StrategySerializer.Meta):
        fields = [
            *StrategySerializer.Meta.fields,
            "purpose",
            "introduction",
            "shown_version",
            "visions",
            "principles",
            "sections",
            "target_states",
            "choices",
            "perspectives",
            "goals",
            "focus_areas",
            "actions",
            "stakeholders",
        ]

    def get_shown_version(self, strategy: Strategy) -> int | None:
        return getattr(strategy, "shown_version", None)


# --- plans -------------------------------------------------------------------------------------


class RollupSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    progress = serializers.IntegerField(
        help_text="Mean progress in per cent; done counts as 100, cancelled is left out."
    )
    light = serializers.ChoiceField(choices=["green", "amber", "red", "grey"])
    light_label = serializers.CharField()
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Items per status.")


class AnnualPlanSerializer(serializers.ModelSerializer):
    strategy = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    rollup = serializers.SerializerMethodField()

    class Meta:
        model = AnnualPlan
        fields = [
            "id",
            "strategy",
            "unit",
            "unit_name",
            "year",
            "status",
            "deadline",
            "is_closed",
            "submitted_at",
            "approved_at",
            "rollup",
        ]

    @extend_schema_field(RollupSerializer)
    def get_rollup(self, plan: AnnualPlan) -> dict[str, Any]:
        rollup = plan.rollup_from_annotations()
        return RollupSerializer(
            {
                "total": rollup.total,
                "progress": rollup.progress,
                "light": rollup.light,
                "light_label": rollup.light_label,
                "counts": rollup.counts,
            }
        ).data


class PlanItemSerializer(serializers.ModelSerializer):
    action_title = serializers.CharField(source="action.title", read_only=True)

    class Meta:
        model = PlanItem
        fields = [
            "id",
            "plan",
            "action",
            "action_title",
            "description",
            "budget",
            "responsible_person",
            "schedule",
            "status",
            "progress",
            "year_end_assessment",
            "version",
            "updated_at",
        ]
        read_only_fields = fields


class AnnualPlanDetailSerializer(AnnualPlanSerializer):
    items = PlanItemSerializer(many=True, read_only=True)

    class Meta(AnnualPlanSerializer.Meta):
        fields = [*AnnualPlanSerializer.Meta.fields, "return_comment", "items"]


class PlanItemUpdateSerializer(serializers.Serializer):
    """The weekly update of an item. Send the ``version`` you read: if someone
    saved the item since, nothing is saved and the answer is 409 with the
    current values."""

    version = serializers.IntegerField(min_value=1)
    status = serializers.ChoiceField(choices=PlanItem.Status.choices, required=False)
    progress = serializers.IntegerField(min_value=0, max_value=100, required=False)
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=4000, help_text="A progress note."
    )


class PlanItemConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = PlanItemSerializer()


# --- indicators --------------------------------------------------------------------------------


class ScaleLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScaleLevel
        fields = ["ordinal", "label"]


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["year", "unit", "value", "version"]


class MeasurementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measurement
        fields = ["year", "unit", "value", "source_note", "entered_at", "version"]


class IndicatorSerializer(serializers.ModelSerializer):
    strategy = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    levels = ScaleLevelSerializer(many=True, read_only=True)
    targets = TargetSerializer(many=True, read_only=True)
    values = MeasurementSerializer(many=True, read_only=True, source="measurements")

    class Meta:
        model = Indicator
        fields = [
            "id",
            "strategy",
            "name",
            "description",
            "kind",
            "unit_of_measure",
            "is_percentage",
            "direction",
            "data_source",
            "decimals",
            "baseline_year",
            "baseline_value",
            "perspective",
            "goal",
            "objective",
            "focus_area",
            "action",
            "levels",
            "targets",
            "values",
        ]


class CellWriteSerializer(serializers.Serializer):
    """One cell of the entry grid. ``unit`` null is the total; ``value`` null
    removes the value; ``version`` is the cell's version you read (0: empty)."""

    year = serializers.IntegerField()
    unit = serializers.IntegerField(allow_null=True, required=False, default=None)
    value = serializers.CharField(
        allow_null=True,
        allow_blank=True,
        max_length=40,
        help_text="A number (1234.5 or “1 234,5”); for a qualitative indicator the ordinal of a level.",
    )
    version = serializers.IntegerField(min_value=0, required=False, default=0)


class CellSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    unit = serializers.IntegerField(allow_null=True)
    value = serializers.DecimalField(max_digits=18, decimal_places=6, allow_null=True)
    version = serializers.IntegerField()


class CellConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = CellSerializer()


# --- maturity ----------------------------------------------------------------------------------


class LevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Level
        fields = ["id", "ordinal", "name", "description"]


class DimensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Dimension
        fields = ["id", "number", "title", "order"]


class MaturityModelSerializer(serializers.ModelSerializer):
    strategy = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    levels = LevelSerializer(many=True, read_only=True)
    dimensions = DimensionSerializer(many=True, read_only=True)
    years = serializers.SerializerMethodField(
        help_text="Years with an assessment round, newest first."
    )

    class Meta:
        model = MaturityModel
        fields = ["id", "strategy", "name", "description", "levels", "dimensions", "years"]

    def get_years(self, model: MaturityModel) -> list[int]:
        return sorted((r.year for r in model.rounds.all()), reverse=True)


# --- reports -----------------------------------------------------------------------------------


class ReportSerializer(serializers.ModelSerializer):
    strategy = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    download = serializers.SerializerMethodField(help_text="The PDF, while the report is done.")

    class Meta:
        model = Report
        fields = [
            "id",
            "strategy",
            "unit",
            "year",
            "to_year",
            "language",
            "version",
            "status",
            "sha256",
            "requested_at",
            "finished_at",
            "published",
            "download",
        ]

    def get_download(self, report: Report) -> str | None:
        if report.status != Report.Status.DONE or not report.file:
            return None
        path = reverse("api:report-download", args=[report.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path
