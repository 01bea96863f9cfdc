from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "kring.training"
    verbose_name = _("Coördinator worden: aanmelding, opleiding, certificaat")
