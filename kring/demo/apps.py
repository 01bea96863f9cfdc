from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Synthetic demonstration data (``manage.py demo``); has no models of its own."""

    name = "kring.demo"
    verbose_name = _("Demonstratiegegevens")
