from __future__ import annotations

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("strategies/<slug:slug>/reports/", views.report_list, name="report-list"),
    path("strategies/<slug:slug>/reports/order/", views.report_order_view, name="report-order"),
    path("strategies/<slug:slug>/reports/<int:pk>/", views.report_status, name="report-status"),
    path("strategies/<slug:slug>/reports/<int:pk>/download/", views.report_download, name="report-download"),
    path("strategies/<slug:slug>/reports/<int:pk>/again/", views.report_reorder_view, name="report-reorder"),
    path("strategies/<slug:slug>/reports/<int:pk>/publish/", views.report_publish, name="report-publish"),
]
