from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

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
admin.site.register(AgreedLevel)
admin.site.register(TargetLevel)
