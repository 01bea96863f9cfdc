"""Forms of the coordinator's workspace and the question page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.lib.forms import StyledFormMixin
from kring.preparation.workspace import MANUAL_TASKS


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
