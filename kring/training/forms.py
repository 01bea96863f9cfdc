"""The forms of the coordinator's path. The CV is checked by its content, never its name."""

from __future__ import annotations

import io
import uuid
import zipfile
from pathlib import PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Postcode, Region, Role, User
from kring.accounts.regions import pc4_of
from kring.coordinators.models import Language
from kring.lib.forms import DateInput, StyledFormMixin
from kring.lib.language_select import LanguageMultipleChoiceField
from kring.training.domain import EXTRA_VARIANTS, CVFile
from kring.training.models import Application, Availability, SessionKind, Stage
from kring.training.profile import REPORT_POINTS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CV_MAX_BYTES = 5 * 1024 * 1024
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# A real .docx has these parts; a zip that merely calls itself .docx does not.
DOCX_PARTS = {"[Content_Types].xml", "word/document.xml"}
# A .docx with thousands of parts is no CV but an attempt to keep the server busy.
DOCX_MAX_PARTS = 1000
TEXT_MAX = 5000


def _kind_of(content: bytes) -> str | None:
    """PDF or DOCX by the bytes themselves; None for anything else."""
    if content.startswith(b"%PDF-"):
        return PDF
    if not content.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None
    if len(names) > DOCX_MAX_PARTS or not set(names) >= DOCX_PARTS:
        return None
    return DOCX


