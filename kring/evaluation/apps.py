from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "kring.evaluation"
    verbose_name = _("Evaluatie van conferenties")
