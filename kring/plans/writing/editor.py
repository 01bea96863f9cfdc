"""The plan editor: agreements, the two answers every plan needs, versions and finalising.

The plan's text is the family's. The coordinator records it at the end of the conference;
each change bumps the version and keeps a snapshot with who made it, so every word in the
plan is attributable. Two devices editing at once are kept apart by ``Plan.lock_version``:
a save from a stale page is refused, never silently merged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch, QuerySet
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kring.audit.log import record
from kring.audit.models import Action
from kring.cases.choices import LifeDomain
from kring.cases.models import Status
from kring.lib.errors import DomainError
from kring.plans.models import Agreement, Plan, PlanStatus, PlanVersion, move_plan
from kring.plans.writing import rules as plan_rules
from kring.preparation.models import Participant
from kring.preparation.professionals.domain import case_question, conditions_for_case

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as StrPromise

    from kring.accounts.models import Organisation, User
    from kring.cases.models import Case

# The plan is written at the end of the conference; after that the case moves on to sending.
PLAN_CASE_STATUSES = frozenset({Status.HELD, Status.PLAN_SENT})
REASON_MAX_LENGTH = PlanVersion._meta.get_field("reason").max_length or 200

AGREEMENT_FIELD_LABELS = {
    "what": gettext_lazy("wat"),
    "who": gettext_lazy("wie"),
    "organisation": gettext_lazy("organisatie"),
    "when": gettext_lazy("wanneer"),
    "due_on": gettext_lazy("datum"),
    "life_domain": gettext_lazy("levensdomein"),
    "professional_help": gettext_lazy("professionele hulp"),
}
ANSWER_FIELD_LABELS = {
    "next_meeting": gettext_lazy("wie komt wanneer weer bij elkaar"),
    "who_calls_together": gettext_lazy("wie roept wie bij elkaar"),
    "emergency_plan": gettext_lazy("noodplan"),
    "evaluation_on": gettext_lazy("evaluatiedatum"),
}


class PlanLocked(DomainError):
    """The plan is not in draft (waiting for acceptance, or final): it cannot be edited."""

    default_message = gettext_lazy(
        "Het plan kan nu niet worden gewijzigd: het wacht op toetsing of is definitief."
    )


class StalePlan(DomainError):
    """Someone else saved the plan since this page was loaded."""

    default_message = gettext_lazy("Iemand anders heeft het plan intussen gewijzigd. Kijk het na.")


class CannotFinalise(DomainError):
    """The plan lacks what every plan needs; ``missing`` says what, in Dutch."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(
            _("Het plan kan nog niet worden vastgesteld. %(missing)s")
            % {"missing": " ".join(missing)}
        )
        self.missing = missing


# ---------- Reads ----------


def plan_possible(case: Case) -> bool:
    """A plan is written from the end of the conference until the coordinator's work ends."""
    return case.status in PLAN_CASE_STATUSES


def plan_for_case(case: Case) -> Plan | None:
    return Plan.objects.filter(case=case).first()


def is_editable(plan: Plan) -> bool:
    return plan.status == PlanStatus.DRAFT and plan.case.status in PLAN_CASE_STATUSES


def may_record(user: User, case: Case) -> bool:
    """Only the assigned coordinator writes down what the family decided; managers and the
    office read the plan (and coach), they never change an agreement."""
    return bool(user.has_perm(plan_rules.RECORD_PLAN, case))


def require_recorder(case: Case, user: User) -> None:
    if not may_record(user, case):
        raise PermissionDenied


def agreements_of(plan: Plan) -> QuerySet[Agreement]:
    """The plan's agreements with their who, in a fixed number of queries."""
    return (
        Agreement.objects.filter(plan=plan)
        .select_related("who_organisation")
        .prefetch_related(
            Prefetch("who_participants", queryset=Participant.objects.order_by("name", "id"))
        )
        .order_by("position", "id")
    )


