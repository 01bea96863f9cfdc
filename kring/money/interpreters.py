"""The cost of an interpreter booked on the logistics page becomes an expense of the case.

The logistics part sits below money and cannot call it; money registers
``record_interpreter_expense`` with it (``MoneyConfig.ready``), as the course's hooks do."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from kring.money.domain import MoneyRefused, record_expense
from kring.money.models import ExpenseKind
from kring.preparation.logistics.domain import LogisticsError

if TYPE_CHECKING:
    from kring.accounts.models import User
    from kring.money.models import Line
    from kring.preparation.models import InterpreterBooking


def record_interpreter_expense(booking: InterpreterBooking, by: User) -> Line:
    """One expense line (kind: interpreter) for the case's coordinator, dated the day of
    booking, reviewed by the manager like every other line. Whoever booked (the coordinator,
    or a manager on their behalf), the line is the coordinator's: they claim the case's costs."""
    coordinator = booking.case.coordinator
    if coordinator is None:
        raise LogisticsError(_("Dit traject heeft geen coördinator om de kosten op te boeken."))
    note = _("Tolk %(language)s, %(hours)s uur, %(provider)s") % {
        "language": booking.language.name_nl,
        "hours": booking.hours,
        "provider": booking.provider,
    }
    try:
        return record_expense(
            booking.case,
            by=coordinator,
            worked_on=timezone.localdate(),
            expense_kind=ExpenseKind.INTERPRETER,
            amount=booking.cost,
            note=note[:200],
        )
    except MoneyRefused as refusal:  # e.g. above the cap of one expense: nothing is booked
        raise LogisticsError(str(refusal)) from refusal
