from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("strategies/<slug:slug>/indicators/", views.indicator_list, name="indicator-list"),
    path("strategies/<slug:slug>/indicators/export.xlsx", views.indicator_export, {"fmt": "xlsx"}, name="indicator-export-xlsx"),
    path("strategies/<slug:slug>/indicators/export.csv", views.indicator_export, {"fmt": "csv"}, name="indicator-export-csv"),
    path("strategies/<slug:slug>/indicators/import/", views.import_upload, name="import-upload"),
    path("strategies/<slug:slug>/indicators/import/<int:job_id>/", views.import_detail, name="import-detail"),
    path("strategies/<slug:slug>/indicators/import/<int:job_id>/apply/", views.import_apply, name="import-apply"),
    path("strategies/<slug:slug>/indicators/import/<int:job_id>/cancel/", views.import_cancel, name="import-cancel"),
    path("strategies/<slug:slug>/indicators/<int:pk>/", views.indicator_detail, name="indicator-detail"),
    path(
        "strategies/<slug:slug>/indicators/<int:pk>/values/<int:year>/<str:unit>/",
        views.measurement_edit,
        name="measurement-edit",
    ),
    path(
        "strategies/<slug:slug>/indicators/<int:pk>/targets/<int:year>/<str:unit>/",
        views.target_edit,
        name="target-edit",
    ),
    path("strategies/<slug:slug>/agenda2030/", views.sdg_filter, name="sdg-filter"),
]
