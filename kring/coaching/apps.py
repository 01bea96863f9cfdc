from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "kring.coaching"
    verbose_name = _("Begeleiding van coördinatoren")
