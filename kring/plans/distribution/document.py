"""The plan document: what the family reads on paper, on a phone, or as a PDF.

Built from the models directly: the question, the agreements per life domain (who / what /
when), the next meeting, who calls together, the emergency plan, the circle diagram and the
participants (names and relation only: the document goes to everyone, so no contact details,
and nobody who was kept out of the conference for safety). The professionals who attended,
and the referrer when the family agreed to send them the plan, are participants too.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kring.audit.log import record
from kring.audit.models import Action
from kring.cases.choices import LifeDomain
from kring.lib.languages import render_in
from kring.lib.pdf import render_to_pdf
from kring.plans.models import Agreement, Attendance, Conference, Plan, PlanStatus
from kring.plans.writing.editor import agreements_of
from kring.preparation.circle.diagram import (
    CHAR_WIDTH,
    OutsidePerson,
    PersonLike,
    TextLabel,
    render_circle_drawing,
)
from kring.preparation.models import InvitationStatus, Participant, ProfessionalInvolvement
from kring.preparation.professionals.domain import case_question, conditions_for_case

if TYPE_CHECKING:
    from kring.accounts.models import User
    from kring.cases.models import Case

PDF_TEMPLATE = "plans/distribution/document_pdf.html"
# The circle diagram in the PDF, in mm: at most the width of the page between its margins.
DIAGRAM_MAX_WIDTH_MM = 174.0
DIAGRAM_MAX_HEIGHT_MM = 200.0
_PT_PER_MM = 72 / 25.4
_ASCENT = 0.85  # of the font size: from the top of a line (line-height 1) to its baseline
_DOMAIN_ORDER = {value: index for index, value in enumerate(LifeDomain.values)}
_COMING = [InvitationStatus.COMES, InvitationStatus.CONDITIONAL]


@dataclass(frozen=True)
class AgreementRow:
    agreement: Agreement
    who: str
    when: str

    @property
    def what(self) -> str:
        return self.agreement.what


@dataclass(frozen=True)
class DomainGroup:
    domain: str
    label: str
    rows: list[AgreementRow]


@dataclass(frozen=True)
class PersonLine:
    name: str
    relation: str
    is_main_person: bool


# ---------- Reads ----------


def plan_of(case: Case) -> Plan | None:
    return Plan.objects.filter(case=case).first()


def who_text(agreement: Agreement) -> str:
    names = [person.name for person in agreement.who_participants.all()]
    if agreement.who_organisation is not None:
        names.append(agreement.who_organisation.name)
    return ", ".join(names) or "—"


def when_text(agreement: Agreement) -> str:
    parts = [agreement.when.strip()] if agreement.when.strip() else []
    if agreement.due_on is not None:
        parts.append(_("uiterlijk %(date)s") % {"date": date_format(agreement.due_on, "j F Y")})
    return ", ".join(parts) or "—"


def group_by_domain(agreements: Iterable[Agreement]) -> list[DomainGroup]:
    """Agreements per life domain, the domains in the fixed order of the list of domains."""
    groups: dict[str, list[AgreementRow]] = {}
    for agreement in agreements:
        row = AgreementRow(agreement, who_text(agreement), when_text(agreement))
        groups.setdefault(agreement.life_domain, []).append(row)
    return [
        DomainGroup(domain, _domain_label(domain), rows)
        for domain, rows in sorted(groups.items(), key=lambda item: _domain_order(item[0]))
    ]


def _domain_order(domain: str) -> int:
    return _DOMAIN_ORDER.get(domain, len(_DOMAIN_ORDER))


def _domain_label(domain: str) -> str:
    return str(LifeDomain(domain).label) if domain in LifeDomain.values else domain


def attended_ids(case: Case) -> set[int]:
    """Participants recorded as present in any phase of the conference."""
    return set(
        Attendance.objects.filter(conference__case=case, participant__isnull=False).values_list(
            "participant_id", flat=True
        )
    )


def took_part(case: Case) -> QuerySet[Participant]:
    """Everyone who should get the plan: the main persons and whoever attended.

    When no attendance was recorded, those who said they would come stand in for it.
    """
    present = attended_ids(case)
    took = Q(pk__in=present) if present else Q(status__in=_COMING)
    return (
        Participant.objects.filter(case=case)
        .filter(Q(is_main_person=True) | took)
        .exclude(status=InvitationStatus.NOT_INVITED_SAFETY)
        .order_by("-is_main_person", "name", "id")
    )


def attended_professionals(case: Case) -> list[ProfessionalInvolvement]:
    """Professionals recorded as present in some phase of the conference."""
    present = Attendance.objects.filter(conference__case=case, professional__isnull=False)
    return list(
        ProfessionalInvolvement.objects.filter(case=case, pk__in=present.values("professional_id"))
        .select_related("organisation")
        .order_by("name", "id")
    )


def consenting_referrer(plan: Plan) -> User | None:
    """The referrer, when the family agreed that they get the plan."""
    request = plan.case.request
    if plan.referrer_consent_at is None or request.referrer_id is None:
        return None
    return request.referrer


@dataclass(frozen=True)
class PlanReaders:
    """Everyone the plan goes to: the circle's participants who took part, the
    professionals who attended, and the referrer with the family's consent. Someone already
    in the circle (the same e-mail address) is not counted twice."""

    participants: list[Participant]
    professionals: list[ProfessionalInvolvement]
    referrer: User | None


def plan_readers(plan: Plan) -> PlanReaders:
    participants = list(took_part(plan.case))
    seen = {p.email.casefold() for p in participants if p.email}
    professionals = []
    for involvement in attended_professionals(plan.case):
        if involvement.email.casefold() not in seen:
            seen.add(involvement.email.casefold())
            professionals.append(involvement)
    referrer = consenting_referrer(plan)
    if referrer is not None and referrer.email.casefold() in seen:
        referrer = None
    return PlanReaders(participants, professionals, referrer)


def professional_relation(involvement: ProfessionalInvolvement) -> str:
    parts = [involvement.role.strip(), involvement.organisation.name]
    return ", ".join(part for part in parts if part)


def referrer_relation(referrer: User) -> str:
    organisation = referrer.organisation.name if referrer.organisation is not None else ""
    if organisation:
        return _("verwijzer, %(organisation)s") % {"organisation": organisation}
    return _("verwijzer")


def outside_people(readers: PlanReaders) -> list[OutsidePerson]:
    """The professionals and the referrer, as people on the circle map and in the list."""
    people = [
        OutsidePerson(involvement.name, professional_relation(involvement))
        for involvement in readers.professionals
    ]
    if readers.referrer is not None:
        referrer = readers.referrer
        people.append(OutsidePerson(referrer.get_full_name(), referrer_relation(referrer)))
    return people


def circle_for_diagram(case: Case) -> list[Participant]:
    """The circle as everyone may see it: without the people kept away for safety."""
    return list(
        Participant.objects.filter(case=case)
        .exclude(status=InvitationStatus.NOT_INVITED_SAFETY)
        .order_by("id")
    )


@dataclass(frozen=True)
class FigureLabel:
    text: str
    css_class: str
    style: str


@dataclass(frozen=True)
class CircleFigure:
    """The circle diagram for the PDF: a text-less SVG (``src``) with its texts as HTML
    labels positioned over it, all in millimetres."""

    src: str
    style: str
    labels: list[FigureLabel]


def circle_figure(people: Sequence[PersonLike]) -> CircleFigure:
    main_names = [person.name for person in people if person.is_main_person]
    drawing = render_circle_drawing(people, main_names, title=_("Onze kring"))
    scale = min(DIAGRAM_MAX_WIDTH_MM / drawing.width, DIAGRAM_MAX_HEIGHT_MM / drawing.height)
    return CircleFigure(
        svg_data_uri(drawing.svg),
        f"width:{drawing.width * scale:.1f}mm;height:{drawing.height * scale:.1f}mm",
        [_figure_label(label, scale) for label in drawing.labels],
    )


def _figure_label(label: TextLabel, scale: float) -> FigureLabel:
    """A label as a box of about the text's width, aligned on its anchor like SVG text."""
    width = len(label.text) * label.size * CHAR_WIDTH * (1.1 if label.bold else 1.0) + 4
    left = {"start": label.x, "end": label.x - width}.get(label.anchor, label.x - width / 2)
    top = label.y - _ASCENT * label.size
    css_class = f"l {label.anchor}" + (" b" if label.bold else "") + (" o" if label.outline else "")
    style = (
        f"left:{left * scale:.1f}mm;top:{top * scale:.1f}mm;width:{width * scale:.1f}mm;"
        f"font-size:{label.size * scale * _PT_PER_MM:.1f}pt"
    )
    return FigureLabel(label.text, css_class, style)


