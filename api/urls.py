"""/api/v1/: the REST API, its OpenAPI schema and its documentation."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("strategies", views.StrategyViewSet, basename="strategy")
router.register("plans", views.AnnualPlanViewSet, basename="plan")
router.register("plan-items", views.PlanItemViewSet, basename="plan-item")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("maturity-models", views.MaturityModelViewSet, basename="maturity-model")
router.register("reports", views.ReportViewSet, basename="report")

urlpatterns = [
    path("v1/", include(router.urls)),
    # Public, like any API description: it names no data, only shapes.
    path(
        "v1/schema/",
        SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[]),
        name="schema",
    ),
    # The split view serves Swagger UI's start-up script as a file of its own,
    # so the page runs under the CSP without 'unsafe-inline'.
    path(
        "v1/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema",
            template_name="api/swagger_ui.html",
            authentication_classes=[],
            permission_classes=[],
        ),
        name="docs",
    ),
]
