from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinatorsConfig(AppConfig):
    name = "kring.coordinators"
    verbose_name = _("Coördinatoren")

    def ready(self) -> None:
        # What this app hangs on a case closes when the course ends (see cases.hooks).
        from kring.cases import hooks
        from kring.coordinators.closing import close_offers, open_offers
        from kring.coordinators.domain import propose, release_capacity

        hooks.register(close_offers, open_offers)
        hooks.register_involvement_end(release_capacity)
        hooks.register_proposer(propose)
