"""Every change to a coordinator's money goes through a function here: it checks, writes and
logs in one transaction. A refusal raises ``MoneyRefused`` with a Dutch reason, and is logged
after the refused change rolled back, so the refusal stays on record.

Invoices and credit notes live in ``kring.money.invoicing``, same shape.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.audit.log import record
from kring.audit.models import Action, Outcome
from kring.cases.models import INVOLVED_STATUSES, Case
from kring.lib.errors import DomainError
from kring.lib.seen import SavedElsewhere, changed_since
from kring.money.models import (
    EDITABLE_STATUSES,
    LINE_TRANSITIONS,
    ZERO,
    BankAccount,
    Line,
    LineKind,
    LineStatus,
    Norm,
    Rate,
    Receipt,
    Statement,
    cents,
    first_of_month,
)

if TYPE_CHECKING:
    from django.forms import BaseForm

    from kring.accounts.models import User
    from kring.lib.errors import Message

T = TypeVar("T")

DEFAULT_NORM_HOURS = Decimal("30")
# The running total warns from this share of the norm on, before the norm is passed.
WARN_SHARE = Decimal("0.9")
# A coordinator still records hours this many days after their involvement ended (the
# follow-up call, the travel home, a late receipt).
RECORD_DAYS_AFTER = 60
QUARTER = Decimal("0.25")
MAX_HOURS_A_DAY = Decimal(24)
MAX_KM_A_LINE = Decimal(1000)


class MoneyRefused(DomainError):
    """The change is not allowed; the message says why, in Dutch, and ``field`` names the
    form field it belongs next to (None: the form as a whole)."""

    def __init__(self, message: Message | None = None, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

    def field_on(self, form: BaseForm) -> str | None:
        """The field of ``form`` to show this next to; None where the form has no such field."""
        return self.field if self.field in form.fields else None


def _guarded[T](action: Action, by: User, change: Callable[[], T], **where: Any) -> T:
    """Run ``change`` in its own transaction; a refusal is logged after it rolled back."""
    try:
        with transaction.atomic():
            return change()
    except MoneyRefused as refusal:
        record(by, action, outcome=Outcome.REFUSED, message=str(refusal), **where)
        raise


# ---------- Reading: norms, totals, what a coordinator may record on ----------


def norm_hours(variant: str) -> Decimal:
    norm = Norm.objects.filter(variant=variant).values_list("hours", flat=True).first()
    return norm if norm is not None else DEFAULT_NORM_HOURS


@dataclass(frozen=True)
class Totals:
    hours: Decimal = ZERO
    kilometres: Decimal = Decimal("0.0")
    expenses: Decimal = ZERO
    amount: Decimal = ZERO
    norm: Decimal = DEFAULT_NORM_HOURS

    @property
    def share(self) -> int:
        """Percentage of the norm used (for the bar)."""
        return int(self.hours * 100 / self.norm) if self.norm else 0

    @property
    def near_norm(self) -> bool:
        return self.norm > 0 and self.hours >= self.norm * WARN_SHARE

    @property
    def over_norm(self) -> bool:
        return self.hours > self.norm


def totals_of(lines: QuerySet[Line], norm: Decimal = DEFAULT_NORM_HOURS) -> Totals:
    """Sums of the lines (one query); the amount is the sum of the lines' own amounts."""
    sums = lines.aggregate(
        hours=Sum("hours"),
        kilometres=Sum("kilometres"),
        expenses=Sum("expense"),
        amount=Sum("amount"),
    )
    return Totals(
        hours=exact(sums["hours"]),
        kilometres=exact(sums["kilometres"], "0.1"),
        expenses=exact(sums["expenses"]),
        amount=exact(sums["amount"]),
        norm=norm,
    )


def exact(value: Decimal | None, places: str = "0.01") -> Decimal:
    """A database sum back to its places: SQLite sums decimals as floats (70.3800000000000);
    the values summed have these places, so the quantize only drops that noise."""
    return Decimal(value or 0).quantize(Decimal(places))


def case_totals(case: Case, lines: QuerySet[Line]) -> Totals:
    """The running total of a case against its variant's norm (returned lines don't count)."""
    counted = lines.filter(case=case).exclude(status=LineStatus.RETURNED)
    return totals_of(counted, norm_hours(case.variant))


def recordable_cases(user: User) -> QuerySet[Case]:
    """The cases a coordinator records on: their own while involved, and a while after."""
    if not user.is_coordinator:
        return Case.objects.none()
    since = timezone.now() - timedelta(days=RECORD_DAYS_AFTER)
    return Case.objects.filter(
        Q(status__in=INVOLVED_STATUSES) | Q(status_changed_at__gte=since), coordinator=user
    )


