from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kring.accounts"
    verbose_name = _("Accounts en regio's")

    def ready(self) -> None:
        # Django's own empty-choice label has no Dutch translation yet; this is the
        # documented way to replace it for every select in the project.
        from django.db.models import fields

        fields.BLANK_CHOICE_LABEL = _("— maak een keuze —")

        from kring.accounts import login  # noqa: F401 — connects the login audit receivers
