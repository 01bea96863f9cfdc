"""Forms of coaching, bounded against hostile input (``StyledFormMixin``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Region
from kring.coaching.models import NOTE_MAX_LENGTH, MeetingInvitation, MeetingKind, Reply
from kring.lib.forms import DateInput, DateTimeInput, StyledFormMixin


class NoteForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Notitie"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    internal = forms.BooleanField(
        label=_("Alleen voor regiomanagers en het landelijk bureau"),
        required=False,
        help_text=_("Aangevinkt: de coördinator ziet deze notitie niet."),
    )


class VogForm(StyledFormMixin, forms.Form):
    issued_on = forms.DateField(
        label=_("Datum van de nieuwe VOG"),
        widget=DateInput(),
        help_text=_("De datum waarop de VOG is afgegeven."),
    )


class DeclarationForm(StyledFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "Ik verklaar dat ik onafhankelijk ben: ik werk niet voor of bij een organisatie "
            "die bij een traject van mij betrokken is, en ik meld het als ik mensen in een "
            "traject ken."
        ),
        error_messages={"required": _("Vink aan dat je dit verklaart.")},
    )


class MeetingForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=MeetingKind.choices)
    region = forms.ModelChoiceField(
        label=_("Regio"),
        queryset=Region.objects.none(),
        required=False,
        help_text=_("Alleen bij een regiobijeenkomst."),
    )
    starts_at = forms.DateTimeField(label=_("Datum en tijd"), widget=DateTimeInput())
    place = forms.CharField(label=_("Plaats"), max_length=200)
    topic = forms.CharField(label=_("Onderwerp"), max_length=200)

    def __init__(self, *args: Any, regions: QuerySet[Region], office: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
        kind = self.fields["kind"]
        if not office and isinstance(kind, forms.ChoiceField):  # managers: regional only
            kind.choices = [(MeetingKind.REGIONAL, MeetingKind.REGIONAL.label)]


class MeetingMoveForm(StyledFormMixin, forms.Form):
    starts_at = forms.DateTimeField(label=_("Nieuwe datum en tijd"), widget=DateTimeInput())
    place = forms.CharField(label=_("Plaats"), max_length=200)


class MeetingCancelForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Waarom gaat het niet door?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Blijft bij de bijeenkomst; de coördinatoren krijgen alleen bericht dat het niet "
            "doorgaat."
        ),
    )


class ReplyForm(StyledFormMixin, forms.Form):
    reply = forms.ChoiceField(
        label=_("Kom je?"),
        choices=[(Reply.YES, Reply.YES.label), (Reply.NO, Reply.NO.label)],
        widget=forms.RadioSelect,
    )


class AttendanceForm(StyledFormMixin, forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Wie was er?"),
        queryset=MeetingInvitation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, invitations: QuerySet[MeetingInvitation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["present"]
        field.queryset = invitations  # type: ignore[attr-defined]
        field.label_from_instance = lambda inv: str(inv.profile)  # type: ignore[attr-defined]