def _may_record(case: Case, by: User) -> None:
    if not recordable_cases(by).filter(pk=case.pk).exists():
        raise MoneyRefused(_("U kunt op dit traject geen uren of onkosten (meer) vastleggen."))


def _check_date(case: Case, worked_on: date) -> Rate:
    today = timezone.localdate()
    if worked_on > today:
        raise MoneyRefused(
            _("Uren en onkosten leggen we vast nadat ze gemaakt zijn, niet vooraf."),
            field="worked_on",
        )
    if worked_on < timezone.localdate(case.opened_at):
        raise MoneyRefused(
            _("Deze datum ligt vóór de aanvraag van dit traject."), field="worked_on"
        )
    rate = Rate.in_force_on(worked_on)
    if rate is None:
        raise MoneyRefused(
            _("Voor deze datum is nog geen tarief vastgesteld; vraag het bureau."),
            field="worked_on",
        )
    return rate


def line_amount(line: Line, rate: Rate) -> Decimal:
    """Hours × fee + kilometres × allowance + the expense, each part rounded to the cent."""
    return (
        cents(line.hours * rate.hourly_fee)
        + cents(line.kilometres * rate.km_allowance)
        + cents(line.expense)
    )


# ---------- The coordinator records ----------


def record_hours(
    case: Case,
    *,
    by: User,
    worked_on: date,
    activity: str,
    hours: Decimal,
    kilometres: Decimal = Decimal(0),
    note: str = "",
) -> Line:
    def change() -> Line:
        _may_record(case, by)
        rate = _check_date(case, worked_on)
        if not (0 < hours <= MAX_HOURS_A_DAY and hours % QUARTER == 0):
            raise MoneyRefused(_("Vul de uren in kwartieren in, ten hoogste 24."), field="hours")
        if not 0 <= kilometres <= MAX_KM_A_LINE:
            raise MoneyRefused(_("Vul tussen 0 en 1000 kilometer in."), field="kilometres")
        line = Line(
            case=case,
            coordinator=by,
            kind=LineKind.HOURS,
            worked_on=worked_on,
            month=first_of_month(worked_on),
            activity=activity,
            hours=hours,
            kilometres=kilometres,
            note=note,
            rate=rate,
        )
        line.amount = line_amount(line, rate)
        line.save()
        record(
            by, Action.MONEY_LINE_RECORDED, case=case, obj=line, kind=line.kind, hours=str(hours)
        )
        return line

    return _guarded(Action.MONEY_LINE_RECORDED, by, change, case_id=case.pk)


@dataclass(frozen=True)
class ReceiptFile:
    filename: str
    content_type: str
    content: bytes


def record_expense(
    case: Case,
    *,
    by: User,
    worked_on: date,
    expense_kind: str,
    amount: Decimal,
    note: str = "",
    receipt: ReceiptFile | None = None,
) -> Line:
    def change() -> Line:
        _may_record(case, by)
        rate = _check_date(case, worked_on)
        if amount <= 0:
            raise MoneyRefused(_("Vul een bedrag groter dan nul in."), field="amount")
        if amount > rate.expense_cap:
            raise MoneyRefused(
                _("Eén onkostenpost is ten hoogste € %(cap)s; overleg met uw regiomanager.")
                % {"cap": rate.expense_cap},
                field="amount",
            )
        line = Line(
            case=case,
            coordinator=by,
            kind=LineKind.EXPENSE,
            worked_on=worked_on,
            month=first_of_month(worked_on),
            expense_kind=expense_kind,
            expense=amount,
            note=note,
            rate=rate,
        )
        line.amount = line_amount(line, rate)
        line.save()
        if receipt is not None:
            Receipt.objects.create(
                line=line,
                filename=receipt.filename,
                content_type=receipt.content_type,
                content=receipt.content,
            )
        record(
            by, Action.MONEY_LINE_RECORDED, case=case, obj=line, kind=line.kind, amount=str(amount)
        )
        return line

    return _guarded(Action.MONEY_LINE_RECORDED, by, change, case_id=case.pk)


def delete_line(line: Line, *, by: User) -> None:
    """A coordinator takes back a line not yet approved (a typing error)."""

    def change() -> None:
        locked = Line.objects.select_for_update(of=("self",)).get(pk=line.pk)
        if locked.coordinator_id != by.pk:
            raise MoneyRefused(_("Dit is niet uw regel."))
        if locked.status not in EDITABLE_STATUSES:
            raise MoneyRefused(_("Een ingediende of goedgekeurde regel kan niet meer weg."))
        record(by, Action.MONEY_LINE_DELETED, case=locked.case, obj=locked, kind=locked.kind)
        locked.delete()

    _guarded(Action.MONEY_LINE_DELETED, by, change, case_id=line.case_id)


