"""The circle (kring): who is in it, who named whom, who comes, and who cannot meet whom.

Views call these functions; each change writes its audit row in the same transaction. The
reason someone is not invited for safety is for managers only: ``can_see_safety_reason``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.audit.log import record
from kring.audit.models import Action, Outcome
from kring.cases.choices import RequesterKind
from kring.cases.models import Case
from kring.coordinators import conflicts
from kring.lib.errors import DomainError
from kring.lib.seen import changed_since, model_values
from kring.preparation.models import (
    Category,
    ContactNote,
    Invitation,
    InvitationStatus,
    Participant,
    PollResponse,
    Separation,
)

if TYPE_CHECKING:
    from kring.accounts.models import User
    from kring.intake.models import Request

ADULT_AGE = 18


def can_see_safety_reason(user: User) -> bool:
    """Why someone is not invited for safety is known to managers and the office only."""
    return bool(user.is_authenticated and (user.is_manager or user.is_office))


def circle_participants(case: Case) -> QuerySet[Participant]:
    """The case's participants with everything the circle page shows, in a fixed number of
    queries however large the circle."""
    return (
        Participant.objects.filter(case=case)
        .select_related("language", "named_by")
        .prefetch_related(Prefetch("notes", queryset=ContactNote.objects.order_by("-on", "-id")))
    )


def case_separations(case: Case) -> QuerySet[Separation]:
    return Separation.objects.filter(case=case).select_related("first", "second").order_by("id")


@dataclass(frozen=True)
class CategoryGroup:
    category: Category
    participants: list[Participant]


def group_by_category(participants: Iterable[Participant]) -> list[CategoryGroup]:
    """Participants per category in the method's order (household first); main persons
    lead their group."""
    groups: dict[str, list[Participant]] = {value: [] for value in Category.values}
    for participant in participants:
        groups.setdefault(participant.category, []).append(participant)
    return [
        CategoryGroup(Category(value), sorted(people, key=_order))
        for value, people in groups.items()
        if people and value in Category.values
    ]


def _order(participant: Participant) -> tuple[bool, str, int]:
    return (not participant.is_main_person, participant.name.casefold(), participant.pk or 0)


def _age_from_birth_year(birth_year: int | None, today: date) -> int | None:
    if birth_year is None:
        return None
    age = today.year - birth_year
    return age if 0 <= age < ADULT_AGE else None


def _requester_contact(request: Request) -> dict[str, str]:
    """The requester's e-mail and phone when they asked for themselves, else nothing."""
    if request.requester_kind != RequesterKind.SELF:
        return {}
    return {"email": request.requester_email, "phone": request.requester_phone}


def ensure_main_persons(case: Case, *, by: User | None = None) -> list[Participant]:
    """Make the request's main persons participants of the circle, once.

    Idempotent: when the circle already has a main person nothing happens (the coordinator
    may have edited or added them since). Returns the participants created.
    """
    if Participant.objects.filter(case=case, is_main_person=True).exists():
        return []
    with transaction.atomic():
        # Two first visits of the circle page at once must not both add the main persons.
        Case.objects.select_for_update().filter(pk=case.pk).first()
        if Participant.objects.filter(case=case, is_main_person=True).exists():
            return []
        today = timezone.localdate()
        request = case.request
        created = [
            Participant.objects.create(
                case=case,
                name=person.name,
                relation="",
                category=Category.HOUSEHOLD,
                is_main_person=True,
                age=_age_from_birth_year(person.birth_year, today),
                status=InvitationStatus.COMES,
                # Someone who asked for themselves is the first main person: their own
                # e-mail and phone from the request are theirs.
                **(_requester_contact(request) if index == 0 else {}),
            )
            for index, person in enumerate(request.main_persons.all())
        ]
        if created:
            record(
                by,
                Action.CIRCLE_CHANGED,
                case=case,
                change="main_persons_added",
                participants=[p.pk for p in created],
            )
    return created


def _tidy(participant: Participant) -> None:
    """Keep only what the status needs: a condition only for 'comes on a condition', a
    safety reason only for 'not invited for safety' (no stale sensitive notes)."""
    if participant.status != InvitationStatus.CONDITIONAL:
        participant.condition = ""
    if participant.status != InvitationStatus.NOT_INVITED_SAFETY:
        participant.safety_reason = ""


def add_participant(case: Case, participant: Participant, *, by: User) -> Participant:
    """Save a new participant (from the add form) in the case's circle. A name is in the
    circle once: a second submit of the same form returns the participant already saved."""
    participant.case = case
    _tidy(participant)
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=case.pk).first()
        same = Participant.objects.filter(case=case, name__iexact=participant.name).first()
        if same is not None:
            return same
        participant.save()
        record(by, Action.CIRCLE_CHANGED, case=case, obj=participant, change="added")
        _check_independence(case, participant, by)
    return participant


def _check_independence(case: Case, participant: Participant, by: User) -> None:
    """Someone the coordinator declared to know joins the circle: warn and log it."""
    if independence_warning(case, participant):
        conflicts.report(case, participant, Action.CIRCLE_CHANGED, by=by, kind="relationship")


