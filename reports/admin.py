from django.contrib import admin

from .models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["strategy", "year", "to_year", "language", "version", "status", "requested_by", "requested_at"]
    list_filter = ["status", "language"]
    readonly_fields = ["file", "sha256", "snapshot", "status", "error", "attempts", "started_at", "finished_at"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # A finished report is an archived document: never edited in place.
        if obj is not None and obj.status == Report.Status.DONE:
            return False
        return super().has_change_permission(request, obj)
