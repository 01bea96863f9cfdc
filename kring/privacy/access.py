"""A data subject's access (GDPR art. 15): everything Kring holds about one person, found by
e-mail address or name across requests, main persons, the circle, professionals and
accounts, as a ZIP with the data as JSON and a PDF summary."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.audit.log import record
from kring.audit.models import Action, AuditEvent
from kring.cases.models import Case, CaseRemark
from kring.intake.models import InformativeTalk, MainPerson, Request
from kring.lib.pdf import render_to_pdf
from kring.plans.models import Agreement, FollowUp, Plan
from kring.preparation.models import ContactNote, Participant, ProfessionalInvolvement
from kring.privacy.models import RequestStatus, SubjectRequest
from kring.privacy.purge import finish_request

# Secrets, tokens and keys (or their hashes) are not the person's data; never exported.
HIDDEN_PARTS = ("password", "token", "key", "secret")


@dataclass
class Found:
    """The rows that are about the person, per kind, and the cases they appear in."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    case_ids: set[int] = field(default_factory=set)

    def add(self, kind: str, objects: models.QuerySet[Any], case_of: str = "") -> None:
        for obj in objects:
            self.rows.setdefault(kind, []).append(as_dict(obj))
            if case_of:
                self.case_ids.add(_path(obj, case_of))


def as_dict(obj: models.Model) -> dict[str, Any]:
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if not any(part in f.name for part in HIDDEN_PARTS)
    }


def _path(obj: Any, path: str) -> int:
    for part in path.split("."):
        obj = getattr(obj, part)
    return int(obj)


def _match(name: str, email: str, name_field: str, email_field: str = "") -> Q:
    """Rows whose name or address is the person's (case-insensitive, exact)."""
    query = Q(pk__in=[])
    if name and name_field:
        query |= Q(**{f"{name_field}__iexact": name})
    if email and email_field:
        query |= Q(**{f"{email_field}__iexact": email})
    return query


def find_person(name: str, email: str) -> Found:
    name, email = name.strip(), email.strip()
    found = Found()
    requests = Request.objects.filter(
        _match(name, email, "requester_name", "requester_email")
        | Q(main_persons__in=MainPerson.objects.filter(_match(name, "", "name")))
    ).distinct()
    found.add("aanvragen", requests.select_related("case"), "case.pk")
    found.add(
        "hoofdpersonen", MainPerson.objects.filter(_match(name, "", "name")), "request.case.pk"
    )
    participants = Participant.objects.filter(_match(name, email, "name", "email"))
    found.add("kring", participants, "case_id")
    found.add("contactnotities", ContactNote.objects.filter(participant__in=participants))
    found.add(
        "professionals",
        ProfessionalInvolvement.objects.filter(_match(name, email, "name", "email")),
        "case_id",
    )
    found.add(
        "informatieve_gesprekken",
        InformativeTalk.objects.filter(_match(name, email, "with_whom", "contact")),
    )
    users = User.objects.filter(_match("", email, "", "email") | Q(pk__in=_users_named(name)))
    found.add("accounts", users)
    _add_case_data(found)
    return found


def _users_named(name: str) -> list[int]:
    if not name:
        return []
    first, _, last = name.partition(" ")
    return list(
        User.objects.filter(first_name__iexact=first, last_name__iexact=last).values_list(
            "pk", flat=True
        )
    )


def _add_case_data(found: Found) -> None:
    """For each case the person appears in: its course and the reasons typed on it, the
    family's plan and follow-up, and who read or changed it (the log, GDPR art. 15(1)(c):
    the recipients)."""
    ids = sorted(found.case_ids)
    found.add("trajecten", Case.objects.filter(pk__in=ids))
    # Reasons typed for a move, a pause or a date given up (they may name the person).
    found.add("toelichtingen", CaseRemark.objects.filter(case_id__in=ids))
    found.add("plannen", Plan.objects.filter(case_id__in=ids))
    found.add("afspraken", Agreement.objects.filter(plan__case_id__in=ids))
    found.add("nazorg", FollowUp.objects.filter(case_id__in=ids))
    found.add("logboek", AuditEvent.objects.filter(case_id__in=ids).order_by("at", "id"))


def summary(found: Found, name: str, email: str) -> dict[str, Any]:
    cases = Case.objects.filter(pk__in=found.case_ids).select_related("request")
    return {
        "name": name,
        "email": email,
        "made_at": timezone.now(),
        "counts": sorted((kind, len(rows)) for kind, rows in found.rows.items()),
        "cases": cases.order_by("opened_at"),
    }


def export_zip(name: str, email: str) -> bytes:
    """The ZIP for the person: ``gegevens.json`` (every row found) and ``overzicht.pdf``."""
    found = find_person(name, email)
    data = {"betrokkene": {"naam": name, "e-mail": email}, **found.rows}
    pdf = render_to_pdf("privacy/access_summary.html", summary(found, name, email))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "gegevens.json", json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        )
        archive.writestr("overzicht.pdf", pdf)
    return buffer.getvalue()


def answer_access_request(subject_request: SubjectRequest, *, by: User) -> bytes:
    """Make the access export for a request, log it, and close the request the first time."""
    archive = export_zip(subject_request.subject_name, subject_request.subject_email)
    with transaction.atomic():
        locked = SubjectRequest.objects.select_for_update().get(pk=subject_request.pk)
        record(by, Action.SUBJECT_ACCESS_EXPORTED, obj=locked)
        if locked.status == RequestStatus.NEW:
            finish_request(locked, RequestStatus.DONE, _("Inzage-export gemaakt."))
    return archive
