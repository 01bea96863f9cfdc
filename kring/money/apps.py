from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MoneyConfig(AppConfig):
    name = "kring.money"
    verbose_name = _("Geld: uren, onkosten, facturen")

    def ready(self) -> None:
        # A booked interpreter's cost becomes an expense of the case (kring/money/interpreters.py).
        from kring.money.interpreters import record_interpreter_expense
        from kring.preparation.logistics.domain import register_interpreter_expense

        register_interpreter_expense(record_interpreter_expense)
