from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "kring.stats"
    verbose_name = _("Cijfers")

    def ready(self) -> None:
        # Connects the receivers that mark a case's figures stale when its data changes.
        from kring.stats import signals  # noqa: F401
