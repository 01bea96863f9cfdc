"""Forms of the coordinator's workspace and the question page."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.lib.forms import DateInput, StyledFormMixin
from kring.lib.seen import seen_field
from kring.preparation.workspace.domain import MANUAL_TASKS

# A target further away than this is a typing error, not an agreement with the family.
MAX_TARGET_DAYS = 366


class TaskForm(StyledFormMixin, forms.Form):
    """Tick or untick a task: the form carries the new state, so a double submit is harmless."""

    code = forms.ChoiceField(choices=[(code, code) for code in MANUAL_TASKS])
    done = forms.BooleanField(required=False)


class PauseForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reden van de pauze"),
        max_length=300,
        help_text=_(
            "Bijvoorbeeld: de hoofdpersoon is opgenomen, of we wachten op de rechter. "
            "De termijnen staan stil tot u het traject hervat."
        ),
        error_messages={"required": _("Geef een reden voor de pauze.")},
    )


class QuestionForm(StyledFormMixin, forms.Form):
    question = forms.CharField(
        label=_("Vraagstelling"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Een open, concrete vraag die ruimte laat voor een plan. Spreek hem af met de "
            "aanvrager(s)."
        ),
        error_messages={"required": _("Schrijf de vraag op.")},
    )
    # The saved question this form showed (kring/lib/seen.py): a second window or device
    # does not overwrite a newer text unseen.
    seen = seen_field()


class ConferenceTargetForm(StyledFormMixin, forms.Form):
    """The conference date the coordinator agreed with the family: a target, not a deadline."""

    target = forms.DateField(
        label=_("Streefdatum conferentie"),
        widget=DateInput(),
        help_text=_(
            "De datum die u met de familie heeft afgesproken. De familie bepaalt het tempo; "
            "u krijgt een herinnering als de datum voorbij is zonder conferentiedatum."
        ),
        error_messages={
            "required": _("Vul de afgesproken datum in."),
            "invalid": _("Vul een datum in, bijvoorbeeld 14-03-2026."),
        },
    )

    def clean_target(self) -> date:
        target: date = self.cleaned_data["target"]
        today = timezone.localdate()
        if target < today:
            raise forms.ValidationError(_("Deze datum is al voorbij; kies vandaag of later."))
        if target > today + timedelta(days=MAX_TARGET_DAYS):
            raise forms.ValidationError(_("Kies een datum binnen een jaar."))
        return target
