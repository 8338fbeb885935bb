from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        # The strategy editor and its history tab list indicators; strategy
        # imports nothing of ours, so we fill in its registries.
        from . import editor, strategy_history

        editor.register()
        strategy_history.register()