def missing_for_final(plan: Plan, *, agreement_count: int | None = None) -> list[str]:
    """What the plan still needs before it can be finalised (empty: nothing)."""
    count = plan.agreements.count() if agreement_count is None else agreement_count
    missing = []
    if not count:
        missing.append(_("Er staat nog geen afspraak in het plan."))
    if not plan.next_meeting.strip():
        missing.append(_("Vul in wie wanneer weer bij elkaar komt om te praten over hoe het gaat."))
    if not plan.who_calls_together.strip():
        missing.append(_("Vul in wie wie bij elkaar roept als iets in het plan niet werkt."))
    return missing


@dataclass(frozen=True)
class AgreementRow:
    """An agreement as people read it: who (names, then the organisation), what, when."""

    agreement: Agreement
    who_names: list[str]
    who: str
    when: str


@dataclass(frozen=True)
class DomainGroup:
    domain: str
    label: str
    rows: list[AgreementRow]


def _join_names(names: list[str]) -> str:
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s en %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _when_text(agreement: Agreement) -> str:
    parts = [agreement.when.strip()] if agreement.when.strip() else []
    if agreement.due_on:
        day = formats.date_format(agreement.due_on, "j F Y")
        parts.append(_("uiterlijk %(date)s") % {"date": day})
    return ", ".join(parts)


def agreement_row(agreement: Agreement) -> AgreementRow:
    names = [p.name for p in agreement.who_participants.all()]
    if agreement.who_organisation is not None:
        names.append(agreement.who_organisation.name)
    return AgreementRow(agreement, names, _join_names(names), _when_text(agreement))


def group_by_domain(agreements: list[Agreement]) -> list[DomainGroup]:
    """Agreements per life domain in LifeDomain's order; empty domains left out."""
    by_domain: dict[str, list[AgreementRow]] = {value: [] for value in LifeDomain.values}
    for agreement in agreements:
        by_domain.setdefault(agreement.life_domain, []).append(agreement_row(agreement))
    return [
        DomainGroup(value, str(LifeDomain(value).label), rows)
        for value, rows in by_domain.items()
        if rows and value in LifeDomain.values
    ]


def plan_context(plan: Plan) -> dict[str, Any]:
    """Everything a page or the PDF shows of a plan, in a fixed number of queries.

    Keys: plan, case, version, status, question, domains (list of DomainGroup: domain,
    label, rows; each AgreementRow has agreement, who_names, who, when), agreement_count,
    professional_help_count, next_meeting, who_calls_together, emergency_plan,
    evaluation_on, conditions (SafetyCondition list with involvement__organisation).
    """
    agreements = list(agreements_of(plan))
    case = plan.case
    return {
        "plan": plan,
        "case": case,
        "version": plan.version,
        "status": plan.status,
        "question": case_question(case),
        "domains": group_by_domain(agreements),
        "agreement_count": len(agreements),
        "professional_help_count": sum(1 for a in agreements if a.professional_help),
        "next_meeting": plan.next_meeting,
        "who_calls_together": plan.who_calls_together,
        "emergency_plan": plan.emergency_plan,
        "evaluation_on": plan.evaluation_on,
        "conditions": conditions_for_case(case),
    }


# ---------- Snapshots and history ----------


def _agreement_dict(agreement: Agreement) -> dict[str, Any]:
    organisation = agreement.who_organisation
    return {
        "id": agreement.pk,
        "position": agreement.position,
        "what": agreement.what,
        "who": [{"id": p.pk, "name": p.name} for p in agreement.who_participants.all()],
        "organisation": (
            {"id": organisation.pk, "name": organisation.name} if organisation else None
        ),
        "when": agreement.when,
        "due_on": agreement.due_on.isoformat() if agreement.due_on else None,
        "life_domain": agreement.life_domain,
        "professional_help": agreement.professional_help,
    }


