"""Removing personal data: past its retention period (``purge_expired``, daily) or on a data
subject's request (GDPR art. 17). Both go through ``purge_case``, which blanks one kind of a
case's data in place (see ``retention.SCRUBS``), records that it did, and logs it without
any of the removed content."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from kring.accounts.once import forget_submissions
from kring.audit.log import record
from kring.audit.models import Action, Outcome
from kring.cases.models import Case
from kring.lib.errors import DomainError
from kring.privacy.models import (
    CasePurge,
    DataKind,
    Ground,
    LegalHold,
    PurgeRun,
    RequestStatus,
    SubjectRequest,
)
from kring.privacy.retention import SCRUBS, closed_before, months_before
from kring.stats.facts import refresh

if TYPE_CHECKING:
    from kring.accounts.models import User

FINISHED_TASKS = [TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]


class ErasureRefused(DomainError):
    """The law or the case does not allow erasure now; the message says why, in Dutch."""


def purge_case(
    case: Case,
    kind: DataKind,
    *,
    ground: Ground,
    by: User | None = None,
    subject_request: SubjectRequest | None = None,
) -> bool:
    """Blank ``kind`` of ``case``'s personal data once; False when it was already gone."""
    with transaction.atomic():
        Case.objects.select_for_update().get(pk=case.pk)
        if CasePurge.objects.filter(case=case, kind=kind).exists():
            return False
        refresh([case.pk])  # the figures are final before their sources lose their texts
        for scrub in SCRUBS[kind]:
            rows = apps.get_model(scrub.model).objects.filter(**{scrub.case_path: case.pk})
            if scrub.delete:
                rows.delete()
            else:
                # A queryset update: no save signals, so the figures are not recomputed.
                rows.update(**scrub.fields)
        CasePurge.objects.create(
            case=case,
            kind=kind,
            ground=ground,
            purged_at=timezone.now(),
            subject_request=subject_request,
        )
        record(by, Action.DATA_PURGED, case=case, kind=str(kind), ground=str(ground))
    return True


def erasure_refusal(case: Case) -> str:
    """Why the case's data may not be erased now (Dutch), or "" when it may."""
    if case.is_open:
        return _(
            "Het traject loopt nog. Gegevens worden pas verwijderd als het traject is "
            "afgesloten; zonder deze gegevens kan de conferentie niet doorgaan."
        )
    hold = LegalHold.objects.filter(case=case, lifted_at__isnull=True).first()
    if hold is not None:
        return _("Er geldt een juridische bewaarplicht voor dit traject: %(reason)s") % {
            "reason": hold.reason
        }
    return ""


def erase_case(case: Case, subject_request: SubjectRequest, *, by: User) -> None:
    """Erase every kind of the case's personal data on the subject's request, or refuse with
    the reason; either way the request is done and both are logged."""
    refusal = erasure_refusal(case)
    if refusal:
        with transaction.atomic():
            record(by, Action.ERASURE_REFUSED, case=case, outcome=Outcome.REFUSED)
            finish_request(subject_request, RequestStatus.REFUSED, refusal)
        raise ErasureRefused(refusal)
    with transaction.atomic():
        for kind in DataKind:
            purge_case(case, kind, ground=Ground.ERASURE, by=by, subject_request=subject_request)
        finish_request(subject_request, RequestStatus.DONE, _("Gegevens verwijderd."))
        # The request itself must not keep what was erased: only its kind, dates and reason.
        SubjectRequest.objects.filter(pk=subject_request.pk).update(
            subject_name="", subject_email=""
        )


def finish_request(subject_request: SubjectRequest, status: RequestStatus, outcome: str) -> None:
    """Close a data subject's request (access answered, erasure done or refused)."""
    subject_request.status = status
    subject_request.outcome = outcome[:300]
    subject_request.done_at = timezone.now()
    subject_request.save(update_fields=["status", "outcome", "done_at"])


@dataclass
class PurgeReport:
    purged: dict[str, int] = field(default_factory=dict)
    held: int = 0
    tasks: int = 0
    subject_requests: int = 0
    submissions: int = 0

    def total(self) -> int:
        return sum(self.purged.values())


def purge_expired(now: datetime | None = None) -> PurgeReport:
    """Remove every kind of data past its period, counted from the case's closing; cases
    under a legal hold wait. Idempotent: what is gone is not removed twice."""
    now = now or timezone.now()
    report = PurgeReport()
    held = set(LegalHold.objects.filter(lifted_at__isnull=True).values_list("case_id", flat=True))
    for kind in DataKind:
        done = CasePurge.objects.filter(kind=kind).values("case_id")
        due = Case.objects.filter(closed_at__lt=closed_before(kind, now)).exclude(pk__in=done)
        count = 0
        for case in due.exclude(pk__in=held).order_by("pk").iterator():
            count += purge_case(case, kind, ground=Ground.RETENTION)
        report.purged[str(kind)] = count
        report.held += due.filter(pk__in=held).count()
    report.tasks = _purge_finished_tasks(now)
    report.subject_requests = _purge_subject_requests(now)
    report.submissions = forget_submissions(now)
    return report


def _purge_finished_tasks(now: datetime) -> int:
    """Finished background tasks (mail among them) are a log of what was sent to whom."""
    cutoff = now - timedelta(days=settings.KRING_RETENTION_MAIL_DAYS)
    old = DBTaskResult.objects.filter(status__in=FINISHED_TASKS, finished_at__lt=cutoff)
    return old.delete()[0]


def _purge_subject_requests(now: datetime) -> int:
    """A done request keeps its kind, dates and outcome; the person's name and address go."""
    cutoff = months_before(now, settings.KRING_RETENTION_SUBJECT_REQUEST_MONTHS)
    done = SubjectRequest.objects.filter(done_at__lt=cutoff).exclude(
        subject_name="", subject_email=""
    )
    return done.update(subject_name="", subject_email="")


def purge_today(now: datetime | None = None) -> int:
    """The daily run for the periodic task: once per day, whichever process claims it."""
    now = now or timezone.now()
    _, claimed = PurgeRun.objects.get_or_create(day=timezone.localdate(now))
    if not claimed:
        return 0
    report = purge_expired(now)
    PurgeRun.objects.filter(day=timezone.localdate(now)).update(purged=report.total())
    return report.total()
