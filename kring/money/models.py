"""The money of a conference: the coordinator's hours and expenses, the office's dated rates,
monthly statements, and funders' contracts and invoices.

Amounts are ``Decimal`` with two places, rounded half up once per line (``Line.amount``);
every total is the sum of its lines, so a total always equals its lines to the cent.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from kring.accounts.models import User

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def cents(value: Decimal) -> Decimal:
    """Rounded to the cent, half up (as a Dutch invoice is)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def variant_choices() -> list[tuple[str, str]]:
    """The conference variants, as the request's field has them."""
    from kring.intake.models import Request

    return [(str(v), str(label)) for v, label in Request._meta.get_field("variant").choices or []]


class Activity(models.TextChoices):
    FIRST_VISIT = "first_visit", _("Eerste bezoek")
    CIRCLE = "circle", _("Kring voorbereiden")
    PROFESSIONALS = "professionals", _("Contact met professionals")
    CONFERENCE = "conference", _("Conferentie")
    PLAN = "plan", _("Plan uitwerken")
    FOLLOW_UP = "follow_up", _("Nazorg")
    TRAVEL = "travel", _("Reistijd")


class ExpenseKind(models.TextChoices):
    INTERPRETER = "interpreter", _("Tolk")
    VENUE = "venue", _("Zaalhuur")
    CATERING = "catering", _("Eten en drinken")
    CHILDCARE = "childcare", _("Kinderopvang")
    PUBLIC_TRANSPORT = "public_transport", _("Reis met openbaar vervoer")


class LineKind(models.TextChoices):
    HOURS = "hours", _("Uren")
    EXPENSE = "expense", _("Onkosten")


class LineStatus(models.TextChoices):
    DRAFT = "draft", _("Nog niet ingediend")
    SUBMITTED = "submitted", _("Ingediend")
    APPROVED = "approved", _("Goedgekeurd")
    RETURNED = "returned", _("Teruggestuurd")


# The one table of a line's moves. Approved is final: the line is locked.
LINE_TRANSITIONS: dict[str, frozenset[str]] = {
    LineStatus.DRAFT: frozenset({LineStatus.SUBMITTED}),
    LineStatus.RETURNED: frozenset({LineStatus.SUBMITTED}),
    LineStatus.SUBMITTED: frozenset({LineStatus.APPROVED, LineStatus.RETURNED}),
    LineStatus.APPROVED: frozenset(),
}
EDITABLE_STATUSES = frozenset({LineStatus.DRAFT, LineStatus.RETURNED})