def snapshot(plan: Plan) -> dict[str, Any]:
    """The whole plan as JSON: every agreement with its who, and the answers."""
    return {
        "version": plan.version,
        "status": plan.status,
        "next_meeting": plan.next_meeting,
        "who_calls_together": plan.who_calls_together,
        "emergency_plan": plan.emergency_plan,
        "evaluation_on": plan.evaluation_on.isoformat() if plan.evaluation_on else None,
        "agreements": [_agreement_dict(a) for a in agreements_of(plan)],
    }


def _reason(text: str) -> str:
    return text[:REASON_MAX_LENGTH]


def in_site_language(message: StrPromise, **params: Any) -> str:
    """A stored text (a version's reason) in the site's language, whoever's screen it was."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(message) % params if params else str(message)


def store_version(plan: Plan, *, by: User, reason: str) -> PlanVersion:
    """Keep the plan as it is now under its current version number."""
    return PlanVersion.objects.create(
        plan=plan,
        number=plan.version,
        snapshot=snapshot(plan),
        reason=_reason(reason),
        changed_by=by,
    )


def new_version(plan: Plan, *, by: User, reason: str, change: str, **detail: Any) -> PlanVersion:
    """Bump the version (and the lock), keep the snapshot, log the change. In a transaction."""
    plan.version += 1
    plan.lock_version += 1
    plan.save(update_fields=["status", "version", "lock_version"])
    version = store_version(plan, by=by, reason=reason)
    record(
        by,
        Action.PLAN_CHANGED,
        case=plan.case,
        obj=plan,
        change=change,
        version=plan.version,
        **detail,
    )
    return version


@dataclass
class VersionChanges:
    """What changed in one version against the one before."""

    version: PlanVersion
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[str]]] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)

    @property
    def agreement_count(self) -> int:
        return len(self.version.snapshot.get("agreements", []))


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:79] + "…"


def diff_snapshots(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, Any]:
    """Added, removed and changed agreements (with the changed fields) and changed answers."""
    old = {a["id"]: a for a in (before or {}).get("agreements", [])}
    new = {a["id"]: a for a in after.get("agreements", [])}
    changed = []
    for pk, agreement in new.items():
        if pk in old:
            fields = [
                str(label)
                for name, label in AGREEMENT_FIELD_LABELS.items()
                if agreement.get(name) != old[pk].get(name)
            ]
            if fields:
                changed.append((_short(agreement["what"]), fields))
    previous = before or {}
    answers = [
        str(label)
        for name, label in ANSWER_FIELD_LABELS.items()
        if (previous.get(name) or None) != (after.get(name) or None)
    ]
    return {
        "added": [_short(a["what"]) for pk, a in new.items() if pk not in old],
        "removed": [_short(a["what"]) for pk, a in old.items() if pk not in new],
        "changed": changed,
        "answers": answers,
    }


def plan_history(plan: Plan) -> list[VersionChanges]:
    """Every version, newest first, each with what changed against the one before."""
    versions = list(plan.versions.select_related("changed_by").order_by("number", "id"))
    history = []
    previous: dict[str, Any] | None = None
    for version in versions:
        history.append(VersionChanges(version, **diff_snapshots(previous, version.snapshot)))
        previous = version.snapshot
    history.reverse()
    return history


# ---------- Changes ----------


def open_plan(case: Case, *, by: User) -> Plan:
    """The case's plan, created in draft on the first visit after the conference."""
    plan = Plan.objects.filter(case=case).first()
    if plan is not None:
        plan.case = case
        return plan
    require_recorder(case, by)  # the first version's author is the coordinator
    try:
        with transaction.atomic():
            plan = Plan.objects.create(case=case, status=PlanStatus.DRAFT, version=1)
            store_version(plan, by=by, reason=in_site_language(gettext_lazy("Plan aangemaakt")))
            record(by, Action.PLAN_CHANGED, case=case, obj=plan, change="created", version=1)
    except IntegrityError:  # two first visits at once: the other one made it
        plan = Plan.objects.get(case=case)
    plan.case = case
    return plan


