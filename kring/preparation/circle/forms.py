"""Forms of the circle: add or edit a participant, a line in the contact log, a pair who
cannot meet without arrangements."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.coordinators.models import Language
from kring.lib.forms import DateInput, StyledFormMixin, ValuesModelChoiceField
from kring.lib.seen import model_digest, seen_field
from kring.preparation.models import Category, InvitationStatus, Participant

MAX_AGE = 120
phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()\-]{5,28}$",
    _("Vul een geldig telefoonnummer in, bijvoorbeeld 06-12345678."),
)

ADD_FIELDS = [
    "name",
    "relation",
    "category",
    "age",
    "language",
    "needs_interpreter",
    "email",
    "phone",
    "address",
    "named_by",
    "needs_childcare",
    "needs_transport",
    "needs_accessibility",
    "needs_note",
]


class ParticipantForm(StyledFormMixin, forms.ModelForm):
    """Add a participant: who, how they relate, how to reach them, who named them."""

    class Meta:
        model = Participant
        fields = ADD_FIELDS
        widgets: dict[str, forms.Widget] = {
            "age": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": MAX_AGE}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }
        # The language's options without a model instance each (kring/lib/forms.py).
        field_classes = {"language": ValuesModelChoiceField}
        help_texts = {"age": _("Alleen invullen bij kinderen en jongeren.")}

    #: Set by a valid post that repeats the person just added: nothing to add.
    repeated: Participant | None = None

    def __init__(self, *args: Any, case_participants: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = _("Vul een naam in.")
        category = self.fields["category"]
        category.error_messages["required"] = _("Kies bij welke groep deze persoon hoort.")
        category.choices = [("", _("— kies een groep —")), *Category.choices]  # type: ignore[attr-defined]
        language = self.fields["language"]
        language.queryset = Language.objects.order_by("name_nl")  # type: ignore[attr-defined]
        language.empty_label = _("— geen voorkeur —")  # type: ignore[attr-defined]
        self.case_participants = case_participants
        named_by = self.fields["named_by"]
        if self.instance.pk:
            case_participants = case_participants.exclude(pk=self.instance.pk)
        named_by.queryset = case_participants.order_by("-is_main_person", "name")  # type: ignore[attr-defined]
        named_by.empty_label = _("— niemand / weet ik niet —")  # type: ignore[attr-defined]
        named_by.help_text = _("Wie noemde deze persoon? Zo is te zien hoe de kring groeit.")
        # One message for any age out of range, not also the database column's own bound.
        age, out_of_range = self.fields["age"], _("Vul een leeftijd tussen 0 en 120 in.")
        bounds = MinValueValidator | MaxValueValidator
        age.validators = [
            *(v for v in age.validators if not isinstance(v, bounds)),
            MinValueValidator(0, out_of_range),
            MaxValueValidator(MAX_AGE, out_of_range),
        ]
        self.fields["phone"].validators.append(phone_validator)

    def clean_name(self) -> str:
        name = " ".join(str(self.cleaned_data.get("name", "")).split())
        if not name:
            raise forms.ValidationError(_("Vul een naam in."))
        return name

    def clean_named_by(self) -> Participant | None:
        named_by: Participant | None = self.cleaned_data.get("named_by")
        if named_by is not None and self.instance.pk and _names_back(named_by, self.instance.pk):
            raise forms.ValidationError(
                _("Deze persoon is zelf (via anderen) door %(name)s genoemd.")
                % {"name": self.instance.name}
            )
        return named_by

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("needs_interpreter") and not data.get("language"):
            self.add_error("language", _("Kies de taal waarvoor een tolk nodig is."))
        self._name_once(data)
        return data

    def _name_once(self, data: dict[str, Any]) -> None:
        """A name is in the circle once. Adding the very person already there (the second
        post of a double click: every field the same) is no error: ``repeated`` is that
        person, and there is nothing to add."""
        name = data.get("name")
        others = self.case_participants.exclude(pk=self.instance.pk)
        taken = others.filter(name__iexact=name).first() if name else None
        if taken is None:
            return
        adding = self.instance.pk is None and not self.errors
        fields = [f for f in self._meta.fields or () if f != "name"]
        if adding and all(data.get(f) == getattr(taken, f) for f in fields):
            self.repeated = taken
            return
        self.add_error(
            "name",
            _(
                "Er staat al iemand met deze naam in de kring. Is het iemand anders, maak "
                "de naam dan herkenbaar, bijvoorbeeld met ‘jr.’ of een tweede voornaam."
            ),
        )


def _names_back(start: Participant, pk: int) -> bool:
    """Whether following 'named by' from ``start`` leads back to participant ``pk``."""
    seen: set[int] = set()
    current: Participant | None = start
    while current is not None and current.pk not in seen:
        if current.pk == pk:
            return True
        seen.add(current.pk)
        current = current.named_by
    return False


class ParticipantEditForm(ParticipantForm):
    """Edit a participant, including the invitation status. The safety reason is only a
    field for managers and the office (``can_see_safety``); others never get it."""

    class Meta(ParticipantForm.Meta):
        fields = [*ADD_FIELDS, "status", "condition", "safety_reason"]
        widgets = {
            **ParticipantForm.Meta.widgets,
            "status": forms.RadioSelect(),
        }

    # What the form showed (kring/lib/seen.py): a save from a stale window is not lost.
    seen = seen_field()

    def __init__(self, *args: Any, can_see_safety: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_see_safety:
            del self.fields["safety_reason"]
        if not self.is_bound:
            self.initial["seen"] = model_digest(self.instance, self.edited_fields())
        self.fields["condition"].help_text = _(
            "Bijvoorbeeld: ik kom, maar alleen als mijn zus er ook is."
        )

    def edited_fields(self) -> list[str]:
        """The participant's fields this form edits (the safety reason only for who sees it)."""
        return [name for name in self.fields if name != "seen"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        status = data.get("status")
        if status == InvitationStatus.CONDITIONAL and not data.get("condition", "").strip():
            self.add_error("condition", _("Schrijf op onder welke voorwaarde deze persoon komt."))
        return data


# What the table sets in one go; a condition or a safety reason needs the person's own page.
TABLE_STATUSES = (
    InvitationStatus.TO_ASK,
    InvitationStatus.ASKED,
    InvitationStatus.COMES,
    InvitationStatus.DECLINES,
)


class StatusTableForm(StyledFormMixin, forms.Form):
    """The invitation status of everyone in the circle on one page, one select per person.
    A person who comes on a condition or is not invited for safety keeps that status here
    (changing it to one of those asks for the condition or reason on their own page)."""

    def __init__(self, *args: Any, participants: list[Participant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.participants = participants
        for participant in participants:
            current = participant.status
            allowed = [s for s in InvitationStatus if s in TABLE_STATUSES or s == current]
            self.fields[f"status_{participant.pk}"] = forms.ChoiceField(
                label=_("Status van %(name)s") % {"name": participant.name},
                choices=[(s.value, s.label) for s in allowed],
                initial=participant.status,
                error_messages={"invalid_choice": _("Kies een status uit de lijst.")},
            )

    def rows(self) -> list[tuple[Participant, forms.BoundField]]:
        return [(p, self[f"status_{p.pk}"]) for p in self.participants]

    def changes(self) -> dict[int, str]:
        """Participant id -> new status, only for those that changed."""
        return {
            p.pk: self.cleaned_data[f"status_{p.pk}"]
            for p in self.participants
            if self.cleaned_data[f"status_{p.pk}"] != p.status
        }


class NoteForm(StyledFormMixin, forms.Form):
    on = forms.DateField(label=_("Datum"), widget=DateInput())
    line = forms.CharField(
        label=_("Wat in één zin"),
        max_length=200,
        help_text=_("Alleen het contact, geen dossier. Maximaal 200 tekens."),
        error_messages={
            "max_length": _("Houd het kort: maximaal 200 tekens (nu %(show_value)d)."),
            "required": _("Schrijf in één zin wat er was."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_on(self) -> Any:
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("Een contact kan niet in de toekomst liggen."))
        return on


class SeparationForm(StyledFormMixin, forms.Form):
    first = forms.ModelChoiceField(label=_("De een"), queryset=Participant.objects.none())
    second = forms.ModelChoiceField(label=_("De ander"), queryset=Participant.objects.none())
    arrangement = forms.CharField(
        label=_("Wat is er afgesproken?"),
        max_length=300,
        required=False,
        help_text=_("Bijvoorbeeld: komen op verschillende momenten, zitten niet aan één tafel."),
    )

    def __init__(self, *args: Any, case_participants: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("first", "second"):
            field = self.fields[name]
            field.queryset = case_participants.order_by("-is_main_person", "name")  # type: ignore[attr-defined]
            field.empty_label = _("— kies iemand —")  # type: ignore[attr-defined]
            field.error_messages["required"] = _("Kies iemand uit de kring.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("first"), data.get("second")
        if first is not None and second is not None and first.pk == second.pk:
            self.add_error("second", _("Kies twee verschillende personen."))
        return data
