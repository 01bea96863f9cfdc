"""The request forms: the public one and the professional's referral."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.accounts.regions import pc4_of
from kring.cases.choices import (
    VARIANT_EXPLANATIONS,
    AgeBand,
    CompelledHelp,
    GenderWish,
    LifeDomain,
    RequesterKind,
    Variant,
)
from kring.intake.domain import MainPersonData
from kring.intake.models import Request, wishable_languages
from kring.lib.forms import StyledFormMixin
from kring.lib.language_select import LanguageMultipleChoiceField

_REQUEST_FIELDS = [
    "situation",
    "life_domains",
    "question",
    "variant",
    "informative_only",
    "safety_at_stake",
    "compelled_help",
    "compelled_help_kind",
    "funder_name",
    "wish_gender",
    "wish_age_band",
    "wish_languages",
    "language_required",
    "wish_culture",
    "wish_religion",
]


def submitted_token(data: Any) -> uuid.UUID | None:
    """The double-submit token of a posted request form, None when missing or not a UUID."""
    try:
        return uuid.UUID(str(data.get("submission_token") or ""))
    except ValueError:
        return None


class VariantSelect(forms.RadioSelect):
    """Radio buttons that show a plain-language explanation under each variant."""

    option_template_name = "intake/widgets/variant_option.html"

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        option["explanation"] = VARIANT_EXPLANATIONS.get(option["value"], "")
        return option


class BaseRequestForm(StyledFormMixin, forms.ModelForm):
    """What every request says, whoever sends it."""

    life_domains = forms.MultipleChoiceField(
        label=_("Over welke onderwerpen gaat het?"),
        choices=LifeDomain.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Kies alles wat van toepassing is."),
    )
    wish_languages = LanguageMultipleChoiceField(
        label=_("Welke taal of talen moet de coördinator spreken?"),
        queryset=wishable_languages(),
        required=False,
        help_text=_(
            "Typ om te zoeken. U kunt meer dan één taal kiezen, of een hele taalfamilie, "
            "zoals ‘Arabisch, alle varianten’."
        ),
    )
    submission_token = forms.UUIDField(
        label=_("Formuliercode"), widget=forms.HiddenInput, required=False
    )

    class Meta:
        model = Request
        fields = _REQUEST_FIELDS
        labels = {
            "situation": _("Wat is er aan de hand?"),
            "question": _("Wat is uw vraag? Wat moet er geregeld worden?"),
            "variant": _("Welke soort conferentie past het best?"),
            "informative_only": _("Ik wil eerst alleen een informatief gesprek"),
            "safety_at_stake": _("Is de veiligheid van iemand in gevaar?"),
            "compelled_help": _("Is er sprake van drang of dwang?"),
            "compelled_help_kind": _("Welke maatregel?"),
            "funder_name": _("Wie betaalt de conferentie? (als u dat weet)"),
            "wish_gender": _("Heeft u een voorkeur voor een man of een vrouw?"),
            "wish_age_band": _("Heeft u een voorkeur voor de leeftijd?"),
            "language_required": _("Zonder deze taal kan het gesprek niet"),
            "wish_culture": _("Culturele achtergrond van de coördinator"),
            "wish_religion": _("Geloof of levensovertuiging van de coördinator"),
        }
        help_texts = {
            "situation": _("Vertel in uw eigen woorden wat er speelt. Een paar zinnen is genoeg."),
            "question": _(
                "Bijvoorbeeld: ‘Wat is er nodig zodat de kinderen weer naar school gaan?’ "
                "U kunt dit later samen met de coördinator nog veranderen."
            ),
            "informative_only": _(
                "Vink dit aan als u eerst wilt horen wat een Eigen Kracht-conferentie is."
            ),
            "safety_at_stake": _("Bijvoorbeeld bij huiselijk geweld of zorgen over een kind."),
            "compelled_help": _(
                "Drang of dwang betekent dat hulp niet helemaal vrijwillig is, bijvoorbeeld bij "
                "een ondertoezichtstelling of een dreigende uithuisplaatsing."
            ),
            "funder_name": _("Meestal is dat de gemeente. Weet u het niet? Laat dit dan leeg."),
            "wish_culture": _("Niet verplicht. Bijvoorbeeld: Marokkaans, Surinaams, Fries."),
            "wish_religion": _(
                "Niet verplicht. We gebruiken dit alleen om een passende coördinator te zoeken."
            ),
        }
        widgets = {
            "variant": VariantSelect,
            "compelled_help": forms.RadioSelect,
            "situation": forms.Textarea(attrs={"rows": 5}),
            "question": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A required choice among radio buttons needs no empty option; wishes are optional.
        self.fields["variant"].choices = Variant.choices  # type: ignore[attr-defined]
        no_preference = [("", _("Geen voorkeur"))]
        self.fields["wish_gender"].choices = no_preference + GenderWish.choices  # type: ignore[attr-defined]
        self.fields["wish_age_band"].choices = no_preference + AgeBand.choices  # type: ignore[attr-defined]
        self.fields["variant"].initial = Variant.FAMILY
        self.fields["compelled_help"].initial = CompelledHelp.NONE
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4())
        self.token_was_tampered = self.is_bound and self._renew_bad_token()

    def _renew_bad_token(self) -> bool:
        """A hidden token that is no UUID was tampered with: the page gets a fresh one, so
        sending again works, and keeps everything that was typed."""
        if submitted_token(self.data) is not None or not self.data.get("submission_token"):
            return False
        data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        data["submission_token"] = str(uuid.uuid4())
        self.data = data
        return True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.token_was_tampered:
            self.add_error(
                None, _("Het formulier was beschadigd. Controleer uw gegevens en verstuur opnieuw.")
            )
        compelled = data.get("compelled_help")
        if compelled in {CompelledHelp.PRESSURED, CompelledHelp.COMPULSORY}:
            if not data.get("compelled_help_kind"):
                self.add_error("compelled_help_kind", _("Kies welke maatregel er speelt."))
        else:
            data["compelled_help_kind"] = ""
        if data.get("language_required") and not data.get("wish_languages"):
            self.add_error("wish_languages", _("Kies de taal die de coördinator moet spreken."))
        return data

    def request_fields(self) -> dict[str, Any]:
        """The cleaned values to store on the Request."""
        data = self.cleaned_data
        fields = {name: data[name] for name in _REQUEST_FIELDS}
        fields["submission_token"] = data.get("submission_token")
        return fields


class PublicRequestForm(BaseRequestForm):
    """The form anyone can send, without logging in."""

    requester_kind = forms.ChoiceField(
        label=_("Wie vraagt de conferentie aan?"),
        choices=RequesterKind.choices,
        widget=forms.RadioSelect,
    )
    requester_name = forms.CharField(label=_("Uw naam"), max_length=150)
    requester_email = forms.EmailField(
        label=_("Uw e-mailadres"),
        required=False,
        help_text=_("Hier sturen we een bevestiging naartoe."),
    )
    requester_phone = forms.CharField(label=_("Uw telefoonnummer"), max_length=30, required=False)
    consent = forms.BooleanField(
        label=_("Ik geef toestemming om deze gegevens te gebruiken voor mijn aanvraag"),
        error_messages={
            "required": _("Zonder uw toestemming kunnen we de aanvraag niet behandelen.")
        },
    )
    # A field that people never see and bots fill in.
    website = forms.CharField(label=_("Laat dit veld leeg"), required=False)

    field_order = ["requester_kind", "requester_name", "requester_email", "requester_phone"]

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Dit veld moet leeg blijven."))
        return ""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("requester_email") and not data.get("requester_phone"):
            self.add_error(
                "requester_email",
                _("Vul een e-mailadres of een telefoonnummer in, zodat we u kunnen bereiken."),
            )
        return data

    def request_fields(self) -> dict[str, Any]:
        fields = super().request_fields()
        for name in ["requester_kind", "requester_name", "requester_email", "requester_phone"]:
            fields[name] = self.cleaned_data[name]
        fields["channel"] = "public"
        return fields


class ReferralForm(BaseRequestForm):
    """A professional refers a family; the family must agree first."""

    family_agrees = forms.BooleanField(
        label=_("Het gezin weet van deze aanmelding en stemt ermee in"),
        error_messages={
            "required": _("Meld een gezin alleen aan als het ermee instemt. Vink dit aan.")
        },
    )

    def referral_fields(self, professional: Any) -> dict[str, Any]:
        fields = super().request_fields()
        fields.update(
            channel="referral",
            requester_kind="professional",
            requester_name=professional.get_full_name() or professional.email,
            requester_email=professional.email,
            requester_phone=professional.phone,
            referrer=professional,
            referrer_organisation=professional.organisation,
            family_agrees=True,
        )
        return fields


class MainPersonForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Naam"),
        max_length=150,
        error_messages={"required": _("Vul de naam in van de persoon om wie het gaat.")},
    )
    birth_year = forms.IntegerField(label=_("Geboortejaar"), required=False)
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=7,
        required=False,
        help_text=_("Bijvoorbeeld 1234 AB. Hiermee vinden we een coördinator in de buurt."),
    )

    def clean_birth_year(self) -> int | None:
        year = self.cleaned_data.get("birth_year")
        if year is not None and not 1900 <= year <= timezone.now().year:
            raise forms.ValidationError(_("Vul een geboortejaar in, zoals 1985."))
        return year

    def clean_postcode(self) -> str:
        postcode = (self.cleaned_data.get("postcode") or "").strip().upper()
        if postcode and pc4_of(postcode) is None:
            raise forms.ValidationError(_("Vul een Nederlandse postcode in, zoals 1234 AB."))
        return postcode

    def as_data(self) -> MainPersonData:
        data = self.cleaned_data
        return MainPersonData(data["name"], data.get("birth_year"), data.get("postcode", ""))


class BaseMainPersonFormSet(forms.BaseFormSet):
    # Django's own "Verstuur minimaal 1 formulier" means nothing to someone asking for help.
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_few_forms": _(
            "Vul minstens één hoofdpersoon in: de persoon om wie het gaat, met zijn of haar naam."
        ),
        "too_many_forms": _("U kunt hoogstens drie hoofdpersonen invullen."),
    }

    def main_persons(self) -> list[MainPersonData]:
        return [form.as_data() for form in self.forms if form.has_changed() and form.is_valid()]


MainPersonFormSet = forms.formset_factory(
    MainPersonForm,
    formset=BaseMainPersonFormSet,
    extra=1,
    max_num=3,
    min_num=1,
    validate_min=True,
    validate_max=True,
)


def main_person_formset(data: Any = None) -> BaseMainPersonFormSet:
    return cast(BaseMainPersonFormSet, MainPersonFormSet(data, prefix="persons"))
