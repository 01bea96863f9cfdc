"""The practical side of the conference: arrangements, the date poll, invitations, the
reminder two days before. Every change goes through a function here, logged in its
transaction; mail leaves through tasks enqueued on commit."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kring.audit.log import record
from kring.audit.models import Action
from kring.cases.models import INVOLVED_STATUSES, Case, Door, RemarkKind, Status
from kring.coordinators.models import Language
from kring.lib.errors import DomainError
from kring.lib.languages import render_in
from kring.lib.pdf import render_to_pdf
from kring.lib.tokens import hash_token
from kring.preparation.logistics.mailing import (
    conference_context,
    first_name,
    get_preparation,
    mail_language,
)
from kring.preparation.logistics.tasks import (
    send_conference_reminder_mail,
    send_invitation_mail,
    send_poll_link_mail,
)
from kring.preparation.models import (
    InterpreterBooking,
    Invitation,
    InvitationStatus,
    Participant,
    PollAnswer,
    PollResponse,
    PollSlot,
    Preparation,
    SentReminder,
)

if TYPE_CHECKING:
    from kring.accounts.models import User

ATTENDING = (InvitationStatus.COMES, InvitationStatus.CONDITIONAL)
LOGISTICS_FIELDS = ("venue", "venue_notes", "food_and_drink", "interpreters", "childcare")
MAX_SLOTS = 4
MIN_SLOTS = 2
CONFERENCE_LENGTH = timedelta(hours=3)
REMINDER_BEFORE = timedelta(hours=48)
REMINDER_KIND = "conference_2_days"
# The poll is answered while the date is still open; once the case is planned it is closed.
POLL_OPEN_STATUSES = frozenset({Status.ASSIGNED, Status.PREPARATION})
# The date may still be (re)fixed until the conference is held.
DATE_STATUSES = POLL_OPEN_STATUSES | {Status.PLANNED}


class StaleEdit(DomainError):
    """Someone else saved the arrangements since this form was opened."""

    default_message = _lazy(
        "Iemand anders heeft dit intussen gewijzigd. Je eigen invoer staat hieronder nog; "
        "vergelijk hem met wat nu is opgeslagen en sla opnieuw op om jouw versie te bewaren."
    )


class LogisticsError(DomainError):
    """A refused change, with a Dutch message for the screen."""


# ---------- Arrangements ----------


@transaction.atomic
def save_logistics(case: Case, *, by: User, lock_version: int, data: dict[str, str]) -> Preparation:
    """Save the arrangements unless someone else saved them since ``lock_version`` was read.

    A compare-and-set on the lock version instead of a lock: the form may be open for an hour on a
    phone, and the second person to save must learn about the first instead of erasing it.
    """
    values = {field: data[field] for field in LOGISTICS_FIELDS}
    get_preparation(case)
    updated = Preparation.objects.filter(case=case, lock_version=lock_version).update(
        **values, lock_version=F("lock_version") + 1
    )
    if not updated:
        raise StaleEdit
    preparation = Preparation.objects.get(case=case)
    record(
        by,
        Action.LOGISTICS_SAVED,
        case=case,
        obj=preparation,
        lock_version=preparation.lock_version,
    )
    return preparation


# ---------- The interpreter ----------

# Who records the cost of a booked interpreter as an expense of the case: the money part,
# above this one, registers itself here (kring/money/apps.py), as the course's hooks do.
_interpreter_expense: list[Callable[[InterpreterBooking, User], object]] = []


def register_interpreter_expense(
    record_expense: Callable[[InterpreterBooking, User], object],
) -> None:
    if record_expense not in _interpreter_expense:
        _interpreter_expense.append(record_expense)


@transaction.atomic
def book_interpreter(
    case: Case, *, by: User, language: Language, hours: Decimal, provider: str, cost: Decimal
) -> InterpreterBooking:
    """Book an interpreter for the conference: the invitations name them from now on, and
    the cost is an expense of the case (refused, with nothing booked, when the money part
    refuses the expense)."""
    booking = InterpreterBooking.objects.create(
        case=case,
        language=language,
        hours=hours,
        provider=provider.strip(),
        cost=cost,
        booked_by=by,
    )
    for record_expense in _interpreter_expense:
        record_expense(booking, by)
    record(
        by,
        Action.INTERPRETER_BOOKED,
        case=case,
        obj=booking,
        language=language.code,
        hours=str(hours),
        cost=str(cost),
    )
    return booking


# ---------- The date poll ----------


def attending(case: Case) -> QuerySet[Participant]:
    """The confirmed participants: those who come, with or without a condition."""
    return case.participants.filter(status__in=ATTENDING).order_by("name", "id")


def poll_is_open(case: Case) -> bool:
    return case.status in POLL_OPEN_STATUSES


@transaction.atomic
def add_slot(case: Case, starts_at: datetime, *, by: User, now: datetime | None = None) -> PollSlot:
    """Propose a date: in the future, not twice, at most four."""
    now = now or timezone.now()
    # Lock the case row so two quick submits cannot both pass the count check.
    Case.objects.select_for_update().filter(pk=case.pk).first()
    if starts_at <= now:
        raise LogisticsError(_("Deze datum is al voorbij. Kies een datum in de toekomst."))
    slots = PollSlot.objects.filter(case=case)
    if slots.filter(starts_at=starts_at).exists():
        raise LogisticsError(_("Deze datum en tijd staan al in de datumprikker."))
    if slots.count() >= MAX_SLOTS:
        raise LogisticsError(
            _("Er staan al %(max)s data in de datumprikker. Haal er eerst één weg.")
            % {"max": MAX_SLOTS}
        )
    slot = PollSlot.objects.create(case=case, starts_at=starts_at)
    record(by, Action.POLL_SLOT_ADDED, case=case, obj=slot, added=starts_at.isoformat())
    return slot


@transaction.atomic
def remove_slot(case: Case, slot_pk: int, *, by: User) -> bool:
    """Take a proposed date out of the poll, with its answers. Twice is harmless."""
    slot = PollSlot.objects.filter(case=case, pk=slot_pk).first()
    if slot is None:
        return False
    removed = slot.starts_at.isoformat()
    slot.delete()
    record(by, Action.POLL_SLOT_REMOVED, case=case, removed=removed)
    return True


@dataclass(frozen=True)
class SlotTally:
    slot: PollSlot
    yes: int
    maybe: int
    no: int

    @property
    def answered(self) -> int:
        return self.yes + self.maybe + self.no


def tally(slots: list[PollSlot], answers: list[tuple[int, str]]) -> list[SlotTally]:
    """Count the answers (slot id, answer) per slot, in the order of ``slots``."""
    counts = {slot.pk: dict.fromkeys(PollAnswer.values, 0) for slot in slots}
    for slot_id, answer in answers:
        if slot_id in counts and answer in counts[slot_id]:
            counts[slot_id][answer] += 1
    return [SlotTally(slot, **counts[slot.pk]) for slot in slots]


def pick_best(tallies: list[SlotTally], now: datetime) -> PollSlot | None:
    """Most "yes", then fewest "no", then the earliest; only future slots, and only once
    someone has answered (with no answers, no date is better than another)."""
    candidates = [t for t in tallies if t.slot.starts_at > now]
    if not any(t.answered for t in candidates):
        return None
    best = min(candidates, key=lambda t: (-t.yes, t.no, t.slot.starts_at))
    return best.slot


def poll_tallies(case: Case) -> list[SlotTally]:
    slots = list(PollSlot.objects.filter(case=case).order_by("starts_at"))
    answers = PollResponse.objects.filter(
        slot__case=case, participant__status__in=ATTENDING
    ).values_list("slot_id", "answer")
    return tally(slots, list(answers))


def best_slot(case: Case, *, now: datetime | None = None) -> PollSlot | None:
    """The date that suits the confirmed participants best (see ``pick_best``)."""
    return pick_best(poll_tallies(case), now or timezone.now())


def answers_by_participant(case: Case) -> dict[int, dict[int, str]]:
    """participant id → slot id → answer, for the confirmed participants' table."""
    table: dict[int, dict[int, str]] = {}
    rows = PollResponse.objects.filter(
        slot__case=case, participant__status__in=ATTENDING
    ).values_list("participant_id", "slot_id", "answer")
    for participant_id, slot_id, answer in rows:
        table.setdefault(participant_id, {})[slot_id] = answer
    return table


