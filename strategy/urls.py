from __future__ import annotations

from django.urls import path

from .views import overview

urlpatterns = [
    path("", overview.home, name="home"),
    path("accessibility/", overview.accessibility, name="accessibility"),
    path("strategies/<slug:slug>/", overview.strategy_detail, name="strategy-detail"),
]
