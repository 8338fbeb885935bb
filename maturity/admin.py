from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from .models import (
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


class LevelInline(TranslationTabularInline):
    model = Level
    extra = 0


@admin.register(MaturityModel)
class MaturityModelAdmin(TranslationAdmin):
    list_display = ["name", "strategy"]
    inlines = [LevelInline]


class CriterionInline(TranslationTabularInline):
    model = Criterion
    extra = 0


@admin.register(Dimension)
class DimensionAdmin(TranslationAdmin):
    list_display = ["number", "title", "model"]
    inlines = [CriterionInline]
    filter_horizontal = ["actions"]


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(admin.ModelAdmin):
    list_display = ["model", "year", "status", "opens", "closes", "is_anonymous"]
    filter_horizontal = ["units"]


class RatingInline(admin.TabularInline):
    model = Rating
    extra = 0


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(admin.ModelAdmin):
    list_display = ["round", "unit", "person", "status"]
    inlines = [RatingInline]


admin.site.register(Level, TranslationAdmin)
# The history button lists who changed a level and what it was before.
admin.site.register(AgreedLevel, SimpleHistoryAdmin)
admin.site.register(TargetLevel, SimpleHistoryAdmin)
