from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "kring.stats"
    verbose_name = _("Cijfers")

    def ready(self) -> None:
        # Connects the receivers that mark a case's figures stale when its data changes.
        from kring.cases import hooks
        from kring.stats import signals  # noqa: F401
        from kring.stats.facts import mark_stale

        # Rows the course writes in bulk (no signals) reach the figures through this hook.
        hooks.register_facts_listener(mark_stale)
