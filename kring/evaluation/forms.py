"""The questionnaire: four scales and one open question. Bounded against hostile input: a
score outside 1-5 is not a choice, the text has a length limit, NUL is refused (Django)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kring.evaluation.domain import AnswerData
from kring.evaluation.models import COMMENT_MAX, Question
from kring.lib.forms import StyledFormMixin

SCORES = [
    ("1", _("1 · helemaal niet")),
    ("2", _("2 · niet echt")),
    ("3", _("3 · een beetje")),
    ("4", _("4 · grotendeels")),
    ("5", _("5 · helemaal")),
]


def _scale(question: Question) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=question.label,
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies een antwoord van 1 tot 5."),
            "invalid_choice": _("Kies een antwoord van 1 tot 5."),
        },
    )


class AnswerForm(StyledFormMixin, forms.Form):
    independent = _scale(Question.INDEPENDENT)
    heard = _scale(Question.HEARD)
    own_plan = _scale(Question.OWN_PLAN)
    recommend = _scale(Question.RECOMMEND)
    comment = forms.CharField(
        label=_("Wil je nog iets kwijt?"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wat ging goed, wat kan beter? Schrijf liever geen namen op."),
        error_messages={
            "max_length": _(
                "Dat is te lang: hoogstens %(limit_value)d tekens (nu %(show_value)d)."
            ),
        },
    )

    def data_for_domain(self) -> AnswerData:
        cleaned: dict[str, Any] = self.cleaned_data
        return AnswerData(
            independent=cleaned["independent"],
            heard=cleaned["heard"],
            own_plan=cleaned["own_plan"],
            recommend=cleaned["recommend"],
            comment=cleaned["comment"],
        )