@dataclass(frozen=True)
class PollRow:
    participant: Participant
    answers: list[str]  # per slot, in the slots' order; "" when not answered


@dataclass(frozen=True)
class PollTable:
    tallies: list[SlotTally]
    rows: list[PollRow]
    best: PollSlot | None


def poll_table(case: Case, *, now: datetime | None = None) -> PollTable:
    """The coordinator's overview: the answers of every confirmed participant per date.
    Three queries, however large the circle."""
    tallies = poll_tallies(case)
    answers = answers_by_participant(case)
    rows = [
        PollRow(p, [answers.get(p.pk, {}).get(t.slot.pk, "") for t in tallies])
        for p in attending(case)
    ]
    return PollTable(tallies, rows, pick_best(tallies, now or timezone.now()))


@dataclass(frozen=True)
class PollLink:
    """The outcome of opening a poll link: the participant when it works, else why not
    (``unknown``, ``expired`` or ``closed``)."""

    participant: Participant | None
    reason: str = ""
    case: Case | None = None  # for the log row of a refused link


def poll_link_expired(preparation: Preparation | None, case: Case, now: datetime) -> bool:
    """Open while the date is sought; once fixed, for KRING_POLL_LINK_DAYS more (to see the
    chosen date). A fixed date without its moment (never, after the migration) fails closed."""
    if poll_is_open(case):
        return False
    fixed = preparation.date_fixed_at if preparation else None
    return fixed is None or now > fixed + timedelta(days=settings.KRING_POLL_LINK_DAYS)


