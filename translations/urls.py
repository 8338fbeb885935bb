from __future__ import annotations

from django.urls import path, re_path

from . import views

urlpatterns = [
    path(
        "strategies/<slug:slug>/translations/",
        views.translation_overview,
        name="translation-overview",
    ),
    re_path(
        r"^strategies/(?P<slug>[-\w]+)/translations/(?P<language>[a-z]{2})/text/(?P<key>[a-z_]+\.[a-z_]+\.\d+\.[a-z_]+)/$",
        views.translation_text,
        name="translation-text",
    ),
    re_path(
        r"^strategies/(?P<slug>[-\w]+)/translations/(?P<language>[a-z]{2})/export\.(?P<fmt>xlsx|xlf)$",
        views.translation_export,
        name="translation-export",
    ),
    path(
        "strategies/<slug:slug>/translations/<str:language>/import/",
        views.translation_import,
        name="translation-import",
    ),
    path(
        "strategies/<slug:slug>/translations/imports/<int:pk>/",
        views.translation_import_detail,
        name="translation-import-detail",
    ),
    path(
        "strategies/<slug:slug>/translations/imports/<int:pk>/apply/",
        views.translation_import_apply,
        name="translation-import-apply",
    ),
]
