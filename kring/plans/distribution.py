"""Getting the final plan to everyone within two days: by e-mail with the PDF, or printed.

One Distribution row per participant per plan version (unique), so a double click, two
people at once, or a retry sends nothing twice; a new version goes to everyone again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.audit.log import record
from kring.audit.models import Action
from kring.cases.domain import move_case
from kring.cases.models import Case, Status
from kring.plans.document import took_part
from kring.plans.models import Distribution, Plan, PlanStatus
from kring.preparation.models import Participant

if TYPE_CHECKING:
    from kring.accounts.models import User


class DistributionRefused(Exception):
    """The plan cannot be sent (yet); says why in Dutch."""


@dataclass(frozen=True)
class Recipient:
    participant: Participant
    channel: str
    sent: Distribution | None

    @property
    def by_email(self) -> bool:
        return self.channel == Distribution.Channel.EMAIL


def channel_for(participant: Participant) -> str:
    return Distribution.Channel.EMAIL if participant.email else Distribution.Channel.PRINT


def recipients(plan: Plan) -> list[Recipient]:
    """Everyone who should receive this version, with what was sent to them already."""
    sent = {
        d.participant_id: d
        for d in Distribution.objects.filter(plan=plan, plan_version=plan.version)
    }
    return [
        Recipient(participant, channel_for(participant), sent.get(participant.pk))
        for participant in took_part(plan.case)
    ]


def distribution_log(plan: Plan) -> QuerySet[Distribution]:
    """Who got which version, how, when and from whom: newest first."""
    return (
        Distribution.objects.filter(plan=plan)
        .select_related("participant", "sent_by")
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
    from kring.plans.document_tasks import send_plan_mail

    case = plan.case
    if not by.has_perm("cases.prepare_case", case):
        raise PermissionDenied
    # The lock queues a double click behind the first; the second then finds all sent.
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    reason = refusal(locked)
    if reason:
        raise DistributionRefused(reason)
    if version is not None and version != locked.version:
        raise DistributionRefused(
            _("Het plan is intussen gewijzigd. Bekijk de nieuwe versie en verstuur opnieuw.")
        )
    now = now or timezone.now()
    already = set(
        Distribution.objects.filter(plan=locked, plan_version=locked.version).values_list(
            "participant_id", flat=True
        )
    )
    sent = [
        Distribution.objects.create(
            plan=locked,
            participant=participant,
            plan_version=locked.version,
            channel=channel_for(participant),
            sent_at=now,
            sent_by=by,
        )
        for participant in took_part(case).exclude(pk__in=already)
    ]
    if not sent:
        return sent
    for distribution in sent:
        if distribution.channel == Distribution.Channel.EMAIL:
            transaction.on_commit(partial(send_plan_mail.enqueue, distribution.pk))
    if locked.sent_at is None:
        # The first sending is the one the two-day deadline is about.
        locked.sent_at = now
        locked.save(update_fields=["sent_at"])
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
        move_case(case, Status.PLAN_SENT, by=by)
    return sent