def participant_for_token(token: str, *, now: datetime | None = None) -> PollLink:
    """The confirmed participant of an active case behind a personal poll link."""
    participant = (
        Participant.objects.select_related("case__preparation")
        .filter(poll_token_hash=hash_token(token))
        .first()
    )
    if participant is None or participant.status not in ATTENDING:
        return PollLink(None, "unknown")
    case = participant.case
    if participant.poll_closed_at is not None or case.status not in INVOLVED_STATUSES:
        return PollLink(None, "closed", case)
    preparation = getattr(case, "preparation", None)
    if poll_link_expired(preparation, case, now or timezone.now()):
        return PollLink(None, "expired", case)
    return PollLink(participant)


@transaction.atomic
def save_poll_answers(participant: Participant, answers: dict[int, str]) -> int:
    """Store a participant's answers (slot id → answer); answering again updates them."""
    if not poll_is_open(participant.case):
        raise LogisticsError(_("De datum is al gekozen; je antwoord is niet meer nodig."))
    # Serialise two submits of the same person, so the second updates instead of colliding.
    Participant.objects.select_for_update().filter(pk=participant.pk).first()
    slots = set(PollSlot.objects.filter(case_id=participant.case_id).values_list("pk", flat=True))
    saved = 0
    for slot_id, answer in answers.items():
        if slot_id in slots and answer in PollAnswer.values:
            PollResponse.objects.update_or_create(
                slot_id=slot_id, participant=participant, defaults={"answer": answer}
            )
            saved += 1
    record(None, Action.POLL_ANSWERED, case=participant.case, obj=participant, answered=saved)
    return saved


def _slots_fingerprint(case: Case) -> str:
    times = ",".join(
        s.isoformat()
        for s in PollSlot.objects.filter(case=case).values_list("starts_at", flat=True)
    )
    return hashlib.sha256(times.encode()).hexdigest()[:10]


@transaction.atomic
def send_poll_links(case: Case, *, by: User) -> int:
    """Mail each confirmed participant with an e-mail address their personal poll link.

    Once per person and set of proposed dates (a SentReminder key), so a double click sends
    nothing twice while a changed poll can be sent again.
    """
    if not poll_is_open(case):
        raise LogisticsError(_("De datum is al gekozen; de datumprikker is gesloten."))
    if not PollSlot.objects.filter(case=case).exists():
        raise LogisticsError(_("Stel eerst een paar data voor."))
    fingerprint = _slots_fingerprint(case)
    sent: list[int] = []
    for participant in attending(case).exclude(email=""):
        if SentReminder.claim(case, f"poll:{participant.pk}:{fingerprint}"):
            sent.append(participant.pk)
    for participant_id in sent:
        transaction.on_commit(partial(send_poll_link_mail.enqueue, participant_id))
    if sent:
        record(by, Action.POLL_LINKS_SENT, case=case, links_sent=len(sent))
    return len(sent)


