from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "kring.plans"
    verbose_name = _("Conferentie en plan")