def safe_filename(name: str, kind: str) -> str:
    """The uploaded name without any path, reduced to safe characters, with the extension
    that belongs to what the file is."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    stem = PurePosixPath(base).stem.replace("\x00", "")
    try:
        clean = get_valid_filename(stem)[:80]
    except Exception:  # Django refuses names that come out empty or as "." / ".."
        clean = ""
    return f"{clean or 'cv'}{'.pdf' if kind == PDF else '.docx'}"


def check_cv(upload: Any) -> CVFile:
    if upload.size > CV_MAX_BYTES:
        raise ValidationError(_("Het cv is groter dan 5 MB. Stuur een kleiner bestand."))
    if upload.size == 0:
        raise ValidationError(_("Het bestand is leeg."))
    content = upload.read(CV_MAX_BYTES + 1)
    if len(content) > CV_MAX_BYTES:
        raise ValidationError(_("Het cv is groter dan 5 MB. Stuur een kleiner bestand."))
    kind = _kind_of(content)
    if kind is None:
        raise ValidationError(_("Stuur je cv als pdf of als Word-bestand (.docx)."))
    return CVFile(safe_filename(upload.name, kind), kind, content)


def submitted_token(data: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(data.get("submission_token") or ""))
    except ValueError:
        return None


class ApplicationForm(StyledFormMixin, forms.Form):
    """The public letter of application."""

    first_name = forms.CharField(label=_("Voornaam"), max_length=100)
    last_name = forms.CharField(label=_("Achternaam"), max_length=100)
    email = forms.EmailField(label=_("E-mailadres"), max_length=254)
    phone = forms.CharField(label=_("Telefoonnummer"), max_length=30, required=False)
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=7,
        required=False,
        help_text=_("Van je woonplaats, bijvoorbeeld 3511 AB. Voor de reisafstand."),
    )
    region = forms.ModelChoiceField(
        label=_("In welke regio wil je werken?"),
        queryset=Region.objects.all(),
        empty_label=_("Kies een regio"),
    )
    languages = LanguageMultipleChoiceField(
        label=_("Welke talen en dialecten spreek je?"),
        queryset=Language.objects.all(),
        required=False,
        help_text=_("Typ om te zoeken. Kies alle talen waarin je een gesprek kunt voeren."),
    )
    availability = forms.MultipleChoiceField(
        label=_("Wanneer kun je werken?"),
        choices=Availability.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één moment.")},
    )
    motivation = forms.CharField(
        label=_("Je motivatie"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Waarom wil je Eigen Kracht-coördinator worden? Wat breng je mee?"),
    )
    cv = forms.FileField(
        label=_("Je cv"),
        help_text=_(
            "Een pdf of Word-bestand (.docx) van hoogstens 5 MB, met je "
            "persoonsgegevens en je werk- en levenservaring."
        ),
        error_messages={"required": _("Voeg je cv toe."), "empty": _("Het bestand is leeg.")},
    )
    consent = forms.BooleanField(
        label=_("Ik geef toestemming om deze gegevens te gebruiken voor mijn aanmelding"),
        error_messages={"required": _("Zonder je toestemming kunnen we je aanmelding niet lezen.")},
    )
    # Never seen by people; bots fill it in.
    website = forms.CharField(label=_("Laat dit veld leeg"), required=False)
    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4())
        self.fields["cv"].widget.attrs["accept"] = f".pdf,.docx,{PDF},{DOCX}"

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise ValidationError(_("Dit veld moet leeg blijven."))
        return ""

    def clean_postcode(self) -> Postcode | None:
        raw = (self.cleaned_data.get("postcode") or "").strip()
        if not raw:
            return None
        pc4 = pc4_of(raw)
        postcode = Postcode.objects.filter(pc4=pc4).first() if pc4 else None
        if postcode is None:
            raise ValidationError(_("Vul een Nederlandse postcode in, zoals 3511 AB."))
        return postcode

    def clean_cv(self) -> CVFile:
        return check_cv(self.cleaned_data["cv"])

    def application_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = ["first_name", "last_name", "email", "phone", "postcode", "region"]
        return {
            **{name: data[name] for name in names},
            "languages": data["languages"],
            "availability": list(data["availability"]),
            "motivation": data["motivation"],
            "cv": data["cv"],
            "submission_token": submitted_token(self.data),
        }


class ApplicationFilterForm(StyledFormMixin, forms.Form):
    stage = forms.ChoiceField(
        label=_("Fase"), choices=[("", _("Alle fases")), *Stage.choices], required=False
    )
    region = forms.ModelChoiceField(
        label=_("Regio"), queryset=Region.objects.all(), required=False, empty_label=_("Alle")
    )
    q = forms.CharField(label=_("Naam of e-mail"), max_length=100, required=False)


class SessionMoveForm(StyledFormMixin, forms.Form):
    """When and where a session is: planning it, and moving it later."""

    starts_on = forms.DateField(label=_("Eerste dag"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("Laatste dag"),
        widget=DateInput(),
        help_text=_("Bij een bijeenkomst van één dag: dezelfde datum."),
    )
    place = forms.CharField(label=_("Plaats en adres"), max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("De laatste dag ligt vóór de eerste dag."))
        if starts and starts < timezone.localdate():
            self.add_error("starts_on", _("Kies een datum vanaf vandaag."))
        return data


class SessionCancelForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Waarom gaat het niet door?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Voor de trainers en het bureau; de genodigden krijgen alleen bericht dat het "
            "niet doorgaat."
        ),
    )


class SessionForm(SessionMoveForm):
    field_order = ["kind", "starts_on", "ends_on", "place", "capacity", "trainers"]
    kind = forms.ChoiceField(label=_("Soort"), choices=SessionKind.choices)
    capacity = forms.IntegerField(label=_("Aantal plaatsen"), min_value=1, max_value=100)
    trainers = forms.ModelMultipleChoiceField(
        label=_("Trainers"),
        queryset=User.objects.filter(role=Role.TRAINER, is_active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één trainer.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trainers"].label_from_instance = lambda u: u.get_full_name() or u.email  # type: ignore[attr-defined]


class InviteForm(StyledFormMixin, forms.Form):
    applications = forms.ModelMultipleChoiceField(
        label=_("Wie nodig je uit?"),
        queryset=Application.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Kies wie je wilt uitnodigen."),
            "invalid_choice": _("Deze persoon kan niet worden uitgenodigd."),
            "invalid_pk_value": _("Deze persoon kan niet worden uitgenodigd."),
        },
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["applications"]
        field.queryset = candidates  # type: ignore[attr-defined]
        field.label_from_instance = lambda a: f"{a} ({a.region})"  # type: ignore[attr-defined]


class AttendanceForm(StyledFormMixin, forms.Form):
    present = forms.MultipleChoiceField(
        label=_("Wie was er?"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Wie je niet aanvinkt, staat als afwezig genoteerd."),
    )

    def __init__(self, *args: Any, invitations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(i.pk), str(i.application)) for i in invitations]  # type: ignore[attr-defined]

    def present_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data["present"]]


def _yes_or_no(label: StrOrPromise, yes: StrOrPromise, no: StrOrPromise) -> forms.Field:
    """Two radio buttons, cleaned to True (the first) or False."""
    return forms.TypedChoiceField(
        label=label,
        choices=[("yes", yes), ("no", no)],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


class AttendanceCorrectionForm(StyledFormMixin, forms.Form):
    """A recorded presence set right: who, whether they were there after all, and why."""

    invitation = forms.TypedChoiceField(label=_("Wie"), coerce=int)
    attended = _yes_or_no(_("Was deze persoon er?"), _("Ja, wel aanwezig"), _("Nee, niet aanwezig"))
    reason = forms.CharField(
        label=_("Wat was er mis?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bijvoorbeeld: vergeten aan te vinken."),
    )

    def __init__(self, *args: Any, invitations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        here, away = _("nu: aanwezig"), _("nu: afwezig")
        self.fields["invitation"].choices = [  # type: ignore[attr-defined]
            ("", _("Kies een persoon")),
            *((i.pk, f"{i.application} ({here if i.attended else away})") for i in invitations),
        ]


class SelfReportForm(StyledFormMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, question in REPORT_POINTS:
            self.fields[key] = forms.CharField(
                label=question,
                max_length=TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={"required": _("Schrijf hier een paar zinnen.")},
            )


class TrainerDecisionForm(StyledFormMixin, forms.Form):
    positive = _yes_or_no(
        _("Besluit"),
        _("Positief: de kandidaat gaat aan de slag"),
        _("Niet verder (na een gesprek)"),
    )
    talk_note = forms.CharField(
        label=_("Verslag van het gesprek"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Verplicht als het besluit niet positief is."),
    )


class WithdrawForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Waarom stopt de kandidaat?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld: het past nu niet naast werk en gezin."),
    )


class EvaluationForm(StyledFormMixin, forms.Form):
    positive = _yes_or_no(
        _("Uitkomst van de evaluatie"), _("Positief: certificaat"), _("Niet positief")
    )
    note = forms.CharField(
        label=_("Hoe ging de eerste conferentie?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class EK2ReportForm(StyledFormMixin, forms.Form):
    variants = forms.MultipleChoiceField(
        label=_("Welke soorten conferenties wil je ook organiseren?"),
        choices=[(v.value, v.label) for v in EXTRA_VARIANTS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Niets aangevinkt: alleen conferenties voor individu en familie."),
    )
    text = forms.CharField(
        label=_("Waarom past dit bij jou (of niet)?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reden"), max_length=300)
