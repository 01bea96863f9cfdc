"""Forms of the plan document pages: sending, the family's link, the family's progress."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.lib.forms import StyledFormMixin
from kring.plans.distribution.family_link import PROGRESS_MAX


class SendPlanForm(StyledFormMixin, forms.Form):
    """The version the sender saw: when the plan changed since, nothing is sent."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReferrerConsentForm(StyledFormMixin, forms.Form):
    """The family agrees (or no longer agrees) that the referrer gets the plan."""

    CHOICES = [("yes", _("Toestemming vastleggen")), ("no", _("Toestemming intrekken"))]

    given = forms.ChoiceField(choices=CHOICES, widget=forms.HiddenInput)

    def consent(self) -> bool:
        return bool(self.cleaned_data["given"] == "yes")


class FamilyLinkForm(StyledFormMixin, forms.Form):
    CHANNELS = [("screen", _("Link tonen")), ("email", _("Link mailen"))]

    channel = forms.ChoiceField(choices=CHANNELS, widget=forms.HiddenInput)


class ProgressForm(StyledFormMixin, forms.Form):
    progress = forms.CharField(
        label=_("Hoe gaat het met deze afspraak?"),
        max_length=PROGRESS_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kort, in je eigen woorden. Hoogstens 200 tekens."),
        error_messages={
            "required": _("Schrijf kort op hoe het gaat."),
            "max_length": _(
                "Dat is te lang: hoogstens %(limit_value)d tekens (nu %(show_value)d)."
            ),
        },
    )
