"""Acceptance: the professionals who set safety conditions check the plan against them.

Each such professional marks every one of their conditions met or not met and accepts the
plan or not: in their own login, or aloud at the conference, where the coordinator writes it
down for them (the same ``decide``; the log says who recorded it and for whom). When all of
them accept the current version the plan is final; one "not accepted" sends it back to the
circle as a new draft version. Checks and verdicts are kept per plan version, so the history
shows what was checked when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, send_mail
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from kring.accounts.models import User
from kring.audit.log import record
from kring.audit.models import Action
from kring.lib.errors import DomainError
from kring.plans.models import (
    Acceptance,
    Attendance,
    ConditionCheck,
    Plan,
    PlanStatus,
    move_plan,
)
from kring.plans.writing.editor import (
    CannotFinalise,
    in_site_language,
    locked_draft,
    mark_final,
    may_record,
    missing_for_final,
    new_version,
)
from kring.preparation.models import ProfessionalInvolvement, SafetyCondition
from kring.preparation.professionals.domain import conditions_for_case


class NotAwaiting(DomainError):
    """The plan does not wait for acceptance (still in draft, back with the circle, final)."""

    default_message = gettext_lazy("Het plan wacht niet (meer) op toetsing.")


class StaleVersion(DomainError):
    """The plan changed since the professional opened it."""

    default_message = gettext_lazy("Het plan is intussen gewijzigd. Bekijk het opnieuw.")


class NotPresent(DomainError):
    """The coordinator records a verdict only for a professional present at the conference."""


@dataclass(frozen=True)
class Verdict:
    """A professional's judgement: per condition (pk) met and a comment; accepted or not."""

    checks: dict[int, tuple[bool, str]]
    accepted: bool
    comment: str


# ---------- Reads ----------


def checking_involvements(plan: Plan) -> list[ProfessionalInvolvement]:
    """The professionals who set conditions in the plan's case, each with their conditions."""
    return list(
        ProfessionalInvolvement.objects.filter(case_id=plan.case_id, conditions__isnull=False)
        .distinct()
        .select_related("organisation")
        .prefetch_related(Prefetch("conditions", queryset=SafetyCondition.objects.order_by("id")))
        .order_by("name", "id")
    )


def was_present(involvement: ProfessionalInvolvement) -> bool:
    """Recorded as present in some phase of the conference."""
    return Attendance.objects.filter(
        conference__case_id=involvement.case_id, professional=involvement
    ).exists()


def present_ids(plan: Plan) -> set[int]:
    """The professionals recorded as present at the plan's conference (one query)."""
    return set(
        Attendance.objects.filter(
            conference__case_id=plan.case_id, professional__isnull=False
        ).values_list("professional_id", flat=True)
    )


def decision_of(plan: Plan, involvement: ProfessionalInvolvement) -> Acceptance | None:
    """This professional's verdict on the plan's current version, if any."""
    return Acceptance.objects.filter(
        plan=plan, plan_version=plan.version, involvement=involvement
    ).first()


@dataclass(frozen=True)
class PendingDecision:
    involvement: ProfessionalInvolvement
    acceptance: Acceptance | None


@dataclass(frozen=True)
class Rejection:
    """The latest "not accepted": who, why, and which conditions were not met."""

    acceptance: Acceptance
    not_met: list[ConditionCheck]


@dataclass(frozen=True)
class AcceptanceOverview:
    decisions: list[PendingDecision]
    rejection: Rejection | None


def acceptance_overview(plan: Plan) -> AcceptanceOverview:
    """For the coordinator: who still has to decide on this version, and while the plan is
    back with the circle, why it was not accepted. A fixed number of queries."""
    involvements = checking_involvements(plan)
    current = {
        a.involvement_id: a
        for a in Acceptance.objects.filter(plan=plan, plan_version=plan.version).select_related(
            "recorded_by"
        )
    }
    decisions = [PendingDecision(i, current.get(i.pk)) for i in involvements]
    rejection = None
    if plan.status == PlanStatus.DRAFT:
        latest = (
            Acceptance.objects.filter(plan=plan, accepted=False)
            .select_related("involvement__organisation")
            .order_by("-plan_version", "-id")
            .first()
        )
        if latest is not None:
            not_met = list(
                ConditionCheck.objects.filter(
                    plan=plan,
                    plan_version=latest.plan_version,
                    met=False,
                    condition__involvement=latest.involvement,
                )
                .select_related("condition")
                .order_by("condition_id")
            )
            rejection = Rejection(latest, not_met)
    return AcceptanceOverview(decisions, rejection)


def checks_by_version(plan: Plan) -> dict[int, list[ConditionCheck]]:
    """Every condition check ever made on the plan, per version (for the history)."""
    result: dict[int, list[ConditionCheck]] = {}
    checks = (
        ConditionCheck.objects.filter(plan=plan)
        .select_related("condition__involvement__organisation")
        .order_by("plan_version", "condition__involvement__name", "condition_id")
    )
    for check in checks:
        result.setdefault(check.plan_version, []).append(check)
    return result


