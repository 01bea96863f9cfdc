"""Getting the final plan to everyone within two days: by e-mail with the PDF, or printed.

Everyone: the participants who took part, the professionals who attended, and the referrer
when the family agreed (recorded by the coordinator). One Distribution row per recipient per
plan version (unique), so a double click, two people at once, or a retry sends nothing
twice; a new version goes to everyone again.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import User
from kring.audit.log import record
from kring.audit.models import Action
from kring.cases.domain import advance
from kring.cases.models import Case, Door, Status
from kring.lib.errors import DomainError
from kring.plans.distribution.document import (
    PlanReaders,
    plan_readers,
    professional_relation,
    referrer_relation,
)
from kring.plans.distribution.family_link import LinkRefused, create_link
from kring.plans.distribution.hooks import plan_sent
from kring.plans.distribution.tasks import participant_plan_message, send_plan_mail
from kring.plans.models import Distribution, Plan, PlanStatus
from kring.plans.writing.editor import require_recorder
from kring.preparation.models import Participant

if TYPE_CHECKING:
    from kring.accounts.models import User
    from kring.preparation.models import Participant


class DistributionRefused(DomainError):
    """The plan cannot be sent (yet); says why in Dutch."""


@dataclass(frozen=True)
class Recipient:
    """One person the plan goes to; ``target`` is the Distribution field that names them."""

    name: str
    relation: str
    email: str
    address: str
    target: dict[str, Any]
    is_main_person: bool = False
    sent: Distribution | None = field(default=None, compare=False)

    @property
    def channel(self) -> str:
        return Distribution.Channel.EMAIL if self.email else Distribution.Channel.PRINT

    @property
    def by_email(self) -> bool:
        return self.channel == Distribution.Channel.EMAIL

    @property
    def key(self) -> tuple[str, int]:
        ((name, person),) = self.target.items()
        return name, person.pk


def _key(distribution: Distribution) -> tuple[str, int]:
    for name in ("participant", "involvement", "referrer"):
        pk = getattr(distribution, f"{name}_id")
        if pk is not None:
            return name, pk
    raise ValueError(distribution)


def _recipients(readers: PlanReaders) -> list[Recipient]:
    rows = [
        Recipient(p.name, p.relation, p.email, p.address, {"participant": p}, p.is_main_person)
        for p in readers.participants
    ]
    rows += [
        Recipient(i.name, professional_relation(i), i.email, "", {"involvement": i})
        for i in readers.professionals
    ]
    if readers.referrer is not None:
        referrer = readers.referrer
        relation = referrer_relation(referrer)
        rows.append(
            Recipient(
                referrer.get_full_name(), relation, referrer.email, "", {"referrer": referrer}
            )
        )
    return rows


def recipients(plan: Plan) -> list[Recipient]:
    """Everyone who should receive this version, with what was sent to them already."""
    sent = {_key(d): d for d in Distribution.objects.filter(plan=plan, plan_version=plan.version)}
    return [replace(row, sent=sent.get(row.key)) for row in _recipients(plan_readers(plan))]


def distribution_log(plan: Plan) -> QuerySet[Distribution]:
    """Who got which version, how, when and from whom: newest first."""
    return (
        Distribution.objects.filter(plan=plan)
        .select_related("participant", "involvement", "referrer", "sent_by")
        .order_by("-sent_at", "-plan_version", "participant__name", "id")
    )


def refusal(plan: Plan | None) -> str:
    """Why the plan cannot be sent now, or an empty string."""
    if plan is None:
        return _("Er is nog geen plan voor dit traject.")
    if plan.status != PlanStatus.FINAL:
        return _("Het plan is nog niet definitief. Pas een definitief plan kan worden verstuurd.")
    return ""


@transaction.atomic
def send_plan(
    plan: Plan, *, by: User, version: int | None = None, now: datetime | None = None
) -> list[Distribution]:
    """Send the final plan to everyone who has not had this version: mail with the PDF for
    those with an e-mail address, a print for the others. Marks the plan sent and moves the
    case from 'held' to 'plan sent'. Returns what was sent now (empty on a repeat).

    ``version`` is the version the sender saw; when the plan changed since, nothing is sent.
    """
    case = plan.case
    if not by.has_perm("cases.prepare_case", case):
        raise PermissionDenied
    # The lock queues a double click behind the first; the second then finds all sent.
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    locked.case = case
    reason = refusal(locked)
    if reason:
        raise DistributionRefused(reason)
    if version is not None and version != locked.version:
        raise DistributionRefused(
            _("Het plan is intussen gewijzigd. Bekijk de nieuwe versie en verstuur opnieuw.")
        )
    now = now or timezone.now()
    sent = [
        Distribution.objects.create(
            plan=locked,
            plan_version=locked.version,
            channel=row.channel,
            sent_at=now,
            sent_by=by,
            **row.target,
        )
        for row in recipients(locked)
        if row.sent is None
    ]
    if not sent:
        return sent
    for distribution in sent:
        if distribution.channel == Distribution.Channel.EMAIL:
            transaction.on_commit(partial(send_plan_mail.enqueue, distribution.pk))
    if locked.sent_at is None:
        # The first sending is the one the two-day deadline is about, and the one that
        # starts what follows a sent plan (the evaluation's questionnaires).
        locked.sent_at = now
        locked.save(update_fields=["sent_at"])
        plan_sent(locked, by, now)
    record(
        by,
        Action.PLAN_SENT,
        case=case,
        obj=locked,
        version=locked.version,
        email=sum(d.channel == Distribution.Channel.EMAIL for d in sent),
        print=sum(d.channel == Distribution.Channel.PRINT for d in sent),
    )
    if Case.objects.filter(pk=case.pk, status=Status.HELD).exists():
        advance(case, Status.PLAN_SENT, by=by, door=Door.DISTRIBUTION)
    return sent


@transaction.atomic
def record_referrer_consent(plan: Plan, *, given: bool, by: User) -> bool:
    """Write down whether the family agrees that the referrer gets the plan (the
    coordinator does, for the family). False when nothing changed."""
    case = plan.case
    require_recorder(case, by)
    if case.request.referrer_id is None:
        raise DistributionRefused(_("Dit traject heeft geen verwijzer."))
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if given == (locked.referrer_consent_at is not None):
        return False
    locked.referrer_consent_at = timezone.now() if given else None
    locked.referrer_consent_by = by if given else None
    locked.save(update_fields=["referrer_consent_at", "referrer_consent_by"])
    record(
        by,
        Action.PLAN_CHANGED,
        case=case,
        obj=locked,
        change="referrer_consent_given" if given else "referrer_consent_withdrawn",
        referrer=case.request.referrer_id,
    )
    plan.referrer_consent_at = locked.referrer_consent_at
    plan.referrer_consent_by = locked.referrer_consent_by
    return True


def request_link_by_mail(plan: Plan, participant: Participant, *, by: User) -> None:
    """Mail a main person a new link. The link is made in the mail task, so the token
    exists only in that worker's memory and in the mail, never in the task queue."""
    if not by.has_perm("cases.prepare_case", plan.case):
        raise PermissionDenied
    if participant.case_id != plan.case_id or not participant.is_main_person:
        raise LinkRefused(_("Alleen een hoofdpersoon krijgt een eigen link."))
    if not participant.email:
        raise LinkRefused(_("Van deze hoofdpersoon is geen e-mailadres bekend."))
    if plan.status != PlanStatus.FINAL:
        raise LinkRefused(_("Maak de link als het plan definitief is."))
    transaction.on_commit(
        lambda: create_and_mail_family_link.enqueue(plan.pk, participant.pk, by.pk)
    )


@task()
def create_and_mail_family_link(plan_id: int, participant_id: int, by_id: int) -> int:
    """Make a main person's link here and mail it: the token never enters the task queue.
    The link is saved only if the mail went out (one transaction)."""
    plan = Plan.objects.select_related("case__coordinator", "case__request").get(pk=plan_id)
    participant = Participant.objects.get(pk=participant_id, case=plan.case)
    by = User.objects.get(pk=by_id)
    with transaction.atomic():
        link, token = create_link(plan, participant, by=by, channel="email")
        url = settings.SITE_URL.rstrip("/") + reverse("plans:family_plan", args=[token])
        return participant_plan_message(plan, participant, "family_link", url=url, link=link).send()
