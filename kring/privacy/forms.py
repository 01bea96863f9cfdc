from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.lib.forms import DateInput, StyledFormMixin
from kring.privacy.models import SubjectRequest


class SubjectRequestForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = SubjectRequest
        fields = ["kind", "subject_name", "subject_email", "received_on", "reason"]
        widgets = {"received_on": DateInput()}
        help_texts = {
            "subject_name": _("Zoals de betrokkene in Kring staat, bijvoorbeeld Sanne de Vries."),
            "reason": _("Bij verwijdering: waarom de betrokkene het vraagt."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate

    def clean_received_on(self) -> date:
        received: date = self.cleaned_data["received_on"]
        if received > timezone.localdate():
            raise forms.ValidationError(_("Deze datum ligt in de toekomst."))
        return received

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("subject_name", "").strip() or data.get("subject_email", "").strip()):
            raise forms.ValidationError(_("Vul een naam of een e-mailadres van de betrokkene in."))
        return data


class ErasureForm(StyledFormMixin, forms.Form):
    case = forms.TypedChoiceField(label=_("Traject"), coerce=int, choices=[])

    def __init__(self, *args: Any, cases: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = cases  # type: ignore[attr-defined]
