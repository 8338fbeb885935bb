from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "strategy"
    verbose_name = _("Strategy")

    def ready(self) -> None:
        from .access import connect_signals
        from .history_manager import reuse_history_manager_classes

        connect_signals()
        reuse_history_manager_classes()
