"""The admin for superusers only.

Organisations, people, roles and strategies are kept in Suunta's own pages,
where every change is checked against the person's memberships. The admin
knows nothing of memberships (``is_staff`` would let a unit head edit any
strategy), so only superusers may use it, for repairs.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .forms import SuperuserAuthenticationForm


class SuperuserAdminSite(admin.AdminSite):
    login_form = SuperuserAuthenticationForm

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)
