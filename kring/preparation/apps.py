from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreparationConfig(AppConfig):
    name = "kring.preparation"
    verbose_name = _("Voorbereiding")

    def ready(self) -> None:
        # What this app hangs on a case closes when the course ends (see cases.hooks).
        from kring.cases import hooks
        from kring.preparation.closing import close_preparation_links, open_preparation_links
        from kring.preparation.professionals.domain import involved_organisation_ids

        hooks.register(close_preparation_links, open_preparation_links)
        hooks.register_organisation_source(involved_organisation_ids)