def svg_data_uri(svg: str) -> str:
    """The diagram as a data: URI for an <img> in the PDF: self-contained (the PDF fetcher
    allows only data:), and WeasyPrint parses it as XML, faster than inline SVG in HTML."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def plan_document_context(plan: Plan) -> dict[str, Any]:
    """Everything the plan document (PDF) shows, in a fixed number of queries."""
    case = plan.case
    readers = plan_readers(plan)
    outside = outside_people(readers)
    circle: list[PersonLike] = [*circle_for_diagram(case), *outside]
    people = [PersonLine(p.name, p.relation, p.is_main_person) for p in readers.participants]
    people += [PersonLine(p.name, p.relation, False) for p in outside]
    return {
        "plan": plan,
        "case": case,
        "conference": Conference.objects.filter(case=case).first(),
        "is_final": plan.status == PlanStatus.FINAL,
        "question": case_question(case).strip(),
        "groups": group_by_domain(agreements_of(plan)),
        "conditions": conditions_for_case(case),
        "people": people,
        "main_names": [p.name for p in people if p.is_main_person],
        "circle": circle_figure(circle) if circle else None,
        "coordinator_name": case.coordinator.get_full_name() if case.coordinator else "",
    }


# ---------- The PDF ----------


def render_plan_pdf(plan: Plan, language: str | None = "nl") -> bytes:
    """The plan's PDF with its frame (headings, the questions, the participants) in
    ``language``, right to left for Arabic and Farsi. The plan's own text is the family's,
    in whatever language they wrote it. A language whose catalogue lacks a string of the
    frame gets the Dutch frame (kring/lib/languages.py): unlike a mail, the plan is not
    repeated in English, which would print the family's agreements twice."""
    rendered = render_in(language, lambda: _frame_pdf(plan), fallback=("nl",))
    return rendered.parts[0]


def _frame_pdf(plan: Plan) -> bytes:
    language = translation.get_language()
    context = {
        **plan_document_context(plan),
        "pdf_language": language,
        "pdf_bidi": translation.get_language_bidi(),
    }
    return render_to_pdf(PDF_TEMPLATE, context, language=language)


def pdf_filename(plan: Plan) -> str:
    return f"ons-plan-{plan.case.request.reference}-v{plan.version}.pdf"


def log_pdf_viewed(user: User, plan: Plan) -> None:
    record(user, Action.PLAN_PDF_VIEWED, case=plan.case, obj=plan, version=plan.version)
