"""Forms for the follow-up call and the implementation registration."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.lib.forms import StyledFormMixin, mark_required
from kring.plans.models import Agreement, Cause, FollowUp, Implementation

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def early_reason_field(help_text: StrOrPromise) -> forms.CharField:
    """Asked only when a step comes before its time; the reason is kept on the case."""
    return forms.CharField(
        label=_("Waarom nu al?"),
        max_length=300,
        help_text=help_text,
        error_messages={"required": _("Schrijf op waarom het nu al moet.")},
    )


class FollowUpForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    def __init__(self, *args: Any, early: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if early:
            self.fields["early_reason"] = early_reason_field(
                _(
                    "Het plan is nog geen vier weken geleden verstuurd. Bijvoorbeeld: de "
                    "familie vraagt om het gesprek."
                )
            )

    class Meta:
        model = FollowUp
        fields = ("spoken_with", "how_it_goes")
        labels = {
            "spoken_with": _("Met wie heeft u gesproken?"),
            "how_it_goes": _("Hoe gaat het met het plan?"),
        }
        help_texts = {
            "spoken_with": _("Bijvoorbeeld: moeder, oma en de buurman."),
            "how_it_goes": _(
                "In een paar zinnen: wat loopt, wat niet, is er iets nodig? Geen dossier."
            ),
        }
        widgets = {"how_it_goes": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "spoken_with": {"required": _("Vul in met wie u heeft gesproken.")},
            "how_it_goes": {"required": _("Schrijf kort op hoe het gaat.")},
        }


class ImplementationForm(StyledFormMixin, forms.Form):
    """Per agreement: carried out fully, partly or not; and where not fully, whose cause."""

    def __init__(
        self, *args: Any, agreements: Sequence[Agreement], early: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.agreements = list(agreements)
        if early:
            self.fields["early_reason"] = early_reason_field(
                _(
                    "Het plan is nog geen drie maanden geleden verstuurd. Bijvoorbeeld: de "
                    "familie vraagt om de afronding."
                )
            )
        for agreement in self.agreements:
            self.fields[f"implementation_{agreement.pk}"] = forms.ChoiceField(
                label=_("Uitvoering"),
                choices=Implementation.choices,
                widget=forms.RadioSelect,
                initial=agreement.implementation or None,
                error_messages={"required": _("Kies: geheel, deels of niet uitgevoerd.")},
            )
            # Required whenever the agreement was not carried out fully (checked in clean).
            self.fields[f"cause_{agreement.pk}"] = mark_required(
                forms.ChoiceField(
                    label=_("Waar lag de oorzaak?"),
                    choices=Cause.choices,
                    widget=forms.RadioSelect,
                    required=False,
                    initial=agreement.cause or None,
                    help_text=_("Alleen als de afspraak deels of niet is uitgevoerd."),
                )
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for agreement in self.agreements:
            implementation = cleaned.get(f"implementation_{agreement.pk}")
            cause_field = f"cause_{agreement.pk}"
            not_fully = implementation and implementation != Implementation.FULLY
            if not_fully and not cleaned.get(cause_field):
                self.add_error(
                    cause_field,
                    _(
                        "Deze afspraak is niet geheel uitgevoerd: kies of de oorzaak bij "
                        "de familie of bij professionals lag."
                    ),
                )
        return cleaned

    def rows(self) -> list[tuple[Agreement, forms.BoundField, forms.BoundField]]:
        return [(a, self[f"implementation_{a.pk}"], self[f"cause_{a.pk}"]) for a in self.agreements]

    def results(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            a.pk: (data[f"implementation_{a.pk}"], data.get(f"cause_{a.pk}") or "")
            for a in self.agreements
        }
