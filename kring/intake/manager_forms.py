"""Forms for the manager's intake: a request taken by phone, mail or in person; correcting a
request; an informative talk."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Organisation, User
from kring.cases.choices import CompelledHelp, Variant
from kring.intake.forms import BaseRequestForm, PublicRequestForm, VariantSelect
from kring.intake.manager import EDITABLE_FIELDS, managed_regions
from kring.intake.models import (
    FUNDER_KINDS,
    TAKEN_CHANNELS,
    Channel,
    InformativeTalk,
    Request,
    TalkOutcome,
)
from kring.lib.forms import DateInput, StyledFormMixin
from kring.lib.seen import model_digest, seen_field

# The public form speaks to the requester ("uw naam"); a manager fills it in about them.
_MANAGER_LABELS = {
    "requester_kind": _("Wie vraagt de conferentie aan?"),
    "requester_name": _("Naam van de aanvrager"),
    "requester_email": _("E-mailadres van de aanvrager"),
    "requester_phone": _("Telefoonnummer van de aanvrager"),
    "question": _("Wat is de vraag? Wat moet er geregeld worden?"),
    "informative_only": _("De aanvrager wil eerst alleen een informatief gesprek"),
    "funder_name": _("Financier, als die niet in de lijst staat"),
}
_EARLIEST_TALK = date(2000, 1, 1)
# Help that is not wholly voluntary: then the measure (OTS, placement, ...) must be named.
COMPELLED = frozenset({CompelledHelp.PRESSURED, CompelledHelp.COMPULSORY})


def _funder_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Financier"),
        queryset=Organisation.objects.filter(kind__in=FUNDER_KINDS),
        required=False,
        empty_label=_("Nog niet bekend"),
    )


def _region_field(user: User) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Regio"),
        queryset=managed_regions(user),
        required=user.is_manager,
        empty_label=_("Kies een regio") if user.is_manager else _("Op postcode (landelijk)"),
        help_text=_("Heeft een hoofdpersoon een postcode, dan bepaalt die de regio."),
    )


class TakenRequestForm(PublicRequestForm):
    """A request the manager took: the public form's questions, the source, the region, the
    funder from the list; the requester's consent as the manager heard it."""

    source = forms.ChoiceField(
        label=_("Hoe kwam de aanvraag binnen?"),
        choices=[(c.value, c.label) for c in TAKEN_CHANNELS],
        widget=forms.RadioSelect,
        initial=Channel.PHONE,
    )

    field_order = ["source", "region", "requester_kind", "requester_name"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["website"]  # no bots on a manager's form
        self.fields["region"] = _region_field(user)
        self.fields["funder"] = _funder_field()
        self.order_fields(self.field_order)
        for name, label in _MANAGER_LABELS.items():
            self.fields[name].label = label
        self.fields["consent"].label = _(
            "De aanvrager geeft toestemming om deze gegevens voor de aanvraag te gebruiken"
        )
        self.fields["consent"].error_messages["required"] = _(
            "Vraag eerst toestemming aan de aanvrager; zonder toestemming geen aanvraag."
        )
        regions = self.fields["region"].queryset  # type: ignore[attr-defined]
        if user.is_manager and len(regions) == 1:
            self.fields["region"].initial = regions[0]

    def request_fields(self) -> dict[str, Any]:
        fields = super().request_fields()
        fields["channel"] = self.cleaned_data["source"]
        fields["funder"] = self.cleaned_data.get("funder")
        return fields


class RequestChangeForm(StyledFormMixin, forms.ModelForm):
    """The request's variant, funder and compulsory framework, and nothing else."""

    class Meta:
        model = Request
        fields = list(EDITABLE_FIELDS)
        labels = {
            **{k: v for k, v in BaseRequestForm.Meta.labels.items() if k in EDITABLE_FIELDS},
            "variant": _("Soort conferentie"),
            "funder_name": _MANAGER_LABELS["funder_name"],
        }
        help_texts = {"compelled_help": BaseRequestForm.Meta.help_texts["compelled_help"]}
        widgets = {"variant": VariantSelect, "compelled_help": forms.RadioSelect}

    # What the form showed (kring/lib/seen.py): two managers do not undo each other unseen.
    seen = seen_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["variant"].choices = Variant.choices  # type: ignore[attr-defined]
        # The funders to choose from, and whichever the request has now (even of another kind).
        self.fields["funder"] = _funder_field()
        funders = self.fields["funder"].queryset  # type: ignore[attr-defined]
        current = Organisation.objects.filter(pk=self.instance.funder_id)
        self.fields["funder"].queryset = funders | current  # type: ignore[attr-defined]
        self.order_fields(EDITABLE_FIELDS)
        if not self.is_bound:
            self.initial["seen"] = model_digest(self.instance, EDITABLE_FIELDS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("compelled_help") not in COMPELLED:
            data["compelled_help_kind"] = ""
        elif not data.get("compelled_help_kind"):
            self.add_error("compelled_help_kind", _("Kies welke maatregel er speelt."))
        return data

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in EDITABLE_FIELDS}


class TalkForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = InformativeTalk
        fields = ["region", "held_on", "with_whom", "contact", "outcome", "note"]
        labels = {"with_whom": _("Met wie was het gesprek?")}
        help_texts = {
            "with_whom": _("Naam en wie het is, bijvoorbeeld ‘moeder, mevrouw Jansen’."),
            "contact": _("Om terug te bellen als iemand erover nadenkt."),
            "note": _("Kort en feitelijk: wat is afgesproken. Geen dossier."),
        }
        widgets = {
            "held_on": DateInput(),
            "outcome": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"] = _region_field(user)
        self.fields["region"].required = True
        self.fields["region"].help_text = ""
        self.fields["outcome"].choices = TalkOutcome.choices  # type: ignore[attr-defined]
        self.order_fields(self.Meta.fields)
        if not self.is_bound:
            self.initial.setdefault("held_on", timezone.localdate())
            regions = self.fields["region"].queryset  # type: ignore[attr-defined]
            if len(regions) == 1:
                self.initial.setdefault("region", regions[0])

    def clean_held_on(self) -> date:
        held_on: date = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("Leg een gesprek vast dat al is geweest."))
        if held_on < _EARLIEST_TALK:
            raise forms.ValidationError(_("Vul een datum in na 1 januari 2000."))
        return held_on
