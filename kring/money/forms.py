"""Forms for hours, expenses, reviews, rates, bank accounts and contracts.

Every form is bounded (``StyledFormMixin``): hostile numbers, dates and NUL bytes get a Dutch
error next to the field. Amounts are typed the Dutch way (12,50) and read as ``Decimal``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from kring.accounts.models import Organisation, Region
from kring.lib.forms import DateInput, StyledFormMixin
from kring.lib.seen import seen_field
from kring.money.models import Activity, Contract, ExpenseKind, variant_choices

RECEIPT_MAX_BYTES = 5 * 1024 * 1024
# What a receipt may be, recognised by its first bytes rather than by its name.
RECEIPT_TYPES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}
QUARTER = Decimal("0.25")


def amount_field(
    label: Any, *, max_digits: int, places: int = 2, **kwargs: Any
) -> forms.DecimalField:
    """A Dutch amount (comma or point), with the numeric keyboard on a phone."""
    return forms.DecimalField(
        label=label,
        max_digits=max_digits,
        decimal_places=places,
        min_value=Decimal(0),
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        **kwargs,
    )


def month_choices(months: list[date]) -> list[tuple[str, str]]:
    from django.utils.formats import date_format

    return [(f"{m:%Y-%m}", date_format(m, "F Y")) for m in months]


class HoursForm(StyledFormMixin, forms.Form):
    worked_on = forms.DateField(label=_("Datum"), widget=DateInput())
    activity = forms.ChoiceField(label=_("Wat heeft u gedaan?"), choices=Activity.choices)
    hours = amount_field(
        _("Uren"),
        max_digits=4,
        help_text=_("In kwartieren: 1,25 is een uur en een kwartier."),
        max_value=Decimal(24),
    )
    kilometres = amount_field(
        _("Kilometers gereden"), max_digits=5, places=1, required=False, max_value=Decimal(1000)
    )
    note = forms.CharField(label=_("Toelichting"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worked_on"].initial = timezone.localdate()

    def clean_hours(self) -> Decimal:
        hours: Decimal = self.cleaned_data["hours"]
        if hours <= 0:
            raise ValidationError(_("Vul minstens een kwartier in."))
        if hours % QUARTER:
            raise ValidationError(_("Vul de uren in kwartieren in: 0,25, 0,5, 0,75 of hele uren."))
        return hours

    def clean_kilometres(self) -> Decimal:
        return self.cleaned_data.get("kilometres") or Decimal(0)


class ExpenseForm(StyledFormMixin, forms.Form):
    worked_on = forms.DateField(label=_("Datum"), widget=DateInput())
    expense_kind = forms.ChoiceField(label=_("Soort onkosten"), choices=ExpenseKind.choices)
    amount = amount_field(_("Bedrag in euro"), max_digits=8, max_value=Decimal("99999.99"))
    receipt = forms.FileField(
        label=_("Bon (foto of pdf)"),
        help_text=_("Een foto (jpg of png) of een pdf, ten hoogste 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )
    note = forms.CharField(label=_("Toelichting"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worked_on"].initial = timezone.localdate()

    def clean_amount(self) -> Decimal:
        amount: Decimal = self.cleaned_data["amount"]
        if amount <= 0:
            raise ValidationError(_("Vul een bedrag groter dan nul in."))
        return amount

    def clean_receipt(self) -> Any:
        upload = self.cleaned_data["receipt"]
        if upload.size > RECEIPT_MAX_BYTES:
            raise ValidationError(_("De bon is groter dan 5 MB; maak een kleinere foto."))
        head = upload.read(8)
        upload.seek(0)
        kind = next((ct for magic, ct in RECEIPT_TYPES.items() if head.startswith(magic)), None)
        if kind is None:
            raise ValidationError(_("Stuur een foto (jpg of png) of een pdf van de bon."))
        upload.kring_content_type = kind
        return upload


class MonthForm(StyledFormMixin, forms.Form):
    month = forms.ChoiceField(label=_("Maand"))

    def __init__(self, *args: Any, months: list[date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = month_choices(months)  # type: ignore[attr-defined]

    def chosen(self) -> date:
        year, month = self.cleaned_data["month"].split("-")
        return date(int(year), int(month), 1)


class Decision:
    APPROVE = "approve"
    RETURN = "return"


class ReviewForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Besluit"),
        choices=[(Decision.APPROVE, _("Goedkeuren")), (Decision.RETURN, _("Terugsturen"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Opmerking"),
        max_length=300,
        required=False,
        help_text=_("Verplicht bij terugsturen: wat moet er anders?"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == Decision.RETURN and not data.get("comment", "").strip():
            self.add_error("comment", _("Schrijf erbij wat er anders moet."))
        return data


class RateForm(StyledFormMixin, forms.Form):
    starts_on = forms.DateField(label=_("Geldt vanaf"), widget=DateInput())
    hourly_fee = amount_field(_("Honorarium per uur (€)"), max_digits=7)
    km_allowance = amount_field(_("Vergoeding per kilometer (€)"), max_digits=5)
    expense_cap = amount_field(_("Hoogste bedrag per onkostenpost (€)"), max_digits=8)

    def clean_starts_on(self) -> date:
        starts_on: date = self.cleaned_data["starts_on"]
        if starts_on < timezone.localdate():
            raise ValidationError(_("Een nieuw tarief begint vandaag of later."))
        return starts_on


class NormForm(StyledFormMixin, forms.Form):
    variant = forms.ChoiceField(label=_("Soort conferentie"), choices=variant_choices)
    hours = amount_field(_("Norm in uren"), max_digits=5, max_value=Decimal(500))

    def clean_hours(self) -> Decimal:
        hours: Decimal = self.cleaned_data["hours"]
        if hours <= 0:
            raise ValidationError(_("Vul een norm groter dan nul in."))
        return hours


class BankAccountForm(StyledFormMixin, forms.Form):
    iban = forms.CharField(
        label=_("IBAN"), max_length=42, help_text=_("Bijvoorbeeld NL91 ABNA 0417 1643 00")
    )
    holder = forms.CharField(label=_("Ten name van"), max_length=70)
    # What the form showed (kring/lib/seen.py): a stale window does not put an old number back.
    seen = seen_field()

    def clean_iban(self) -> str:
        try:
            return str(IBAN(self.cleaned_data["iban"]).compact)
        except (SchwiftyException, ValueError) as error:
            raise ValidationError(
                _("Dit is geen geldig IBAN; controleer de letters en cijfers.")
            ) from error


FUNDER_KINDS = [
    Organisation.Kind.MUNICIPALITY,
    Organisation.Kind.YOUTH_CARE,
    Organisation.Kind.YOUTH_PROTECTION,
    Organisation.Kind.HOUSING,
    Organisation.Kind.MENTAL_HEALTH,
    Organisation.Kind.OTHER,
]


class ContractForm(StyledFormMixin, forms.ModelForm):
    price = amount_field(_("Bedrag (€)"), max_digits=9)

    class Meta:
        model = Contract
        fields = [
            "funder",
            "reference",
            "starts_on",
            "ends_on",
            "pricing",
            "price",
            "cap",
            "regions",
            "invoicing",
            "invoice_address",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "regions": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        funder: Any = self.fields["funder"]
        funder.queryset = Organisation.objects.filter(kind__in=FUNDER_KINDS)
        regions: Any = self.fields["regions"]
        regions.queryset = Region.objects.all()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("Het contract eindigt na de begindatum."))
        return data


class EndContractForm(StyledFormMixin, forms.Form):
    ends_on = forms.DateField(label=_("Eindigt nu op"), widget=DateInput())


class CreditForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Waarom wordt deze factuur gecrediteerd?"), max_length=200)