def acceptances_by_version(plan: Plan) -> dict[int, list[Acceptance]]:
    result: dict[int, list[Acceptance]] = {}
    rows = Acceptance.objects.filter(plan=plan).select_related("involvement__organisation")
    for acceptance in rows.order_by("plan_version", "decided_at", "id"):
        result.setdefault(acceptance.plan_version, []).append(acceptance)
    return result


# ---------- Changes ----------


def request_acceptance(plan: Plan, *, by: User) -> None:
    """Put the plan before the professionals who set conditions and mail each of them.
    Called by ``editor.finalise`` inside its transaction, with the plan locked."""
    involvements = checking_involvements(plan)
    move_plan(plan, PlanStatus.AWAITING_ACCEPTANCE)
    plan.lock_version += 1
    plan.save(update_fields=["status", "lock_version"])
    record(
        by,
        Action.PLAN_SUBMITTED,
        case=plan.case,
        obj=plan,
        version=plan.version,
        involvements=[i.pk for i in involvements],
    )
    for involvement in involvements:
        _mail_request_on_commit(plan.pk, involvement.pk)


def _mail_request_on_commit(plan_pk: int, involvement_pk: int) -> None:
    transaction.on_commit(lambda: send_acceptance_request.enqueue(plan_pk, involvement_pk))


def at_conference(involvement: ProfessionalInvolvement, by: User) -> bool:
    """Is ``by`` writing down someone else's verdict (the coordinator at the conference)?
    Refused for anyone who is neither the professional nor the plan's recorder."""
    if involvement.user_id is not None and involvement.user_id == by.pk:
        return False
    if not may_record(by, involvement.case):
        raise PermissionDenied
    if not was_present(involvement):
        raise NotPresent
    return True