def locked_draft(plan: Plan, lock_version: int, by: User) -> Plan:
    require_recorder(plan.case, by)
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    locked.case = plan.case
    if locked.status != PlanStatus.DRAFT:
        raise PlanLocked
    if locked.lock_version != lock_version:
        raise StalePlan
    return locked


@dataclass(frozen=True)
class AgreementData:
    what: str
    who_participants: list[Participant]
    who_organisation: Organisation | None
    when: str
    due_on: date | None
    life_domain: str
    professional_help: bool


def _apply(agreement: Agreement, data: AgreementData) -> None:
    agreement.what = data.what.strip()
    agreement.who_organisation = data.who_organisation
    agreement.when = data.when.strip()
    agreement.due_on = data.due_on
    agreement.life_domain = data.life_domain
    agreement.professional_help = data.professional_help
    agreement.save()
    agreement.who_participants.set(data.who_participants)


@transaction.atomic
def add_agreement(plan: Plan, data: AgreementData, *, lock_version: int, by: User) -> Agreement:
    locked = locked_draft(plan, lock_version, by)
    last = locked.agreements.aggregate(last=Max("position"))["last"]
    agreement = Agreement(plan=locked, position=(last or 0) + 1)
    _apply(agreement, data)
    new_version(
        locked,
        by=by,
        reason=in_site_language(gettext_lazy("Afspraak toegevoegd")),
        change="agreement_added",
        agreement=agreement.pk,
    )
    return agreement


@transaction.atomic
def update_agreement(
    agreement: Agreement, data: AgreementData, *, lock_version: int, by: User
) -> bool:
    """Save an edited agreement; False when nothing changed (no new version then)."""
    locked = locked_draft(agreement.plan, lock_version, by)
    before = _agreement_dict(agreement)
    _apply(agreement, data)
    agreement = agreements_of(locked).get(pk=agreement.pk)
    after = _agreement_dict(agreement)
    if before == after:
        return False
    changed = [name for name in AGREEMENT_FIELD_LABELS if before[name] != after[name]]
    new_version(
        locked,
        by=by,
        reason=in_site_language(gettext_lazy("Afspraak gewijzigd")),
        change="agreement_changed",
        agreement=agreement.pk,
        fields=changed,
    )
    return True


@transaction.atomic
def delete_agreement(agreement: Agreement, *, lock_version: int, by: User) -> None:
    locked = locked_draft(agreement.plan, lock_version, by)
    pk = agreement.pk
    agreement.delete()
    new_version(
        locked,
        by=by,
        reason=in_site_language(gettext_lazy("Afspraak verwijderd")),
        change="agreement_deleted",
        agreement=pk,
    )


ANSWER_FIELDS = ("next_meeting", "who_calls_together", "emergency_plan", "evaluation_on")


@transaction.atomic
def save_answers(plan: Plan, answers: dict[str, Any], *, lock_version: int, by: User) -> bool:
    """Save the two answers, the emergency plan and the evaluation date; False if unchanged."""
    locked = locked_draft(plan, lock_version, by)
    changed = []
    for name in ANSWER_FIELDS:
        value = answers.get(name)
        value = value.strip() if isinstance(value, str) else value
        if getattr(locked, name) != value:
            setattr(locked, name, value)
            changed.append(name)
    if not changed:
        return False
    locked.save(update_fields=changed)
    new_version(
        locked,
        by=by,
        reason=in_site_language(gettext_lazy("Afspraken over hoe verder gewijzigd")),
        change="answers_changed",
        fields=changed,
    )
    plan.refresh_from_db()
    return True


def mark_final(plan: Plan) -> None:
    move_plan(plan, PlanStatus.FINAL)
    plan.finalised_at = timezone.now()
    plan.lock_version += 1
    plan.save(update_fields=["status", "finalised_at", "lock_version"])
