from __future__ import annotations

from django.contrib import admin
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Action,
    AnnualPlan,
    FocusArea,
    Goal,
    Membership,
    Objective,
    Organisation,
    Perspective,
    PlanComment,
    PlanItem,
    Principle,
    ProgressUpdate,
    Section,
    SpearheadProgramme,
    Stakeholder,
    StrategicChoice,
    Strategy,
    SustainableDevelopmentGoal,
    TargetState,
    TradeOff,
    Vision,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(TranslationAdmin):
    list_display = ["name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "title"]
    list_filter = ["role"]
    search_fields = ["user__username", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


class SectionInline(TranslationStackedInline):
    model = Section
    extra = 0


class TargetStateInline(TranslationStackedInline):
    model = TargetState
    extra = 0


class PerspectiveInline(TranslationTabularInline):
    model = Perspective
    extra = 0


class SpearheadInline(TranslationStackedInline):
    model = SpearheadProgramme
    extra = 0
    filter_horizontal = ["goals", "focus_areas", "actions"]


class VisionInline(TranslationStackedInline):
    model = Vision
    extra = 0


class PrincipleInline(TranslationStackedInline):
    model = Principle
    extra = 0


class StakeholderInline(TranslationStackedInline):
    model = Stakeholder
    extra = 0
    filter_horizontal = ["goals", "actions"]


class ObjectiveInline(TranslationStackedInline):
    model = Objective
    extra = 0


@admin.register(Strategy)
class StrategyAdmin(TranslationAdmin):
    list_display = ["title", "organisation", "period_start", "period_end", "status"]
    list_filter = ["status"]
    search_fields = ["title", "slug"]
    autocomplete_fields = ["organisation", "parent"]
    inlines = [SectionInline, VisionInline, PrincipleInline, TargetStateInline, PerspectiveInline, SpearheadInline, StakeholderInline]


class TradeOffInline(TranslationStackedInline):
    model = TradeOff
    extra = 0


@admin.register(StrategicChoice)
class StrategicChoiceAdmin(TranslationAdmin):
    list_display = ["theme", "strategy", "group", "order"]
    list_filter = ["group", "strategy"]
    inlines = [TradeOffInline]


@admin.register(Goal)
class GoalAdmin(TranslationAdmin):
    list_display = ["title", "strategy", "perspective", "direction"]
    list_filter = ["strategy", "direction"]
    search_fields = ["title"]
    inlines = [ObjectiveInline]


@admin.register(FocusArea)
class FocusAreaAdmin(TranslationAdmin):
    list_display = ["number", "title", "strategy"]
    list_filter = ["strategy"]
    search_fields = ["title"]


@admin.register(Action)
class ActionAdmin(TranslationAdmin):
    list_display = ["title", "strategy", "focus_area", "goal", "start_year", "end_year", "horizon", "budget"]
    list_filter = ["strategy", "horizon"]
    search_fields = ["title"]
    filter_horizontal = ["responsible_units", "sdgs"]


@admin.register(SustainableDevelopmentGoal)
class SustainableDevelopmentGoalAdmin(TranslationAdmin):
    list_display = ["number", "name"]


class PlanItemInline(admin.TabularInline):
    model = PlanItem
    extra = 0
    fields = ["action", "status", "progress", "budget", "responsible_person", "schedule"]
    autocomplete_fields = ["action"]


@admin.register(AnnualPlan)
class AnnualPlanAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "strategy", "year", "status", "deadline"]
    list_filter = ["status", "year", "strategy"]
    inlines = [PlanItemInline]


@admin.register(PlanItem)
class PlanItemAdmin(SimpleHistoryAdmin):
    list_display = ["action", "plan", "status", "progress", "updated_at"]
    list_filter = ["status", "plan__year"]
    search_fields = ["action__title"]


admin.site.register(ProgressUpdate)
admin.site.register(PlanComment)


# --- plans ---
from .models import Profile, ReminderLog  # noqa: E402


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "language"]
    search_fields = ["user__username", "user__email"]


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["user", "period_start", "item_count", "sent_at"]
    list_filter = ["period_start"]
    readonly_fields = ["user", "period_start", "item_count", "sent_at"]
