from __future__ import annotations

from django.urls import path

from .views import overview

urlpatterns = [
    path("", overview.home, name="home"),
    path("strategies/<slug:slug>/", overview.strategy_detail, name="strategy-detail"),
]

# --- plans ---
from .views import plans, roadmap  # noqa: E402

urlpatterns += [
    path("my-units/", plans.my_units, name="my-units"),
    path("strategies/<slug:slug>/plans/", plans.plan_list, name="plan-list"),
    path("strategies/<slug:slug>/plans/new/", plans.plan_create, name="plan-create"),
    path("strategies/<slug:slug>/plans/<int:year>/close/", plans.plan_year_close, name="plan-year-close"),
    path("strategies/<slug:slug>/plans/<int:year>/reopen/", plans.plan_year_reopen, name="plan-year-reopen"),
    path("strategies/<slug:slug>/roadmap/", roadmap.roadmap, name="roadmap"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/submit/", plans.plan_submit, name="plan-submit"),
    path("plans/<int:pk>/approve/", plans.plan_approve, name="plan-approve"),
    path("plans/<int:pk>/return/", plans.plan_return, name="plan-return"),
    path("plans/<int:pk>/export.xlsx", plans.plan_export_xlsx, name="plan-export-xlsx"),
    path("plans/<int:pk>/print/", plans.plan_print, name="plan-print"),
    path("plan-items/<int:pk>/edit/", plans.plan_item_edit, name="plan-item-edit"),
    path("plan-items/<int:pk>/history/", plans.plan_item_history, name="plan-item-history"),
    path("plan-items/<int:pk>/comments/", plans.plan_item_comment, name="plan-item-comment"),
]

# --- strategy editor ---
from .views import editor  # noqa: E402

# Put before the overview's pattern: "new" would otherwise be read as a strategy's slug.
urlpatterns = [path("strategies/new/", editor.strategy_create, name="strategy-create"), *urlpatterns]
urlpatterns += [
    path("strategies/<slug:slug>/edit/", editor.editor, name="editor"),
    path("strategies/<slug:slug>/edit/settings/", editor.strategy_settings, name="strategy-settings"),
    path("strategies/<slug:slug>/edit/<slug:kind>/new/", editor.part_create, name="part-create"),
    path("strategies/<slug:slug>/edit/<slug:kind>/<int:pk>/", editor.part_edit, name="part-edit"),
    path("strategies/<slug:slug>/edit/<slug:kind>/<int:pk>/move/", editor.part_move, name="part-move"),
    path("strategies/<slug:slug>/edit/<slug:kind>/<int:pk>/delete/", editor.part_delete, name="part-delete"),
    path("strategies/<slug:slug>/history/", editor.strategy_history, name="strategy-history"),
]

# --- organisations, people and profile ---
from .views import organisations, people, profile  # noqa: E402

urlpatterns += [
    path("organisations/", organisations.organisation_index, name="organisation-index"),
    path("organisations/<slug:slug>/", organisations.organisation_tree, name="organisation-tree"),
    path("organisations/<slug:slug>/new/", organisations.organisation_create, name="organisation-create"),
    path("organisations/<slug:slug>/edit/", organisations.organisation_edit, name="organisation-edit"),
    path("organisations/<slug:slug>/move/", organisations.organisation_move, name="organisation-move"),
    path("organisations/<slug:slug>/dissolve/", organisations.organisation_dissolve, name="organisation-dissolve"),
    path("organisations/<slug:slug>/people/", people.people_list, name="people-list"),
    path("organisations/<slug:slug>/people/invite/", people.person_invite, name="person-invite"),
    path("organisations/<slug:slug>/people/<int:pk>/", people.person_detail, name="person-detail"),
    path("organisations/<slug:slug>/people/<int:pk>/roles/", people.person_role_add, name="person-role-add"),
    path(
        "organisations/<slug:slug>/people/<int:pk>/roles/<int:membership>/remove/",
        people.person_role_remove,
        name="person-role-remove",
    ),
    path("organisations/<slug:slug>/people/<int:pk>/deactivate/", people.person_deactivate, name="person-deactivate"),
    path("invitation/<uidb64>/<token>/", people.invitation_accept, name="invitation-accept"),
    path("profile/", profile.profile, name="profile"),
]

# --- approval, versions and archiving of a strategy ---
from .views import versions  # noqa: E402

urlpatterns += [
    path("strategies/<slug:slug>/versions/", versions.version_list, name="version-list"),
    path("strategies/<slug:slug>/versions/<int:number>/changes/", versions.version_changes, name="version-changes"),
    path("strategies/<slug:slug>/approve/", versions.strategy_approve, name="strategy-approve"),
    path("strategies/<slug:slug>/archive/", versions.strategy_archive, name="strategy-archive"),
    path("strategies/<slug:slug>/restore/", versions.strategy_restore, name="strategy-restore"),
]
