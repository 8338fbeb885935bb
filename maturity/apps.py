from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaturityConfig(AppConfig):
    name = "maturity"
    verbose_name = _("Maturity")

    def ready(self) -> None:
        # The strategy's history tab lists the maturity models' changes.
        from . import strategy_history

        strategy_history.register()
