"""Forms for the practical arrangements and the date poll."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from kring.lib.forms import DateTimeInput, StyledFormMixin
from kring.preparation.logistics.domain import LOGISTICS_FIELDS
from kring.preparation.models import InterpreterBooking, PollAnswer, PollSlot, Preparation


class LogisticsForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    # The lock version the user started from: saving compares it, so nobody's work is lost.
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = Preparation
        fields = LOGISTICS_FIELDS
        widgets = {
            "venue_notes": forms.Textarea(attrs={"rows": 2}),
            "food_and_drink": forms.Textarea(attrs={"rows": 2}),
            "interpreters": forms.Textarea(attrs={"rows": 2}),
            "childcare": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "venue": _("Bijvoorbeeld: buurthuis De Linde, Dorpsstraat 4, 3511 AB Utrecht."),
            "venue_notes": _("Bijvoorbeeld: ingang aan de zijkant, parkeren op het plein."),
            "food_and_drink": _("Wie zorgt voor eten en drinken, en is er iets om op te letten?"),
            "interpreters": _("Welke talen, en wie tolkt?"),
            "childcare": _("Wie past op de kinderen, en waar?"),
        }


class SlotForm(StyledFormMixin, forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Datum en begintijd"),
        widget=DateTimeInput(),
        error_messages={
            "required": _("Vul een datum en tijd in."),
            "invalid": _("Vul een geldige datum en tijd in."),
        },
    )


def slot_label(slot: PollSlot) -> str:
    """ "zaterdag 14 maart 2026, 10:00" in the active language and the local time zone."""
    return date_format(timezone.localtime(slot.starts_at), "l j F Y, H:i")


class PollAnswerForm(StyledFormMixin, forms.Form):
    """One yes/maybe/no question per proposed date."""

    def __init__(
        self, *args: Any, slots: list[PollSlot], answers: dict[int, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for slot in slots:
            self.fields[f"slot_{slot.pk}"] = forms.ChoiceField(
                label=slot_label(slot),
                choices=PollAnswer.choices,
                widget=forms.RadioSelect,
                initial=answers.get(slot.pk),
                error_messages={"required": _("Kies bij deze datum: kan, misschien of kan niet.")},
            )
        self.slots = slots

    def answers(self) -> dict[int, str]:
        return {slot.pk: self.cleaned_data[f"slot_{slot.pk}"] for slot in self.slots}


class GiveUpDateForm(StyledFormMixin, forms.Form):
    """Why a planned date does not go on."""

    reason = forms.CharField(
        label=_("Waarom gaat de datum niet door?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Schrijf kort op waarom de datum niet doorgaat.")},
    )


class InterpreterForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    """Book an interpreter for the conference: language, hours, who."""

    class Meta:
        model = InterpreterBooking
        fields = ["language", "hours", "provider", "cost"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hours"].validators += [MinValueValidator(Decimal("0.5"))]
        self.fields["hours"].validators += [MaxValueValidator(Decimal("24"))]
        self.fields["cost"].validators += [MinValueValidator(Decimal("0.01"))]