class Rate(models.Model):
    """The office's rates from a date on; a line is paid at the rate in force on its date."""

    starts_on = models.DateField(_("geldt vanaf"), unique=True)
    hourly_fee = models.DecimalField(_("honorarium per uur"), max_digits=7, decimal_places=2)
    km_allowance = models.DecimalField(
        _("vergoeding per kilometer"), max_digits=5, decimal_places=2
    )
    expense_cap = models.DecimalField(
        _("hoogste bedrag per onkostenpost"), max_digits=8, decimal_places=2
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("tarief")
        verbose_name_plural = _("tarieven")
        constraints = [
            models.CheckConstraint(
                condition=Q(hourly_fee__gte=0, km_allowance__gte=0, expense_cap__gte=0),
                name="money_rate_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on}: {self.hourly_fee}/u, {self.km_allowance}/km"

    @classmethod
    def in_force_on(cls, day: date) -> Rate | None:
        return cls.objects.filter(starts_on__lte=day).order_by("-starts_on").first()


class Norm(models.Model):
    """The office's norm of hours per conference, per variant (the method says about 30)."""

    variant = models.CharField(_("soort conferentie"), max_length=20, unique=True)
    hours = models.DecimalField(_("norm in uren"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("urennorm")
        verbose_name_plural = _("urennormen")

    def __str__(self) -> str:
        return f"{self.variant}: {self.hours}"


class BankAccount(models.Model):
    """Where a coordinator's fee goes; entered by the coordinator, checked with schwifty."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bank_account"
    )
    iban = models.CharField(_("IBAN"), max_length=34)
    holder = models.CharField(_("ten name van"), max_length=70)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bankrekening")
        verbose_name_plural = _("bankrekeningen")

    def __str__(self) -> str:
        return f"{self.holder} {self.iban}"


class LineQuerySet(models.QuerySet["Line"]):
    def visible_to(self, user: User) -> LineQuerySet:
        """A coordinator sees their own money only; a manager that of their regions' cases;
        the office everything; nobody else anything."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_office:
            return self.all()
        if user.is_manager:
            return self.filter(case__region__in=user.regions.all())
        if user.is_coordinator:
            return self.filter(coordinator=user)
        return self.none()


class Line(models.Model):
    """One line of a coordinator's work on a case: hours (with kilometres) or an expense."""

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="money_lines",
        verbose_name=_("traject"),
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="money_lines",
        verbose_name=_("coördinator"),
    )
    kind = models.CharField(_("soort"), max_length=10, choices=LineKind.choices)
    worked_on = models.DateField(_("datum"))
    month = models.DateField(_("maand"))  # the first of the month of worked_on
    activity = models.CharField(
        _("activiteit"), max_length=20, choices=Activity.choices, blank=True
    )
    hours = models.DecimalField(_("uren"), max_digits=4, decimal_places=2, default=ZERO)
    kilometres = models.DecimalField(_("kilometers"), max_digits=6, decimal_places=1, default=0)
    expense_kind = models.CharField(
        _("soort onkosten"), max_length=20, choices=ExpenseKind.choices, blank=True
    )
    expense = models.DecimalField(_("bedrag"), max_digits=8, decimal_places=2, default=ZERO)
    note = models.CharField(_("toelichting"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=LineStatus.choices, default=LineStatus.DRAFT
    )
    rate = models.ForeignKey(Rate, on_delete=models.PROTECT, null=True, related_name="lines")
    # What this line pays: hours × fee + km × allowance + expense, each rounded to the cent.
    amount = models.DecimalField(_("bedrag"), max_digits=10, decimal_places=2, default=ZERO)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    review_comment = models.CharField(_("opmerking"), max_length=300, blank=True)
    statement = models.ForeignKey(
        "Statement", on_delete=models.PROTECT, null=True, blank=True, related_name="lines"
    )

    objects = LineQuerySet.as_manager()

    class Meta:
        ordering = ["worked_on", "id"]
        verbose_name = _("regel uren of onkosten")
        verbose_name_plural = _("uren en onkosten")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=LineStatus.values), name="money_line_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=0, hours__lte=24, kilometres__gte=0, expense__gte=0),
                name="money_line_bounds",
            ),
            # Only an approved line can be on a statement.
            models.CheckConstraint(
                condition=Q(statement__isnull=True) | Q(status=LineStatus.APPROVED),
                name="money_line_statement_only_approved",
            ),
        ]
        indexes = [models.Index(fields=["coordinator", "month"], name="money_line_month")]

    def __str__(self) -> str:
        return f"{self.worked_on} {self.get_kind_display()} {self.amount}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def description(self) -> str:
        if self.kind == LineKind.HOURS:
            return str(self.get_activity_display())
        return str(self.get_expense_kind_display())


class Receipt(models.Model):
    """The photo or PDF of a receipt, kept in the database: served only through the scoped
    view, backed up and purged with the rest."""

    line = models.OneToOneField(Line, on_delete=models.CASCADE, related_name="receipt")
    filename = models.CharField(max_length=100)
    content_type = models.CharField(max_length=40)
    content = models.BinaryField()

    class Meta:
        verbose_name = _("bon")
        verbose_name_plural = _("bonnen")

    def __str__(self) -> str:
        return self.filename


class Statement(models.Model):
    """A coordinator's monthly statement: the approved lines not paid before, up to a month."""

    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="money_statements"
    )
    month = models.DateField(_("maand"))
    hours = models.DecimalField(max_digits=8, decimal_places=2, default=ZERO)
    kilometres = models.DecimalField(max_digits=9, decimal_places=1, default=0)
    fees = models.DecimalField(max_digits=10, decimal_places=2, default=ZERO)
    km_amount = models.DecimalField(max_digits=10, decimal_places=2, default=ZERO)
    expenses = models.DecimalField(max_digits=10, decimal_places=2, default=ZERO)
    total = models.DecimalField(max_digits=10, decimal_places=2, default=ZERO)
    iban = models.CharField(max_length=34, blank=True)
    holder = models.CharField(max_length=70, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-month", "coordinator_id"]
        verbose_name = _("maandoverzicht")
        verbose_name_plural = _("maandoverzichten")
        constraints = [
            models.UniqueConstraint(fields=["coordinator", "month"], name="money_statement_once"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.coordinator}"

    @property
    def reference(self) -> str:
        return f"KRING-{self.month:%Y%m}-{self.pk:05d}"


# ---------- Funders, contracts and invoices ----------


class Pricing(models.TextChoices):
    PER_CONFERENCE = "per_conference", _("Per conferentie")
    PER_HOUR = "per_hour", _("Per uur")


class Invoicing(models.TextChoices):
    MONTHLY = "monthly", _("Per maand")
    PER_CONFERENCE = "per_conference", _("Per conferentie")


class Contract(models.Model):
    """What a funder pays for: a period, a price, a cap and the regions it covers."""

    funder = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("financier"),
    )
    reference = models.CharField(_("kenmerk van de financier"), max_length=50)
    starts_on = models.DateField(_("begint op"))
    ends_on = models.DateField(_("eindigt op"))
    pricing = models.CharField(_("prijs"), max_length=20, choices=Pricing.choices)
    price = models.DecimalField(_("bedrag"), max_digits=9, decimal_places=2)
    cap = models.PositiveIntegerField(_("hoogste aantal conferenties"), null=True, blank=True)
    regions = models.ManyToManyField(
        "accounts.Region", related_name="contracts", verbose_name=_("regio's")
    )
    invoicing = models.CharField(_("factureren"), max_length=20, choices=Invoicing.choices)
    invoice_address = models.CharField(_("factuuradres"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["funder__name", "-starts_on"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracten")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="money_contract_period"
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="money_contract_price"),
        ]

    def __str__(self) -> str:
        return f"{self.funder} {self.reference}"


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("Factuur")
    CREDIT_NOTE = "credit_note", _("Creditnota")


class InvoiceCounter(models.Model):
    """The last invoice number of a year: one row, locked by whoever numbers an invoice, so
    numbers are given without gaps and never twice."""

    year = models.PositiveIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Invoice(models.Model):
    number = models.CharField(_("factuurnummer"), max_length=20, unique=True)
    year = models.PositiveIntegerField()
    sequence = models.PositiveIntegerField()
    kind = models.CharField(_("soort"), max_length=20, choices=InvoiceKind.choices)
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="invoices")
    period = models.DateField(_("maand"))
    issued_on = models.DateField(_("datum"))
    total = models.DecimalField(_("totaal"), max_digits=11, decimal_places=2)
    # A credit note cancels one invoice in full; an invoice is credited at most once.
    credits = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="credit_note"
    )
    reason = models.CharField(_("reden van crediteren"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-sequence"]
        verbose_name = _("factuur")
        verbose_name_plural = _("facturen")
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="money_invoice_gapless"),
            models.CheckConstraint(
                condition=Q(kind="invoice", credits__isnull=True)
                | Q(kind="credit_note", credits__isnull=False),
                name="money_invoice_credit_note_credits",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class InvoiceLine(models.Model):
    """One case on an invoice, named by its reference only, never a family's name."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=200)
    quantity = models.DecimalField(max_digits=8, decimal_places=2)
    unit_price = models.DecimalField(max_digits=9, decimal_places=2)
    amount = models.DecimalField(max_digits=11, decimal_places=2)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description
