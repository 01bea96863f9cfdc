"""Forms of the coordinator's own profile page and of the manager's pool."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Organisation, Postcode, Region
from kring.accounts.regions import pc4_of
from kring.coordinators.models import (
    Affiliation,
    CoordinatorProfile,
    CoordinatorStatus,
    Language,
    Unavailability,
)
from kring.lib.forms import DateInput, StyledFormMixin
from kring.lib.language_select import LanguageMultipleChoiceField
from kring.lib.seen import form_digest, seen_field


def _language_field() -> LanguageMultipleChoiceField:
    return LanguageMultipleChoiceField(
        label=_("Talen en dialecten"),
        queryset=Language.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_(
            "Typ om te zoeken; kies alle talen en dialecten die u spreekt, of een hele "
            "taalfamilie, zoals ‘Arabisch, alle varianten’."
        ),
    )


def _travel_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Maximale reisafstand (km)"),
        min_value=1,
        max_value=300,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


def _show_digest(form: forms.BaseForm) -> None:
    """An unbound form carries the digest of what it shows (kring/lib/seen.py): a coordinator
    and a manager editing the same profile do not overwrite each other unseen."""
    if not form.is_bound:
        form.initial["seen"] = form_digest(form)


class _ColumnSaveMixin:
    """Saves only the form's own columns, never ``load`` and the other counters.

    ``Model.save()`` writes every column, so a stale copy would undo an offer made while the
    form was open; ``update_fields`` leaves the counters to the code that owns them.
    """

    instance: CoordinatorProfile
    _meta: Any
    extra_columns: tuple[str, ...] = ()

    def save_columns(self, profile: CoordinatorProfile) -> None:
        opts = profile._meta
        columns = [n for n in self._meta.fields if not opts.get_field(n).many_to_many]
        profile.save(update_fields=[*columns, *self.extra_columns])


class MyProfileForm(StyledFormMixin, _ColumnSaveMixin, forms.ModelForm):
    """What the coordinator keeps up to date themself."""

    languages = _language_field()
    max_travel_km = _travel_field()
    religion_consent = forms.BooleanField(
        label=_(
            "Ik geef toestemming dat Kring mijn geloof of levensovertuiging bewaart om te koppelen"
        ),
        required=False,
        help_text=_(
            "Alleen jij en de regiomanagers die een coördinator zoeken zien dit. "
            "Maak het veld leeg om het te laten verwijderen."
        ),
    )
    extra_columns = ("religion_consent_at",)
    seen = seen_field()

    class Meta:
        model = CoordinatorProfile
        fields = [
            "languages",
            "evenings_weekends",
            "max_travel_km",
            "cultural_backgrounds",
            "religion",
            "declared_relationships",
        ]
        widgets = {"declared_relationships": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["religion"].help_text = _("Optioneel. Alleen met je toestemming hieronder.")
        self.initial.setdefault("religion_consent", self.instance.religion_consent_at is not None)
        _show_digest(self)

    def clean_religion(self) -> str:
        return (self.cleaned_data.get("religion") or "").strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("religion") and not data.get("religion_consent"):
            self.add_error(
                "religion_consent",
                _(
                    "Zet een vinkje als je toestemming geeft om je geloof of levensovertuiging "
                    "te bewaren, of laat dat veld leeg."
                ),
            )
        return data

    def save(self, commit: bool = True) -> CoordinatorProfile:
        profile: CoordinatorProfile = super().save(commit=False)
        if not profile.religion:
            profile.religion_consent_at = None
        elif "religion" in self.changed_data or profile.religion_consent_at is None:
            profile.religion_consent_at = timezone.now()
        self.save_columns(profile)
        self.save_m2m()  # type: ignore[attr-defined]
        return profile


class UnavailabilityForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Unavailability
        fields = ["starts_on", "ends_on", "reason"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("De einddatum ligt vóór de begindatum."))
        elif ends and ends < timezone.localdate():
            self.add_error("ends_on", _("Deze periode is al voorbij."))
        return data


class PoolFilterForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Alle statussen")), *CoordinatorStatus.choices],
        required=False,
    )
    language = LanguageMultipleChoiceField(
        label=_("Spreekt een van deze talen"),
        queryset=Language.objects.all(),
        required=False,
        help_text=_("Leeg: alle talen. Een taalfamilie kiest alle varianten."),
    )
    q = forms.CharField(label=_("Naam"), max_length=100, required=False)


class ProfileEditForm(StyledFormMixin, _ColumnSaveMixin, forms.ModelForm):
    """What a regional manager (or the office) manages about a coordinator."""

    home_postcode = forms.CharField(
        label=_("Postcode woonplaats (4 cijfers)"),
        max_length=7,
        required=False,
        help_text=_("Alleen de vier cijfers, bijvoorbeeld 3511."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    max_cases = forms.IntegerField(
        label=_("Maximaal aantal trajecten tegelijk"), min_value=1, max_value=5
    )
    max_travel_km = _travel_field()
    languages = _language_field()
    organisations = forms.ModelMultipleChoiceField(
        label=_("Banden met organisaties"),
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_(
            "Organisaties waarvoor de coördinator werkt of waarmee hij of zij een band heeft. "
            "Met trajecten van deze organisaties wordt de coördinator nooit gekoppeld."
        ),
    )
    seen = seen_field()

    class Meta:
        model = CoordinatorProfile
        # No status: it follows the training's steps and the pause/resume/stop actions
        # (kring.training.domain), never a hand-set field.
        fields = [
            "vog_issued_on",
            "independence_declared_on",
            "regions",
            "home_postcode",
            "max_travel_km",
            "birth_year",
            "gender",
            "max_cases",
            "languages",
            "declared_relationships",
        ]
        widgets = {
            "vog_issued_on": DateInput(),
            "independence_declared_on": DateInput(),
            "regions": forms.CheckboxSelectMultiple,
            "declared_relationships": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["regions"].queryset = regions  # type: ignore[attr-defined]
        if self.instance.pk:
            self.initial["organisations"] = list(
                self.instance.affiliations.values_list("organisation_id", flat=True)
            )
        _show_digest(self)

    def clean_home_postcode(self) -> Postcode | None:
        raw = (self.cleaned_data.get("home_postcode") or "").strip()
        if not raw:
            return None
        pc4 = pc4_of(raw)
        if pc4 is None:
            raise forms.ValidationError(_("Vul de vier cijfers van de postcode in, zoals 3511."))
        postcode = Postcode.objects.filter(pc4=pc4).first()
        if postcode is None:
            raise forms.ValidationError(_("Onbekende postcode."))
        return postcode

    def clean_birth_year(self) -> int | None:
        year = self.cleaned_data.get("birth_year")
        if year is not None and not 1900 <= year <= timezone.now().year - 16:
            raise forms.ValidationError(_("Vul een geboortejaar in, zoals 1975."))
        return year

    def clean_max_cases(self) -> int:
        value: int = self.cleaned_data["max_cases"]
        if value < self.instance.load:
            raise forms.ValidationError(
                _(
                    "Deze coördinator heeft nu al %(n)s trajecten of aanbiedingen. "
                    "Kies minstens %(n)s."
                ),
                params={"n": self.instance.load},
            )
        return value

    def clean_regions(self) -> list[Region]:
        # Regions the user cannot choose (another manager's) stay as they are.
        chosen = list(self.cleaned_data.get("regions") or [])
        allowed = self.fields["regions"].queryset  # type: ignore[attr-defined]
        kept = self.instance.regions.exclude(pk__in=allowed) if self.instance.pk else []
        return chosen + list(kept)

    def save(self, commit: bool = True) -> CoordinatorProfile:
        profile: CoordinatorProfile = super().save(commit=False)
        self.save_columns(profile)
        self.save_m2m()  # type: ignore[attr-defined]
        chosen = {org.pk for org in self.cleaned_data["organisations"]}
        profile.affiliations.exclude(organisation_id__in=chosen).delete()
        existing = set(profile.affiliations.values_list("organisation_id", flat=True))
        Affiliation.objects.bulk_create(
            Affiliation(profile=profile, organisation_id=pk) for pk in chosen - existing
        )
        return profile