def independence_warning(case: Case, participant: Participant) -> str | None:
    """The coordinator's Dutch warning when they declared to know this participant."""
    if conflicts.known_person(case, participant.name):
        return conflicts.person_warning(participant.name)
    return None


class ParticipantChanged(DomainError):
    """Someone saved this person's details after the form was shown (another window, device
    or colleague): saving would overwrite that unseen."""

    default_message = _(
        "Iemand heeft deze gegevens intussen ook opgeslagen (in een ander venster, op een ander "
        "apparaat of een collega). Hieronder staat wat u net invulde en daarboven wat er nu "
        "is opgeslagen; neem over wat u wilt houden en sla opnieuw op."
    )


def update_participant(
    participant: Participant,
    changed: list[str],
    *,
    by: User,
    seen: str = "",
    fields: Iterable[str] = (),
) -> Participant:
    """Save an edited participant. ``changed`` names the fields (never their values: the
    safety reason must not end up in the log). Refused when the stored ``fields`` changed
    after the form showed them (``seen``, kring/lib/seen.py)."""
    _tidy(participant)
    with transaction.atomic():
        if seen:
            stored = Participant.objects.select_for_update().get(pk=participant.pk)
            current = model_values(stored, fields)
            if changed_since(seen, current, model_values(participant, fields)):
                raise ParticipantChanged
        participant.save()
        record(
            by,
            Action.CIRCLE_CHANGED,
            case=participant.case,
            obj=participant,
            change="updated",
            fields=sorted(changed),
        )
        if "name" in changed:
            _check_independence(participant.case, participant, by)
    return participant


def set_statuses(case: Case, changes: dict[int, str], *, by: User) -> list[Participant]:
    """Set several participants' invitation status at once (the status table), in one
    transaction with one log row naming who changed (not to what: the log holds no story)."""
    if not changes:
        return []
    with transaction.atomic():
        changed = list(
            Participant.objects.select_for_update().filter(case=case, pk__in=list(changes))
        )
        for participant in changed:
            participant.status = changes[participant.pk]
            _tidy(participant)
            participant.save(update_fields=["status", "condition", "safety_reason"])
        record(
            by,
            Action.CIRCLE_CHANGED,
            case=case,
            change="statuses",
            participants=sorted(p.pk for p in changed),
        )
    return changed


def add_note(participant: Participant, on: date, line: str, *, by: User) -> ContactNote:
    """One line in the contact log. The same line on the same day twice (a double submit)
    is stored once."""
    with transaction.atomic():
        note, created = ContactNote.objects.get_or_create(
            participant=participant, on=on, line=line, defaults={"by": by}
        )
        if created:
            record(
                by,
                Action.CIRCLE_CHANGED,
                case=participant.case,
                obj=participant,
                change="note_added",
            )
    return note


def add_separation(
    case: Case, first: Participant, second: Participant, arrangement: str, *, by: User
) -> Separation:
    """Record that two people cannot meet without arrangements; the pair is stored once
    (either order), a second entry updates the arrangement."""
    if first.pk == second.pk or first.case_id != case.pk or second.case_id != case.pk:
        raise ValueError("A separation needs two different participants of this case")
    low, high = sorted((first, second), key=lambda p: p.pk)
    with transaction.atomic():
        separation = (
            Separation.objects.select_for_update().filter(case=case, first=low, second=high).first()
        )
        if separation is None:
            separation = Separation.objects.create(
                case=case, first=low, second=high, arrangement=arrangement
            )
        else:
            separation.arrangement = arrangement
            separation.save(update_fields=["arrangement"])
        record(by, Action.CIRCLE_CHANGED, case=case, obj=separation, change="separation")
    return separation


# ---------- Removing someone added by mistake ----------


class RemovalBlocker(models.TextChoices):
    """Why someone cannot be removed: something else already depends on them. Whoever no
    longer belongs in the circle then gets the status 'komt niet' instead."""

    MAIN_PERSON = (
        "main_person",
        _(
            "Deze persoon is hoofdpersoon. Hoofdpersonen komen uit de aanvraag en blijven "
            "in de kring."
        ),
    )
    ATTENDANCE = (
        "attendance",
        _("Deze persoon was bij de conferentie en staat in het verslag van die dag."),
    )
    AGREEMENT = "agreement", _("Deze persoon staat bij een afspraak in het plan.")
    DISTRIBUTION = "distribution", _("Deze persoon heeft het plan toegestuurd gekregen.")
    FAMILY_LINK = "family_link", _("Deze persoon heeft een eigen link om het plan te lezen.")
    INVITATION = (
        "invitation",
        _("Deze persoon heeft al een uitnodiging voor de conferentie gekregen."),
    )


# Each blocker as a condition on a participant row, checked in one query. The plan's rows
# (attendance, agreements, distribution, family links) come later in the course: the plans
# part registers them (register_removal_blocker), so preparation needs no import of it.
_BLOCKER_EXISTS: dict[RemovalBlocker, QuerySet[Any]] = {
    RemovalBlocker.INVITATION: Invitation.objects.filter(participant=OuterRef("pk")),
}


