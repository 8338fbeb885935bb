from __future__ import annotations

from django.urls import URLPattern, path

from . import views

# ``language/`` comes before the organisation pattern, so it always wins over
# an organisation that might one day be given that slug.
urlpatterns: list[URLPattern] = [
    path("", views.index, name="public-index"),
    path("language/", views.language, name="public-language"),
    path("<slug:org_slug>/", views.organisation, name="public-organisation"),
    path("<slug:org_slug>/<slug:slug>/", views.strategy, name="public-strategy"),
    path("<slug:org_slug>/<slug:slug>/actions/", views.action_list, name="public-action-list"),
    path(
        "<slug:org_slug>/<slug:slug>/indicators/",
        views.indicator_list,
        name="public-indicator-list",
    ),
    path(
        "<slug:org_slug>/<slug:slug>/indicators/<int:pk>/", views.indicator, name="public-indicator"
    ),
    path("<slug:org_slug>/<slug:slug>/maturity/", views.maturity, name="public-maturity"),
    path(
        "<slug:org_slug>/<slug:slug>/reports/<int:pk>/download/",
        views.report_download,
        name="public-report-download",
    ),
]