def decide(
    plan: Plan,
    involvement: ProfessionalInvolvement,
    verdict: Verdict,
    *,
    version: int,
    by: User,
    stated_at: datetime | None = None,
) -> Acceptance:
    """Store the professional's checks and verdict on ``version`` of the plan: by the
    professional, or by the coordinator for a professional who said it at the conference
    (``stated_at``: when they said it).

    A second submit of the same verdict returns the first one. Accepted by everyone who set
    conditions: the plan is final. Not accepted: back to the circle as a new draft version.
    """
    spoken = at_conference(involvement, by)
    existing = Acceptance.objects.filter(
        plan=plan, plan_version=version, involvement=involvement
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            said = _Said(by, spoken, stated_at if spoken else None)
            return _decide(plan, involvement, verdict, version=version, said=said)
    except IntegrityError:  # the same verdict submitted twice at once
        return Acceptance.objects.get(plan=plan, plan_version=version, involvement=involvement)


@dataclass(frozen=True)
class _Said:
    """Who wrote the verdict down, and whether it was said at the conference (and when)."""

    by: User
    at_conference: bool
    stated_at: datetime | None

    def logged(self, involvement: ProfessionalInvolvement) -> dict[str, Any]:
        """For the log: for whom it was recorded, when it was said (the ``by`` is the actor)."""
        if not self.at_conference:
            return {}
        stated = self.stated_at.isoformat() if self.stated_at else None
        return {"at_conference": True, "recorded_for": involvement.pk, "stated_at": stated}


def _decide(
    plan: Plan, involvement: ProfessionalInvolvement, verdict: Verdict, *, version: int, said: _Said
) -> Acceptance:
    by = said.by
    locked = Plan.objects.select_for_update().select_related("case").get(pk=plan.pk)
    if locked.status != PlanStatus.AWAITING_ACCEPTANCE:
        raise NotAwaiting
    if locked.version != version:
        raise StaleVersion
    conditions = list(involvement.conditions.order_by("id"))
    if {c.pk for c in conditions} != set(verdict.checks):
        raise StaleVersion  # the conditions are not the ones the page showed
    for condition in conditions:
        met, comment = verdict.checks[condition.pk]
        ConditionCheck.objects.create(
            plan=locked,
            plan_version=version,
            condition=condition,
            met=met,
            comment=comment.strip()[:500],
            checked_by=by,
        )
    met_count = sum(1 for c in conditions if verdict.checks[c.pk][0])
    record(
        by,
        Action.PLAN_CONDITION_CHECKED,
        case=locked.case,
        obj=locked,
        version=version,
        involvement=involvement.pk,
        met=met_count,
        not_met=len(conditions) - met_count,
        **said.logged(involvement),
    )
    acceptance = Acceptance.objects.create(
        plan=locked,
        plan_version=version,
        involvement=involvement,
        accepted=verdict.accepted,
        comment=verdict.comment.strip(),
        at_conference=said.at_conference,
        stated_at=said.stated_at,
        recorded_by=by,
    )
    if verdict.accepted:
        _accepted(locked, acceptance, said=said)
    else:
        _not_accepted(locked, acceptance, said=said)
    plan.refresh_from_db()
    return acceptance


def _accepted(plan: Plan, acceptance: Acceptance, *, said: _Said) -> None:
    by = said.by
    record(
        by,
        Action.PLAN_ACCEPTED,
        case=plan.case,
        obj=plan,
        version=plan.version,
        involvement=acceptance.involvement_id,
        **said.logged(acceptance.involvement),
    )
    needed = {i.pk for i in checking_involvements(plan)}
    accepted = set(
        Acceptance.objects.filter(plan=plan, plan_version=plan.version, accepted=True).values_list(
            "involvement_id", flat=True
        )
    )
    if needed <= accepted:
        mark_final(plan)
        record(by, Action.PLAN_FINALISED, case=plan.case, obj=plan, version=plan.version)
    _mail_outcome_on_commit(acceptance)


def _not_accepted(plan: Plan, acceptance: Acceptance, *, said: _Said) -> None:
    by = said.by
    organisation = acceptance.involvement.organisation.name
    record(
        by,
        Action.PLAN_NOT_ACCEPTED,
        case=plan.case,
        obj=plan,
        version=plan.version,
        involvement=acceptance.involvement_id,
        **said.logged(acceptance.involvement),
    )
    move_plan(plan, PlanStatus.DRAFT)
    reason = in_site_language(
        gettext_lazy("niet geaccepteerd door %(organisation)s: %(comment)s"),
        organisation=organisation,
        comment=" ".join(acceptance.comment.split()),
    )
    new_version(plan, by=by, reason=reason, change="not_accepted", acceptance=acceptance.pk)
    _mail_outcome_on_commit(acceptance)


def _mail_outcome_on_commit(acceptance: Acceptance) -> None:
    """The coordinator hears what the professional decided; a verdict the coordinator wrote
    down at the conference goes to the professional instead, to see what was recorded."""
    pk = acceptance.pk
    task = send_recorded_verdict if acceptance.at_conference else send_acceptance_outcome
    transaction.on_commit(lambda: task.enqueue(pk))


# ---------- Mail (sent by the task worker after the commit) ----------


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@task()
def send_acceptance_request(plan_id: int, involvement_id: int) -> int:
    """The professional's link to check the plan; the mail names no one in the case."""
    if not Plan.objects.filter(pk=plan_id, status=PlanStatus.AWAITING_ACCEPTANCE).exists():
        return 0  # back with the circle (or final) before the mail went out
    involvement = ProfessionalInvolvement.objects.select_related("case__request").get(
        pk=involvement_id
    )
    context = {
        "involvement": involvement,
        "reference": involvement.case.request.reference,
        "url": _absolute(reverse("plans:plan_acceptance", args=[involvement.pk])),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("plans/mail/plan_acceptance_request_subject.txt", context)
        body = render_to_string("plans/mail/plan_acceptance_request.txt", context)
    return send_mail(subject.strip(), body, None, [involvement.email])


@task()
def send_acceptance_outcome(acceptance_id: int) -> int:
    """Tell the coordinator what the professional decided (and whether the plan is final)."""
    acceptance = Acceptance.objects.select_related(
        "plan__case__request", "plan__case__coordinator", "involvement__organisation"
    ).get(pk=acceptance_id)
    case = acceptance.plan.case
    if case.coordinator is None or not case.coordinator.email:
        return 0
    context = {
        "acceptance": acceptance,
        "coordinator": case.coordinator,
        "plan": acceptance.plan,
        "final": acceptance.plan.status == PlanStatus.FINAL,
        "reference": case.request.reference,
        "url": _absolute(reverse("plans:plan_edit", args=[case.pk])),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("plans/mail/plan_acceptance_outcome_subject.txt", context)
        body = render_to_string("plans/mail/plan_acceptance_outcome.txt", context)
    return send_mail(subject.strip(), body, None, [case.coordinator.email])


@task()
def send_recorded_verdict(acceptance_id: int) -> int:
    """Tell the professional what the coordinator wrote down as their verdict at the
    conference, so that a mistake is noticed; the mail names no one in the case."""
    acceptance = Acceptance.objects.select_related(
        "plan__case__request", "plan__case__coordinator", "involvement", "recorded_by"
    ).get(pk=acceptance_id)
    involvement = acceptance.involvement
    coordinator = acceptance.plan.case.coordinator
    context = {
        "acceptance": acceptance,
        "involvement": involvement,
        "reference": acceptance.plan.case.request.reference,
        "recorded_by": acceptance.recorded_by,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("plans/mail/plan_verdict_recorded_subject.txt", context)
        body = render_to_string("plans/mail/plan_verdict_recorded.txt", context)
    message = EmailMessage(
        subject.strip(),
        body,
        None,
        [involvement.email],
        reply_to=[coordinator.email] if coordinator and coordinator.email else None,
    )
    return message.send()


@transaction.atomic
def finalise(plan: Plan, *, lock_version: int, by: User) -> Plan:
    """The circle says the plan is done. Without safety conditions it is final now; with
    them it goes to the professionals who set them, to be checked against the kader."""
    locked = locked_draft(plan, lock_version, by)
    missing = missing_for_final(locked)
    if missing:
        raise CannotFinalise(missing)
    if conditions_for_case(locked.case):
        request_acceptance(locked, by=by)
    else:
        mark_final(locked)
        record(by, Action.PLAN_FINALISED, case=locked.case, obj=locked, version=locked.version)
    return locked