@transaction.atomic
def choose_slot(case: Case, slot_pk: int, *, by: User, now: datetime | None = None) -> Case:
    """Fix the conference on a proposed date; a case in preparation becomes planned."""
    if not by.has_perm("cases.prepare_case", case):
        raise PermissionDenied
    if case.status not in DATE_STATUSES:
        raise LogisticsError(_("In deze fase van het traject kan de datum niet meer veranderen."))
    slot = PollSlot.objects.filter(case=case, pk=slot_pk).first()
    if slot is None:
        raise LogisticsError(_("Deze datum staat niet (meer) in de datumprikker."))
    if slot.starts_at <= (now or timezone.now()):
        raise LogisticsError(_("Deze datum is al voorbij. Kies een datum in de toekomst."))
    preparation = get_preparation(case)
    Preparation.objects.filter(pk=preparation.pk).update(
        conference_at=slot.starts_at,
        conference_ends_at=slot.starts_at + CONFERENCE_LENGTH,
        date_fixed_at=timezone.now(),
    )
    record(
        by, Action.CONFERENCE_DATE_CHOSEN, case=case, obj=slot, chosen=slot.starts_at.isoformat()
    )
    if case.status == Status.PREPARATION:
        from kring.cases.domain import advance

        return advance(case, Status.PLANNED, by=by, door=Door.SCHEDULE)
    return Case.objects.get(pk=case.pk)


@transaction.atomic
def give_up_date(case: Case, *, by: User, reason: str) -> Case:
    """The planned date cannot go on (illness, a crisis): the case goes back to preparation,
    invitations to that date are cancelled, and a new date is sought with the poll."""
    if not by.has_perm("cases.prepare_case", case):
        raise PermissionDenied
    if not reason.strip():
        raise LogisticsError(_("Schrijf kort op waarom de datum niet doorgaat."))
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status != Status.PLANNED:
        raise LogisticsError(_("Er staat geen geplande conferentie om af te zeggen."))
    preparation = get_preparation(locked)
    now = timezone.now()
    cancelled = Invitation.objects.filter(
        participant__case=locked, cancelled_at__isnull=True, conference_at__gt=now
    ).update(cancelled_at=now)
    was = preparation.conference_at
    Preparation.objects.filter(pk=preparation.pk).update(
        conference_at=None, conference_ends_at=None, date_fixed_at=None
    )
    record(
        by,
        Action.CONFERENCE_DATE_GIVEN_UP,
        case=locked,
        obj=preparation,
        given_up=was.isoformat() if was else "",
        # Not the text: the append-only log must hold no names (docs/security.md, Retention).
        reason=True,
        invitations_cancelled=cancelled,
    )
    from kring.cases.domain import advance, keep_remark

    # The text is kept with the case instead (purged with the request's data).
    keep_remark(locked, RemarkKind.DATE_GIVEN_UP, reason, by)
    return advance(locked, Status.PREPARATION, by=by, door=Door.UNSCHEDULE)


# ---------- Invitations ----------


def invitation_missing(preparation: Preparation) -> list[str]:
    """What must be arranged before invitations can go out (Dutch, for the screen)."""
    missing = []
    if preparation.conference_at is None:
        missing.append(_("Kies eerst een datum in de datumprikker."))
    if not preparation.venue.strip():
        missing.append(_("Vul eerst de plaats in bij de praktische zaken."))
    return missing


def invited_ids(case: Case, conference_at: datetime | None) -> set[int]:
    """Participants already invited for this date."""
    if conference_at is None:
        return set()
    return set(
        Invitation.objects.filter(participant__case=case, conference_at=conference_at).values_list(
            "participant_id", flat=True
        )
    )


def current_invitations(case: Case, conference_at: datetime | None) -> dict[int, Invitation]:
    """participant id → their invitation for this date (the latest, if sent more than once)."""
    if conference_at is None:
        return {}
    invitations = Invitation.objects.filter(
        participant__case=case, conference_at=conference_at
    ).order_by("sent_at", "id")
    return {invitation.participant_id: invitation for invitation in invitations}


