from __future__ import annotations

from django.urls import path

from . import views

# The statement itself is at /accessibility/ (name "accessibility", config.urls).
urlpatterns = [
    path("accessibility/feedback/send/", views.feedback_send, name="accessibility-feedback-send"),
    path("accessibility/feedback/", views.feedback_list, name="accessibility-feedback-list"),
    path(
        "accessibility/feedback/<int:pk>/answered/",
        views.feedback_answered,
        name="accessibility-feedback-answered",
    ),
    path("accessibility/edit/", views.statement_edit, name="accessibility-edit"),
]
