from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "kring.api"
    verbose_name = _("HTTP-API")

    def ready(self) -> None:
        from kring.api.webhooks import case_moved
        from kring.cases import hooks

        # A referral made through the API announces its state changes by webhook.
        hooks.register_move_listener(case_moved)
