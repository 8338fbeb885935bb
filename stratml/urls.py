from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("strategies/<slug:slug>/stratml.xml", views.stratml_download, name="stratml-download"),
    path("strategies/import/stratml/", views.stratml_import, name="stratml-import"),
    path(
        "strategies/import/stratml/<int:pk>/", views.stratml_import_job, name="stratml-import-job"
    ),
    path(
        "strategies/import/stratml/<int:pk>/apply/",
        views.stratml_import_apply_view,
        name="stratml-import-apply",
    ),
    path(
        "strategies/import/stratml/<int:pk>/cancel/",
        views.stratml_import_cancel_view,
        name="stratml-import-cancel",
    ),
]