def register_removal_blocker(blocker: RemovalBlocker, rows: QuerySet[Any]) -> None:
    """Rows of a later part that keep a participant in the register (filtered on
    ``participant=OuterRef("pk")``)."""
    _BLOCKER_EXISTS[blocker] = rows


def _blocker_rows() -> dict[RemovalBlocker, QuerySet[Any]]:
    return {b: _BLOCKER_EXISTS[b] for b in RemovalBlocker if b in _BLOCKER_EXISTS}


class RemovalRefused(DomainError):
    def __init__(self, blockers: list[RemovalBlocker]) -> None:
        super().__init__(", ".join(blockers))
        self.blockers = blockers


@dataclass(frozen=True)
class RemovalImpact:
    """What goes with someone who is removed; the people they named stay, without
    'genoemd door'."""

    notes: int
    separations: int
    poll_answers: int
    named: list[Participant]


def removal_blockers(participant: Participant) -> list[RemovalBlocker]:
    """What already depends on this participant, in one query; empty when they may go."""
    found = (
        Participant.objects.filter(pk=participant.pk)
        .annotate(**{blocker.value: Exists(rows) for blocker, rows in _blocker_rows().items()})
        .values("is_main_person", *(blocker.value for blocker in _blocker_rows()))
        .first()
    )
    if found is None:
        return []
    blockers = [RemovalBlocker.MAIN_PERSON] if found["is_main_person"] else []
    return blockers + [blocker for blocker in _blocker_rows() if found[blocker.value]]


def removal_impact(participant: Participant) -> RemovalImpact:
    return RemovalImpact(
        notes=ContactNote.objects.filter(participant=participant).count(),
        separations=Separation.objects.filter(Q(first=participant) | Q(second=participant)).count(),
        poll_answers=PollResponse.objects.filter(participant=participant).count(),
        named=list(Participant.objects.filter(named_by=participant).order_by("name", "id")),
    )


@dataclass(frozen=True)
class Removal:
    name: str
    impact: RemovalImpact


def remove_participant(case: Case, pk: int, *, by: User) -> Removal | None:
    """Remove someone added by mistake (a typo, a duplicate, the wrong family) with their
    contact notes, separations and poll answers; whom they named stay, without 'genoemd
    door'. Refused (``RemovalRefused``, logged) while anything else depends on them.

    None when they are not (or no longer) in this case's circle: a second submit.
    The log keeps the participant's id and relation, never the name.
    """
    try:
        return _remove(case, pk, by)
    except RemovalRefused as refusal:
        # Logged after the refused removal's savepoint rolled back, so it stays on record.
        record(
            by,
            Action.PARTICIPANT_REMOVED,
            case=case,
            outcome=Outcome.REFUSED,
            participant=pk,
            blockers=[str(blocker) for blocker in refusal.blockers],
        )
        raise


@transaction.atomic
def _remove(case: Case, pk: int, by: User) -> Removal | None:
    # The case lock orders us with additions to the circle; the participant's row lock
    # waits for (and then sees) anything being linked to them right now, and makes such
    # a link wait for the removal (and then fail on the missing row) rather than dangle.
    Case.objects.select_for_update().filter(pk=case.pk).first()
    participant = Participant.objects.select_for_update().filter(case=case, pk=pk).first()
    if participant is None:
        return None
    blockers = removal_blockers(participant)
    if blockers:
        raise RemovalRefused(blockers)
    impact = removal_impact(participant)
    record(
        by,
        Action.PARTICIPANT_REMOVED,
        case=case,
        obj=participant,
        relation=participant.relation,
        category=participant.category,
        notes=impact.notes,
        separations=impact.separations,
        poll_answers=impact.poll_answers,
        named_by_cleared=[person.pk for person in impact.named],
    )
    # One delete: notes, separations and poll answers cascade, 'named_by' of the people
    # they named is set to null, all in this transaction.
    participant.delete()
    return Removal(participant.name, impact)


@dataclass(frozen=True)
class CircleCounts:
    total: int
    comes: int
    conditional: int
    declines: int
    not_invited: int
    open: int
    children: int


def circle_counts(participants: Iterable[Participant]) -> CircleCounts:
    people = list(participants)
    by_status = dict.fromkeys(InvitationStatus.values, 0)
    for person in people:
        by_status[person.status] = by_status.get(person.status, 0) + 1
    return CircleCounts(
        total=len(people),
        comes=by_status[InvitationStatus.COMES],
        conditional=by_status[InvitationStatus.CONDITIONAL],
        declines=by_status[InvitationStatus.DECLINES],
        not_invited=by_status[InvitationStatus.NOT_INVITED_SAFETY],
        open=by_status[InvitationStatus.TO_ASK] + by_status[InvitationStatus.ASKED],
        children=sum(1 for person in people if person.is_child),
    )