@transaction.atomic
def send_invitations(case: Case, *, by: User, now: datetime | None = None) -> list[Invitation]:
    """Invite every confirmed participant not yet invited for the current date: by e-mail
    with an .ics when they have an address, otherwise as a letter to print."""
    if not by.has_perm("cases.prepare_case", case):
        raise PermissionDenied
    get_preparation(case)
    # The lock makes two clicks (or two people) queue up; the second finds everyone invited.
    preparation = Preparation.objects.select_for_update().get(case=case)
    missing = invitation_missing(preparation)
    if missing:
        raise LogisticsError(" ".join(missing))
    conference_at = preparation.conference_at
    assert conference_at is not None
    already = invited_ids(case, conference_at)
    sent_at = now or timezone.now()
    invitations = [
        Invitation.objects.create(
            participant=participant,
            channel=Invitation.Channel.EMAIL if participant.email else Invitation.Channel.LETTER,
            # The language asked for; one without a catalogue goes out in Dutch and English.
            language=mail_language(participant) or "nl",
            sent_at=sent_at,
            conference_at=conference_at,
        )
        for participant in attending(case).exclude(pk__in=already)
    ]
    for invitation in invitations:
        if invitation.channel == Invitation.Channel.EMAIL:
            transaction.on_commit(partial(send_invitation_mail.enqueue, invitation.pk))
    if not invitations:
        return invitations  # everyone was invited for this date already: a repeated click
    record(
        by,
        Action.INVITATIONS_SENT,
        case=case,
        obj=preparation,
        conference_at=conference_at.isoformat(),
        email=sum(i.channel == Invitation.Channel.EMAIL for i in invitations),
        # Letters are made now and sent when the coordinator says so (confirm_letter_sent).
        letters_to_print=sum(i.channel == Invitation.Channel.LETTER for i in invitations),
    )
    return invitations


@transaction.atomic
def confirm_letter_sent(case: Case, participant: Participant, *, by: User) -> Invitation:
    """The coordinator posted or handed over the printed letter: only now is it sent (and
    logged as sent). Once per letter; a second confirmation changes nothing."""
    if not by.has_perm("cases.prepare_case", case):
        raise PermissionDenied
    preparation = Preparation.objects.select_for_update().filter(case=case).first()
    date = preparation.conference_at if preparation else None
    letter = (
        Invitation.objects.select_for_update()
        .filter(
            participant=participant,
            channel=Invitation.Channel.LETTER,
            cancelled_at__isnull=True,
            conference_at=date,
        )
        .first()
        if date is not None
        else None
    )
    if letter is None:
        raise LogisticsError(
            _("Er is voor deze persoon nog geen brief gemaakt. Verstuur eerst de uitnodigingen.")
        )
    if letter.letter_sent_at is None:
        letter.letter_sent_at = timezone.now()
        letter.save(update_fields=["letter_sent_at"])
        record(by, Action.INVITATION_LETTER_SENT, case=case, obj=participant)
    return letter


def letter_context(
    case: Case, preparation: Preparation, participant: Participant
) -> dict[str, Any]:
    """The printed letter: the conference, plus the addressee's name and address lines."""
    lines = [part.strip() for part in participant.address.split(",") if part.strip()]
    return {
        **conference_context(case, preparation),
        "participant": participant,
        "first_name": first_name(participant),
        "address_lines": lines,
        "today": timezone.localdate(),
    }


LETTER_TEMPLATE = "preparation/logistics/invitation_letter.html"


def letter_pdf(case: Case, preparation: Preparation, participant: Participant) -> bytes:
    """The printed letter in the participant's language (right to left for Arabic and
    Farsi), or the Dutch letter with the English one after it (kring/lib/languages.py)."""
    context = letter_context(case, preparation, participant)

    def body() -> dict[str, Any]:
        return {
            "language": translation.get_language(),
            "bidi": translation.get_language_bidi(),
            "html": render_to_string("preparation/logistics/invitation_letter_body.html", context),
            "title": _("Uitnodiging voor de Eigen Kracht-conferentie"),
        }

    rendered = render_in(mail_language(participant), body)
    letters = list(rendered.parts)
    return render_to_pdf(
        LETTER_TEMPLATE,
        {"letters": letters, "title": letters[0]["title"]},
        language=rendered.language,
    )


# ---------- The reminder two days before ----------


def send_conference_reminders(now: datetime) -> int:
    """Remind the attending participants (with e-mail) of conferences within 48 hours, once
    per case; returns the number of mails queued. A second run finds the key and skips."""
    due = Case.objects.filter(
        status=Status.PLANNED,
        paused_at__isnull=True,
        preparation__conference_at__gt=now,
        preparation__conference_at__lte=now + REMINDER_BEFORE,
    )
    queued = 0
    for case in due:
        with transaction.atomic():
            if not SentReminder.claim(case, REMINDER_KIND):
                continue
            recipients = list(attending(case).exclude(email="").values_list("pk", flat=True))
            record(None, Action.REMINDER_SENT, case=case, kind=REMINDER_KIND, count=len(recipients))
            for participant_id in recipients:
                transaction.on_commit(
                    partial(send_conference_reminder_mail.enqueue, participant_id)
                )
            queued += len(recipients)
    return queued
