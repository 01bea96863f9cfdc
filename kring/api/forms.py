"""The office's forms for keys and webhooks (bounded, NL Design System classes)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Organisation, Role, User
from kring.api.models import Scope
from kring.lib.forms import StyledFormMixin


class KeyForm(StyledFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"), queryset=Organisation.objects.all()
    )
    scope = forms.ChoiceField(label=_("Bereik"), choices=Scope.choices)
    acts_for = forms.ModelChoiceField(
        label=_("Namens"),
        queryset=User.objects.filter(
            is_active=True, role__in=[Role.PROFESSIONAL, Role.OFFICE, Role.MANAGER]
        ).order_by("email"),
        required=False,
        help_text=_(
            "Verwijzingen: een professional van de organisatie. Cijfers: iemand van het "
            "landelijk bureau of een regiomanager. Financiering: leeg laten."
        ),
    )
    name = forms.CharField(
        label=_("Omschrijving"),
        max_length=100,
        help_text=_("Bijvoorbeeld: koppeling met het cliëntsysteem."),
    )


class RotateForm(StyledFormMixin, forms.Form):
    at_once = forms.BooleanField(
        label=_("De oude sleutel meteen intrekken (bijvoorbeeld als hij is uitgelekt)"),
        required=False,
    )


class WebhookForm(StyledFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"), queryset=Organisation.objects.all()
    )
    url = forms.URLField(
        label=_("Adres"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "Een https-adres op internet; Kring stuurt hier een bericht bij elke "
            "statuswijziging van een verwijzing via de API."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its own ids: the key form on the same page also has an "organisation" field, and
        # two elements with one id break the labels and the error links. Names stay as they are.
        kwargs.setdefault("auto_id", "webhook_%s")
        super().__init__(*args, **kwargs)
