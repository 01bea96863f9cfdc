"""Forms for professionals: the invitation, the account from the link, their part, the kader."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Organisation, Role, User
from kring.lib.forms import StyledFormMixin
from kring.lib.seen import seen_field
from kring.preparation.models import ProfessionalInvolvement, SafetyCondition
from kring.preparation.professionals.domain import (
    AlreadyInvited,
    NotAProfessionalAccount,
    email_taken_by_other_role,
)

CONDITION_MAX_LENGTH = SafetyCondition._meta.get_field("text").max_length or 500
PART_MAX_LENGTH = 5000

# The form says it before the domain would refuse it, in the domain's own words.
ALREADY_INVITED = AlreadyInvited.default_message
OTHER_ROLE = NotAProfessionalAccount.default_message

# Django's own Dutch texts for the password validators no longer match their English
# originals in every version, so the messages people see are ours, chosen by error code.
_PASSWORD_MESSAGES = {
    "password_too_short": _("Dit wachtwoord is te kort: gebruik minstens %(min_length)d tekens."),
    "password_too_common": _("Dit wachtwoord wordt te vaak gebruikt. Kies een ander wachtwoord."),
    "password_too_similar": _("Dit wachtwoord lijkt te veel op uw naam of e-mailadres."),
    "password_entirely_numeric": _("Dit wachtwoord bestaat alleen uit cijfers."),
}


def dutch_password_errors(error: ValidationError) -> list[str]:
    messages = []
    for item in error.error_list:
        template = _PASSWORD_MESSAGES.get(item.code or "")
        if template is None:
            messages.extend(item.messages)
        else:
            messages.append(str(template) % (item.params or {}))
    return messages


class InviteForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=150)
    email = forms.EmailField(
        label=_("E-mailadres"),
        help_text=_("Hierheen sturen we de persoonlijke link."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    organisation = forms.CharField(
        label=_("Organisatie"),
        max_length=Organisation._meta.get_field("name").max_length,
        help_text=_("Kies een organisatie uit de lijst of typ een nieuwe naam."),
        widget=forms.TextInput(attrs={"list": "kring-organisations", "autocomplete": "off"}),
    )
    role = forms.CharField(
        label=_("Functie"),
        max_length=100,
        required=False,
        help_text=_("Bijvoorbeeld: jeugdbeschermer, wijkagent, mentor."),
    )

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case

    def organisation_names(self) -> list[str]:
        return list(Organisation.objects.order_by("name").values_list("name", flat=True))

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if self.case.professionals.filter(email__iexact=email).exists():
            raise ValidationError(ALREADY_INVITED, code="already_invited")
        if email_taken_by_other_role(email):
            raise ValidationError(OTHER_ROLE, code="other_role")
        return email

    def clean_organisation(self) -> str:
        name = " ".join(self.cleaned_data["organisation"].split())
        if not name:
            raise ValidationError(_("Vul de naam van de organisatie in."), code="required")
        return name


class JoinForm(StyledFormMixin, forms.Form):
    first_name = forms.CharField(
        label=_("Voornaam"), max_length=150, widget=forms.TextInput({"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Achternaam"),
        max_length=150,
        widget=forms.TextInput({"autocomplete": "family-name"}),
    )
    password1 = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        help_text=_("Minstens 8 tekens; geen veelgebruikt wachtwoord en niet lijkend op uw naam."),
        widget=forms.PasswordInput({"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Wachtwoord nog een keer"),
        strip=False,
        widget=forms.PasswordInput({"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, involvement: ProfessionalInvolvement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.involvement = involvement

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("De twee wachtwoorden zijn niet gelijk."))
        elif first:
            candidate = User(
                email=self.involvement.email,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                role=Role.PROFESSIONAL,
            )
            try:
                validate_password(first, candidate)
            except ValidationError as error:
                for message in dutch_password_errors(error):
                    self.add_error("password1", message)
        return data


class PartForm(StyledFormMixin, forms.Form):
    information = forms.CharField(
        label=_("Informatie voor de kring"),
        required=False,
        max_length=PART_MAX_LENGTH,
        help_text=_(
            "Wat moet de kring weten om een goed plan te maken? Schrijf het zo dat iedereen "
            "het begrijpt; de hoofdpersonen lezen mee."
        ),
        widget=forms.Textarea({"rows": 5}),
    )
    concerns = forms.CharField(
        label=_("Zorgen"),
        required=False,
        max_length=PART_MAX_LENGTH,
        help_text=_("Waar maakt u zich zorgen over? Wees concreet."),
        widget=forms.Textarea({"rows": 4}),
    )
    help_offer = forms.CharField(
        label=_("Aanbod van hulp"),
        required=False,
        max_length=PART_MAX_LENGTH,
        help_text=_("Welke hulp kunt u of uw organisatie bieden, als de kring dat wil?"),
        widget=forms.Textarea({"rows": 4}),
    )
    # What the form showed (kring/lib/seen.py): a save from a second window is not lost.
    seen = seen_field()


class ConditionsForm(StyledFormMixin, forms.Form):
    conditions = forms.CharField(
        label=_("Nieuwe voorwaarde(n)"),
        max_length=20 * CONDITION_MAX_LENGTH,
        help_text=_(
            "Eén voorwaarde per regel, concreet en in gewone taal. Bijvoorbeeld: ‘De kinderen "
            "zijn ’s nachts nooit alleen met vader.’"
        ),
        widget=forms.Textarea({"rows": 3}),
        error_messages={"required": _("Schrijf minstens één voorwaarde.")},
    )

    def clean_conditions(self) -> list[str]:
        lines = [" ".join(line.split()) for line in self.cleaned_data["conditions"].splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            raise ValidationError(_("Schrijf minstens één voorwaarde."), code="required")
        too_long = [n for n, line in enumerate(lines, 1) if len(line) > CONDITION_MAX_LENGTH]
        if too_long:
            raise ValidationError(
                _(
                    "Regel %(lines)s is langer dan %(max)d tekens. Maak er kortere, losse "
                    "voorwaarden van (één per regel)."
                ),
                code="too_long",
                params={"lines": ", ".join(map(str, too_long)), "max": CONDITION_MAX_LENGTH},
            )
        return list(dict.fromkeys(lines))
