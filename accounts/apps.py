from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # The receivers only write the security log; see accounts.receivers.
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from . import receivers

        user_logged_in.connect(receivers.log_login_success, dispatch_uid="suunta-login-success")
        user_login_failed.connect(receivers.log_login_failed, dispatch_uid="suunta-login-failed")
        user_logged_out.connect(receivers.log_logout, dispatch_uid="suunta-logout")
        user_locked_out.connect(receivers.log_locked_out, dispatch_uid="suunta-locked-out")


class SuperuserAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with a site that only superusers may use: people
    and their content are managed in Suunta's own pages, the admin is for
    repairs."""

    default = False  # "accounts" itself is AccountsConfig
    default_site = "accounts.admin_site.SuperuserAdminSite"
