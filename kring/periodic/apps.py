from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeriodicConfig(AppConfig):
    """The periodic work of every part of the course, in one place at the top of the layers:
    it calls down into each part's domain, and no part imports it."""

    name = "kring.periodic"
    verbose_name = _("Periodieke taken")