def submit_month(month: date, *, by: User) -> int:
    """Offer every draft or returned line of the month (and before) for approval."""

    def change() -> int:
        month_end = _month_end(month)
        lines = list(
            Line.objects.select_for_update(of=("self",))
            .filter(coordinator=by, status__in=EDITABLE_STATUSES, worked_on__lte=month_end)
            .select_related("rate")
        )
        if not lines:
            raise MoneyRefused(_("Er zijn in deze maand geen regels om in te dienen."))
        now = timezone.now()
        for line in lines:
            # The rate in force on the line's date, in case the office added one since.
            rate = Rate.in_force_on(line.worked_on) or line.rate
            assert rate is not None
            line.rate, line.amount = rate, line_amount(line, rate)
            line.status, line.submitted_at = LineStatus.SUBMITTED, now
            line.save(update_fields=["rate", "amount", "status", "submitted_at"])
        record(by, Action.MONEY_MONTH_SUBMITTED, month=f"{month:%Y-%m}", lines=len(lines))
        return len(lines)

    return _guarded(Action.MONEY_MONTH_SUBMITTED, by, change, month=f"{month:%Y-%m}")


def _month_end(month: date) -> date:
    return (first_of_month(month) + timedelta(days=32)).replace(day=1) - timedelta(days=1)


# ---------- The manager reviews ----------


def may_review(user: User, line: Line) -> bool:
    if user.is_office:
        return True
    return bool(
        user.is_manager
        and line.case.region_id is not None
        and user.regions.filter(pk=line.case.region_id).exists()
    )


def review_line(line: Line, *, by: User, approve: bool, comment: str = "") -> Line:
    """Approve a submitted line (it is locked from then on) or return it with a comment."""
    to = LineStatus.APPROVED if approve else LineStatus.RETURNED

    def change() -> Line:
        locked = Line.objects.select_for_update(of=("self",)).select_related("case").get(pk=line.pk)
        if not may_review(by, locked):
            raise MoneyRefused(_("U beoordeelt alleen regels van trajecten in uw regio."))
        if to not in LINE_TRANSITIONS[locked.status]:
            raise MoneyRefused(
                _("Deze regel staat op ‘%(status)s’ en kan niet meer worden beoordeeld.")
                % {"status": LineStatus(locked.status).label}
            )
        if not approve and not comment.strip():
            raise MoneyRefused(_("Schrijf erbij wat er anders moet."))
        locked.status, locked.review_comment = to, comment.strip()
        locked.reviewed_by, locked.reviewed_at = by, timezone.now()
        locked.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at"])
        action = Action.MONEY_LINE_APPROVED if approve else Action.MONEY_LINE_RETURNED
        # The comment is free text: only that there was one goes into the log.
        record(by, action, case=locked.case, obj=locked, commented=bool(comment.strip()))
        return locked

    action = Action.MONEY_LINE_APPROVED if approve else Action.MONEY_LINE_RETURNED
    return _guarded(action, by, change, line_id=line.pk)


# ---------- The office: rates, norms; the coordinator's bank account ----------


def add_rate(
    *,
    by: User,
    starts_on: date,
    hourly_fee: Decimal,
    km_allowance: Decimal,
    expense_cap: Decimal,
) -> Rate:
    """A new rate from a date on; lines before that date keep theirs. A rate never starts in
    the past: lines already submitted or approved were paid at the rate of their day."""

    def change() -> Rate:
        if not by.is_office:
            raise MoneyRefused(_("Alleen het landelijk bureau stelt tarieven vast."))
        if starts_on < timezone.localdate():
            raise MoneyRefused(_("Een nieuw tarief begint vandaag of later, niet in het verleden."))
        if Rate.objects.filter(starts_on=starts_on).exists():
            raise MoneyRefused(_("Op deze datum begint al een tarief."))
        rate = Rate.objects.create(
            starts_on=starts_on,
            hourly_fee=hourly_fee,
            km_allowance=km_allowance,
            expense_cap=expense_cap,
            created_by=by,
        )
        record(
            by,
            Action.MONEY_RATE_ADDED,
            obj=rate,
            starts_on=starts_on.isoformat(),
            hourly_fee=str(hourly_fee),
            km_allowance=str(km_allowance),
            expense_cap=str(expense_cap),
        )
        return rate

    return _guarded(Action.MONEY_RATE_ADDED, by, change)


def set_norm(variant: str, hours: Decimal, *, by: User) -> Norm:
    def change() -> Norm:
        if not by.is_office:
            raise MoneyRefused(_("Alleen het landelijk bureau stelt de normen vast."))
        old = norm_hours(variant)
        norm, _created = Norm.objects.update_or_create(variant=variant, defaults={"hours": hours})
        record(by, Action.MONEY_NORM_SET, obj=norm, variant=variant, old=str(old), new=str(hours))
        return norm

    return _guarded(Action.MONEY_NORM_SET, by, change)


