"""After the plan: the coordinator's follow-up call, the implementation registration, and the
reminders for both.

Recording the follow-up ends the coordinator's involvement (and with it their access: the case
leaves INVOLVED_STATUSES). The implementation registration, by a manager, closes the case.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import partial
from typing import TypedDict

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kring.accounts.models import Role, User
from kring.audit.log import record
from kring.audit.models import Action
from kring.cases import clocks, hooks
from kring.cases.domain import advance
from kring.cases.models import Case, Door, Status
from kring.lib.errors import DomainError
from kring.plans.aftercare.tasks import (
    send_follow_up_reminder_mail,
    send_implementation_reminder_mail,
)
from kring.plans.models import Agreement, Cause, FollowUp, Implementation
from kring.preparation.models import SentReminder

FOLLOW_UP_REMINDER_KIND = "follow_up"
IMPLEMENTATION_REMINDER_KIND = "implementation"
IMPLEMENTATION_ESCALATION_KIND = "implementation_escalated"
# The coordinator hears about the follow-up call a couple of days before it is due.
FOLLOW_UP_REMINDER_AHEAD = timedelta(days=2)


class AftercareError(DomainError):
    """A refused follow-up or registration, with a Dutch message for the screen."""


# ---------- Early, with a reason ----------

EARLY_REFUSALS = {
    "follow_up": gettext_lazy(
        "De nazorg is pas vier weken na het versturen van het plan aan de beurt. Schrijf op "
        "waarom het nu al moet (bijvoorbeeld: de familie vraagt erom)."
    ),
    "implementation": gettext_lazy(
        "De uitvoering wordt pas drie maanden na het versturen van het plan geregistreerd. "
        "Schrijf op waarom het nu al moet (bijvoorbeeld: de familie vraagt erom)."
    ),
}


def is_early(case: Case, step: str, now: datetime | None = None) -> bool:
    """Whether the follow-up or the implementation registration comes before its time."""
    opens = case.follow_up_due if step == "follow_up" else case.implementation_due
    return clocks.is_early(opens, now or timezone.now())


class _EarlyDetail(TypedDict, total=False):
    early_reason: bool


def _early_reason(case: Case, step: str, reason: str) -> _EarlyDetail:
    """Refuse an early step without a reason; keep the reason on the (locked) case. Returns
    what the log row adds."""
    if not is_early(case, step):
        return {}
    if not reason:
        raise AftercareError(str(EARLY_REFUSALS[step]))
    field = f"early_{step}_reason"
    setattr(case, field, reason[:300])
    case.save(update_fields=[field])
    # The text stays on the case (purged with it), out of the append-only log.
    return {"early_reason": True}


# ---------- Follow-up ----------


def record_follow_up(
    case: Case, *, by: User, spoken_with: str, how_it_goes: str, early_reason: str = ""
) -> FollowUp:
    """Record the follow-up and move PLAN_SENT → FOLLOWED_UP; the coordinator's part ends.

    Before four weeks after the plan was sent only with a reason (e.g. the family asks), kept
    on the case and in the log row. A second submit returns the follow-up already recorded.
    """
    if not by.has_perm("cases.prepare_case", case):
        raise PermissionDenied
    if not spoken_with.strip() or not how_it_goes.strip():
        raise AftercareError(_("Vul in met wie u sprak en hoe het gaat."))
    texts = (spoken_with.strip(), how_it_goes.strip(), early_reason.strip())
    try:
        return _record_follow_up(case.pk, by, *texts)
    except IntegrityError:
        existing = FollowUp.objects.filter(case_id=case.pk).first()
        if existing is None:
            raise
        return existing


@transaction.atomic
def _record_follow_up(
    case_id: int, by: User, spoken_with: str, how_it_goes: str, early_reason: str
) -> FollowUp:
    case = Case.objects.select_for_update().get(pk=case_id)
    existing = FollowUp.objects.filter(case=case).first()
    if existing is not None:
        return existing
    if case.status != Status.PLAN_SENT:
        raise AftercareError(_("Nazorg vastleggen kan als het plan verstuurd is."))
    early = _early_reason(case, "follow_up", early_reason)
    follow_up = FollowUp.objects.create(
        case=case, spoken_with=spoken_with, how_it_goes=how_it_goes, recorded_by=by
    )
    record(by, Action.FOLLOW_UP_RECORDED, case=case, obj=follow_up, **early)
    advance(case, Status.FOLLOWED_UP, by=by, door=Door.FOLLOW_UP)
    return follow_up


def follow_up_recorded_by(case_pk: int, user: User) -> bool:
    """Whether this user recorded the follow-up of this case (for a double submit, when
    the first submit has already ended their access)."""
    return FollowUp.objects.filter(case_id=case_pk, recorded_by=user).exists()


# ---------- Implementation registration ----------


def agreements_to_register(case: Case) -> QuerySet[Agreement]:
    return (
        Agreement.objects.filter(plan__case=case)
        .select_related("who_organisation")
        .prefetch_related("who_participants")
        .order_by("position", "id")
    )


def implementation_problems(
    agreement_ids: list[int], results: Mapping[int, tuple[str, str]]
) -> dict[int, dict[str, str]]:
    """Per agreement, what is missing, in Dutch: the implementation always, and where not
    fully carried out, the cause."""
    problems: dict[int, dict[str, str]] = {}
    for pk in agreement_ids:
        implementation, cause = results.get(pk, ("", ""))
        if implementation not in Implementation.values:
            problems[pk] = {"implementation": _("Kies: geheel, deels of niet uitgevoerd.")}
        elif implementation != Implementation.FULLY and cause not in Cause.values:
            problems[pk] = {
                "cause": _("Kies of de oorzaak bij de familie of bij professionals lag.")
            }
    return problems


@transaction.atomic
def register_implementation(
    case: Case, results: Mapping[int, tuple[str, str]], *, by: User, early_reason: str = ""
) -> Case:
    """Write how each agreement was carried out, then FOLLOWED_UP → IMPLEMENTATION_REGISTERED
    → CLOSED. ``results`` maps agreement id to (implementation, cause). Before three months
    after the plan was sent only with a reason, kept on the case and in the log row."""
    if not by.has_perm("cases.manage_case", case):
        raise PermissionDenied
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status != Status.FOLLOWED_UP:
        raise AftercareError(_("De uitvoering van dit plan is al geregistreerd."))
    early = _early_reason(locked, "implementation", early_reason.strip())
    agreements = list(Agreement.objects.filter(plan__case=locked).order_by("position", "id"))
    problems = implementation_problems([a.pk for a in agreements], results)
    if problems:
        raise AftercareError(next(iter(next(iter(problems.values())).values())))
    for agreement in agreements:
        implementation, cause = results[agreement.pk]
        agreement.implementation = implementation
        agreement.cause = "" if implementation == Implementation.FULLY else cause
    Agreement.objects.bulk_update(agreements, ["implementation", "cause"])
    hooks.facts_changed([locked.pk])  # bulk_update sends no signals; the figures count the outcomes
    counts = Counter(a.implementation for a in agreements)
    causes = Counter(a.cause for a in agreements if a.cause)
    record(
        by,
        Action.IMPLEMENTATION_REGISTERED,
        case=locked,
        obj=locked,
        agreements=len(agreements),
        implementation={value: counts[value] for value in Implementation.values},
        causes={value: causes[value] for value in Cause.values},
        **early,
    )
    door = Door.IMPLEMENTATION
    registered = advance(locked, Status.IMPLEMENTATION_REGISTERED, by=by, door=door)
    return advance(registered, Status.CLOSED, by=by, door=door)


def implementation_due_cases(user: User) -> QuerySet[Case]:
    """Cases of the user's regions waiting for their implementation registration, oldest
    due date first."""
    return (
        Case.objects.visible_to(user)
        .filter(status=Status.FOLLOWED_UP, implementation_due__isnull=False)
        .select_related("request", "region", "conference")
        .order_by("implementation_due", "id")
    )


# ---------- Reminders ----------


def follow_up_reminders_due(now: datetime) -> QuerySet[Case]:
    return Case.objects.filter(
        status=Status.PLAN_SENT,
        follow_up_due__lte=now + FOLLOW_UP_REMINDER_AHEAD,
        coordinator__isnull=False,
        coordinator__is_active=True,
    ).exclude(reminders__kind=FOLLOW_UP_REMINDER_KIND)


def send_follow_up_reminders(now: datetime) -> int:
    """Remind each coordinator once of a follow-up call due (or due within two days).
    Safe to run twice, or twice at once. Returns the number of reminders sent."""
    sent = 0
    for case in follow_up_reminders_due(now):
        with transaction.atomic():
            if not SentReminder.claim(case, FOLLOW_UP_REMINDER_KIND):
                continue
            record(None, Action.REMINDER_SENT, case=case, obj=case, kind=FOLLOW_UP_REMINDER_KIND)
            transaction.on_commit(partial(send_follow_up_reminder_mail.enqueue, case.pk))
        sent += 1
    return sent


def implementation_recipients(case: Case, *, escalate: bool = False) -> list[str]:
    """The managers of the case's region (the office for a case without a region); an
    escalation goes to the national office as well."""
    if case.region_id is not None:
        staff = User.objects.filter(role=Role.MANAGER, regions=case.region_id)
    else:
        staff = User.objects.filter(role=Role.OFFICE)
    if escalate:
        staff = staff | User.objects.filter(role=Role.OFFICE)
    return list(dict.fromkeys(staff.filter(is_active=True).values_list("email", flat=True)))


def implementation_reminders_due(now: datetime, kind: str) -> QuerySet[Case]:
    """Waiting for the registration from three months (the reminder) or from five (the
    escalation, also to the national office); paused cases wait."""
    if kind == IMPLEMENTATION_ESCALATION_KIND:
        now -= clocks.implementation_escalation_gap()
    return Case.objects.filter(
        status=Status.FOLLOWED_UP, implementation_due__lte=now, paused_at__isnull=True
    ).exclude(reminders__kind=kind)


def send_implementation_reminders(now: datetime) -> int:
    """Remind the region's managers once per case that the implementation is to be
    registered (three months after the plan), and escalate once at five months to them and
    the national office. Safe to run twice. Returns the number of mails sent."""
    sent = 0
    for kind in (IMPLEMENTATION_REMINDER_KIND, IMPLEMENTATION_ESCALATION_KIND):
        for case in implementation_reminders_due(now, kind):
            with transaction.atomic():
                if not SentReminder.claim(case, kind):
                    continue
                recipients = implementation_recipients(
                    case, escalate=kind == IMPLEMENTATION_ESCALATION_KIND
                )
                record(
                    None,
                    Action.REMINDER_SENT,
                    case=case,
                    obj=case,
                    kind=kind,
                    count=len(recipients),
                )
                escalated = kind == IMPLEMENTATION_ESCALATION_KIND
                mail = partial(
                    send_implementation_reminder_mail.enqueue, case.pk, recipients, escalated
                )
                transaction.on_commit(mail)
            sent += 1
    return sent
