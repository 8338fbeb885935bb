from __future__ import annotations

from django.urls import URLPattern, path

from . import views

P = "strategies/<slug:slug>/maturity/"
UNIT = P + "rounds/<int:round_id>/units/<slug:unit_slug>/"

urlpatterns: list[URLPattern] = [
    path(P, views.overview, name="maturity-overview"),
    path(P + "heatmap/", views.heatmap, name="maturity-heatmap"),
    path(P + "models/new/", views.model_create, name="maturity-model-create"),
    path(P + "models/copy/", views.model_copy, name="maturity-model-copy"),
    path(P + "models/<int:model_id>/", views.model_edit, name="maturity-model-edit"),
    path(P + "models/<int:model_id>/rows/new/", views.dimension_edit, name="maturity-dimension-create"),
    path(P + "models/<int:model_id>/rows/<int:dimension_id>/", views.dimension_edit, name="maturity-dimension-edit"),
    path(
        P + "models/<int:model_id>/rows/<int:dimension_id>/unit-targets/",
        views.unit_target_set,
        name="maturity-unit-target-set",
    ),
    path(P + "rounds/new/", views.round_create, name="maturity-round-create"),
    path(P + "rounds/<int:round_id>/", views.round_detail, name="maturity-round-detail"),
    path(P + "rounds/<int:round_id>/close/", views.round_close, name="maturity-round-close"),
    path(P + "rounds/<int:round_id>/export.csv", views.round_export, {"fmt": "csv"}, name="maturity-round-csv"),
    path(P + "rounds/<int:round_id>/export.xlsx", views.round_export, {"fmt": "xlsx"}, name="maturity-round-xlsx"),
    path(UNIT, views.unit_result, name="maturity-unit-result"),
    path(UNIT + "assess/", views.assess, name="maturity-assess"),
    path(UNIT + "agreed/", views.agreed_save, name="maturity-agreed-save"),
    path(P + "units/<slug:unit_slug>/", views.unit_history, name="maturity-unit-history"),
]