def bank_account_shown(account: BankAccount | None) -> list[str]:
    """What the bank account form shows: the digest's values (kring/lib/seen.py)."""
    return [account.iban, account.holder] if account else ["", ""]


def save_bank_account(*, by: User, iban: str, holder: str, seen: str = "") -> BankAccount:
    """The coordinator's own account (the form has checked the IBAN with schwifty). Refused
    with ``SavedElsewhere`` when the account changed after the form showed it (``seen``): an
    old window must not put back a number the coordinator replaced on their phone."""

    def change() -> BankAccount:
        if not by.is_coordinator:
            raise MoneyRefused(_("Alleen coördinatoren hebben hier een rekeningnummer."))
        stored = BankAccount.objects.select_for_update().filter(user=by).first()
        if changed_since(seen, bank_account_shown(stored), [iban, holder]):
            raise SavedElsewhere
        account, _created = BankAccount.objects.update_or_create(
            user=by, defaults={"iban": iban, "holder": holder}
        )
        # The number itself stays out of the log; its country and last digits say enough.
        record(
            by, Action.MONEY_BANK_ACCOUNT_SAVED, obj=account, iban_end=iban[:2] + "…" + iban[-4:]
        )
        return account

    return _guarded(Action.MONEY_BANK_ACCOUNT_SAVED, by, change)


# ---------- The office runs the month ----------


def run_month(month: date, *, by: User) -> list[Statement]:
    """A statement per coordinator with approved lines up to this month not paid before.

    Running a month twice makes statements only for coordinators who had none yet for it;
    lines approved after the run go on the next month's statement.
    """

    def change() -> list[Statement]:
        if not by.is_office:
            raise MoneyRefused(_("Alleen het landelijk bureau maakt de maandoverzichten."))
        month_start = first_of_month(month)
        if month_start >= first_of_month(timezone.localdate()):
            raise MoneyRefused(_("Een maand wordt afgerekend als hij voorbij is."))
        open_lines = Line.objects.select_for_update(of=("self",)).filter(
            status=LineStatus.APPROVED, statement__isnull=True, worked_on__lte=_month_end(month)
        )
        done = Statement.objects.filter(month=month_start).values("coordinator_id")
        coordinators = open_lines.exclude(coordinator_id__in=done).values_list(
            "coordinator_id", flat=True
        )
        made = [
            _statement(month_start, coordinator_id, open_lines, by)
            for coordinator_id in sorted(set(coordinators))
        ]
        record(by, Action.MONEY_STATEMENTS_RUN, month=f"{month:%Y-%m}", statements=len(made))
        return made

    return _guarded(Action.MONEY_STATEMENTS_RUN, by, change, month=f"{month:%Y-%m}")


def _statement(month: date, coordinator_id: int, open_lines: QuerySet[Line], by: User) -> Statement:
    lines = list(open_lines.filter(coordinator_id=coordinator_id).select_related("rate"))
    account = BankAccount.objects.filter(user_id=coordinator_id).first()
    statement = Statement.objects.create(
        coordinator_id=coordinator_id,
        month=month,
        created_by=by,
        iban=account.iban if account else "",
        holder=account.holder if account else "",
        **statement_sums(lines),
    )
    Line.objects.filter(pk__in=[line.pk for line in lines]).update(statement=statement)
    return statement


def statement_sums(lines: Iterable[Line]) -> dict[str, Decimal]:
    """Each part summed from the lines' own rounded parts: the total is the sum of the lines."""
    sums = {"hours": ZERO, "kilometres": Decimal("0.0"), "fees": ZERO, "km_amount": ZERO}
    sums |= {"expenses": ZERO, "total": ZERO}
    for line in lines:
        assert line.rate is not None
        sums["hours"] += line.hours
        sums["kilometres"] += line.kilometres
        sums["fees"] += cents(line.hours * line.rate.hourly_fee)
        sums["km_amount"] += cents(line.kilometres * line.rate.km_allowance)
        sums["expenses"] += cents(line.expense)
        sums["total"] += line.amount
    return sums


def note_statement_viewed(statement: Statement, *, by: User) -> None:
    record(by, Action.MONEY_STATEMENT_VIEWED, obj=statement, month=f"{statement.month:%Y-%m}")


def note_payments_exported(month: date, *, by: User, rows: int) -> None:
    record(by, Action.MONEY_PAYMENTS_EXPORTED, month=f"{month:%Y-%m}", rows=rows)
