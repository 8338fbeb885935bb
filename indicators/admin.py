from django.contrib import admin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import ImportJob, Indicator, Measurement, Target


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


class MeasurementInline(admin.TabularInline):
    model = Measurement
    extra = 0
    readonly_fields = ["entered_by", "entered_at"]


@admin.register(Indicator)
class IndicatorAdmin(TranslationAdmin):
    list_display = ["name", "strategy", "direction", "unit_of_measure"]
    list_filter = ["strategy", "direction"]
    search_fields = ["name"]
    filter_horizontal = ["sdgs"]
    inlines = [TargetInline, MeasurementInline]


# The history button lists who changed a value and what it was before.
admin.site.register(Target, SimpleHistoryAdmin)
admin.site.register(Measurement, SimpleHistoryAdmin)


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["original_name", "strategy", "created_by", "created_at", "status", "progress"]
    list_filter = ["status"]
    readonly_fields = ["strategy", "created_by", "created_at", "file", "original_name", "status", "progress", "total_rows", "errors", "summary", "finished_at"]
