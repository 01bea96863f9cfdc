"""Coaching's actions, one per change, each checking, writing and logging in one transaction:
recording a new VOG, renewing the independence declaration, a manager's note, planning a
meeting, inviting to it, answering the invitation and recording who was there."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import Region
from kring.audit.log import record
from kring.audit.models import Action
from kring.coaching.models import (
    NOTE_MAX_LENGTH,
    CoachingNote,
    Meeting,
    MeetingInvitation,
    MeetingKind,
    Reply,
)
from kring.coaching.tasks import (
    send_meeting_cancelled,
    send_meeting_invitation,
    send_meeting_moved,
    send_meeting_reminder,
)
from kring.coordinators.models import CoordinatorProfile, CoordinatorStatus
from kring.lib.errors import DomainError
from kring.lib.reminders import claim, queue_after_commit

if TYPE_CHECKING:
    from kring.accounts.models import User


class CoachingRefused(DomainError):
    """A coaching action cannot be done; ``field`` names the form field it is about."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# Invited to meetings: the trained pool (an applicant is not a coordinator yet; a stopped
# coordinator has left).
INVITED_STATUSES = [
    s for s in CoordinatorStatus.values if s not in {CoordinatorStatus.CANDIDATE, "stopped"}
]


def coaches(user: User, profile: CoordinatorProfile) -> bool:
    """The office, and the managers of one of the coordinator's regions."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_office:
        return True
    return user.is_manager and profile.regions.filter(managers=user).exists()


def _locked_profile(profile: CoordinatorProfile, by: User) -> CoordinatorProfile:
    if not coaches(by, profile):
        raise CoachingRefused(_("U begeleidt deze coördinator niet."))
    return CoordinatorProfile.objects.select_for_update().get(pk=profile.pk)


# ---------- Conditions that lapse ----------


@transaction.atomic
def record_vog(
    profile: CoordinatorProfile, *, issued_on: date, by: User, today: date | None = None
) -> CoordinatorProfile:
    """ "VOG vastleggen": the date of a new certificate of conduct; from it the coordinator is
    in matching again (until it lapses in its turn)."""
    today = today or timezone.localdate()
    locked = _locked_profile(profile, by)
    if issued_on > today:
        raise CoachingRefused(
            _("Een VOG kan niet in de toekomst zijn afgegeven."), field="issued_on"
        )
    previous = locked.vog_issued_on
    if previous is not None and issued_on <= previous:
        raise CoachingRefused(
            _("Deze datum is niet later dan de VOG die al is vastgelegd."), field="issued_on"
        )
    locked.vog_issued_on = issued_on
    until = locked.vog_valid_until()
    if until is None or until < today:
        years = settings.KRING_VOG_VALID_YEARS
        raise CoachingRefused(
            _("Deze VOG is al verlopen: een VOG is %(years)s jaar geldig.") % {"years": years},
            field="issued_on",
        )
    locked.save(update_fields=["vog_issued_on"])
    record(by, Action.VOG_RECORDED, obj=locked, issued_on=issued_on.isoformat(),
           previous=previous.isoformat() if previous else None)  # fmt: skip
    return locked


@transaction.atomic
def renew_declaration(
    profile: CoordinatorProfile, *, by: User, today: date | None = None
) -> CoordinatorProfile:
    """The coordinator signs the yearly independence declaration again, today."""
    today = today or timezone.localdate()
    if profile.user_id != by.pk:
        raise CoachingRefused(_("Alleen de coördinator zelf tekent deze verklaring."))
    locked = CoordinatorProfile.objects.select_for_update().get(pk=profile.pk)
    if locked.independence_declared_on == today:
        raise CoachingRefused(_("Je hebt de verklaring vandaag al getekend."))
    previous = locked.independence_declared_on
    locked.independence_declared_on = today
    locked.save(update_fields=["independence_declared_on"])
    record(by, Action.INDEPENDENCE_RENEWED, obj=locked, declared_on=today.isoformat(),
           previous=previous.isoformat() if previous else None)  # fmt: skip
    return locked


# ---------- Notes ----------


@transaction.atomic
def add_note(profile: CoordinatorProfile, *, text: str, internal: bool, by: User) -> CoachingNote:
    _locked_profile(profile, by)
    text = text.strip()
    if not text:
        raise CoachingRefused(_("Schrijf een notitie."), field="text")
    if len(text) > NOTE_MAX_LENGTH:
        raise CoachingRefused(
            _("Houd de notitie korter dan %(n)s tekens.") % {"n": NOTE_MAX_LENGTH}, field="text"
        )
    note = CoachingNote.objects.create(
        profile=profile, author=by, text=text, internal=internal, written_at=timezone.now()
    )
    # The text stays on the note, not in the append-only log.
    record(by, Action.COACHING_NOTE_ADDED, obj=note, coordinator=profile.user_id, internal=internal)
    return note


def notes_for(user: User, profile: CoordinatorProfile) -> QuerySet[CoachingNote]:
    """The notes this user may read: coaches all, the coordinator the non-internal ones."""
    notes = profile.coaching_notes.select_related("author")
    if coaches(user, profile):
        return notes
    if user.is_authenticated and profile.user_id == user.pk:
        return notes.filter(internal=False)
    return notes.none()


# ---------- Meetings ----------


def manages_meeting(user: User, meeting: Meeting) -> bool:
    """A regional meeting: the office and the region's managers; a study day: the office."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_office:
        return True
    return (
        user.is_manager
        and meeting.region_id is not None
        and user.regions.filter(pk=meeting.region_id).exists()
    )


def meetings_for(user: User) -> QuerySet[Meeting]:
    """The meetings a manager or the office sees: their regions' and every study day."""
    meetings = Meeting.objects.select_related("region")
    if user.is_office:
        return meetings
    if user.is_manager:
        return meetings.filter(Q(region__in=user.regions.all()) | Q(region__isnull=True))
    return meetings.none()


@transaction.atomic
def plan_meeting(
    *,
    kind: str,
    region: Region | None,
    starts_at: datetime,
    place: str,
    topic: str,
    by: User,
) -> Meeting:
    if kind == MeetingKind.STUDY_DAY:
        if not by.is_office:
            raise CoachingRefused(_("Landelijke studiedagen plant het landelijk bureau."))
        region = None
    elif kind == MeetingKind.REGIONAL:
        if region is None:
            raise CoachingRefused(_("Kies de regio van de bijeenkomst."), field="region")
        if not (by.is_office or by.regions.filter(pk=region.pk).exists()):
            raise CoachingRefused(
                _("U plant alleen bijeenkomsten in uw eigen regio's."), field="region"
            )
    else:
        raise CoachingRefused(_("Kies het soort bijeenkomst."), field="kind")
    if starts_at <= timezone.now():
        raise CoachingRefused(_("Kies een moment in de toekomst."), field="starts_at")
    meeting = Meeting.objects.create(
        kind=kind,
        region=region,
        starts_at=starts_at,
        place=place.strip(),
        topic=topic.strip(),
        planned_by=by,
        planned_at=timezone.now(),
    )
    record(by, Action.MEETING_PLANNED, obj=meeting, kind=kind,
           region=region.pk if region else None)  # fmt: skip
    return meeting


def invitees(meeting: Meeting) -> QuerySet[CoordinatorProfile]:
    """Who a meeting is for: the region's coordinators, or the whole pool for a study day."""
    pool = CoordinatorProfile.objects.filter(status__in=INVITED_STATUSES, user__is_active=True)
    if meeting.region_id is not None:
        pool = pool.filter(regions=meeting.region_id)
    return pool.distinct()


def _locked_managed(meeting: Meeting, by: User) -> Meeting:
    """The meeting locked, for whoever manages it; a called-off one takes no further step."""
    if not manages_meeting(by, meeting):
        raise CoachingRefused(_("U beheert deze bijeenkomst niet."))
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.cancelled_at is not None:
        raise CoachingRefused(_("Deze bijeenkomst is afgelast."))
    return locked


def _locked_before_start(meeting: Meeting, by: User) -> Meeting:
    """The meeting locked, as long as it can still be invited to, moved or called off."""
    locked = _locked_managed(meeting, by)
    if locked.starts_at <= timezone.now():
        raise CoachingRefused(_("Deze bijeenkomst is al begonnen of voorbij."))
    return locked


@transaction.atomic
def invite(meeting: Meeting, *, by: User) -> int:
    """Invite everyone the meeting is for who is not invited yet (so a second click, or a
    coordinator who joined the region since, gets exactly one invitation); one mail each."""
    # The lock serialises two invites of the same meeting; the unique constraint stays the
    # backstop.
    locked = _locked_before_start(meeting, by)
    already = locked.invitations.values("profile_id")
    now = timezone.now()
    created = MeetingInvitation.objects.bulk_create(
        MeetingInvitation(meeting=locked, profile=profile, invited_at=now)
        for profile in invitees(locked).exclude(pk__in=already)
    )
    record(by, Action.MEETING_INVITED, obj=locked, invited=len(created))
    for invitation in created:  # SQLite and PostgreSQL both return the new ids
        transaction.on_commit(partial(send_meeting_invitation.enqueue, invitation.pk))
    return len(created)


@transaction.atomic
def move_meeting(meeting: Meeting, *, starts_at: datetime, place: str, by: User) -> int:
    """Another moment or place, before it starts: every invitee is mailed the new one (and
    may answer again). Returns how many were told."""
    locked = _locked_before_start(meeting, by)
    where = place.strip()
    if starts_at <= timezone.now():
        raise CoachingRefused(_("Kies een moment in de toekomst."), field="starts_at")
    if (locked.starts_at, locked.place) == (starts_at, where):
        raise CoachingRefused(_("Dit zijn het moment en de plaats die er al staan."))
    was = locked.starts_at
    locked.starts_at, locked.place = starts_at, where
    locked.calendar_sequence += 1
    locked.reminded_at = None  # the new moment gets its own reminder
    locked.save(update_fields=["starts_at", "place", "calendar_sequence", "reminded_at"])
    record(by, Action.MEETING_MOVED, obj=locked, was=was.isoformat(),
           starts_at=starts_at.isoformat())  # fmt: skip
    told = list(locked.invitations.values_list("pk", flat=True))
    for invitation in told:
        transaction.on_commit(partial(send_meeting_moved.enqueue, invitation))
    return len(told)


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, reason: str, by: User) -> int:
    """Called off before it starts, with the reason (kept with the meeting, not mailed):
    every invitee is mailed and sees it on their list as called off. Returns how many."""
    locked = _locked_before_start(meeting, by)
    text = reason.strip()
    if not text:
        raise CoachingRefused(_("Schrijf kort op waarom het niet doorgaat."), field="reason")
    locked.cancelled_at, locked.cancel_reason = timezone.now(), text
    locked.calendar_sequence += 1
    locked.save(update_fields=["cancelled_at", "cancel_reason", "calendar_sequence"])
    told = list(locked.invitations.values_list("pk", flat=True))
    record(by, Action.MEETING_CANCELLED, obj=locked, invited=len(told))
    for invitation in told:
        transaction.on_commit(partial(send_meeting_cancelled.enqueue, invitation))
    return len(told)


# Invitees who did not say no hear again this long before the meeting.
REMINDER_BEFORE = timedelta(hours=48)


def send_meeting_reminders(now: datetime) -> int:
    """Remind the invitees who did not say no of a meeting within 48 hours, once per meeting
    (claimed by setting ``reminded_at``; a move clears it). Returns the mails queued."""
    due = Meeting.objects.filter(
        cancelled_at=None,
        reminded_at=None,
        starts_at__gt=now,
        starts_at__lte=now + REMINDER_BEFORE,
    )
    queued = 0
    for meeting in due:
        with transaction.atomic():
            if not claim(meeting, now):
                continue
            coming = meeting.invitations.exclude(reply=Reply.NO)
            invited = list(coming.values_list("pk", flat=True))
            record(None, Action.REMINDER_SENT, obj=meeting, kind="meeting", count=len(invited))
            queued += queue_after_commit(send_meeting_reminder, invited)
    return queued


@transaction.atomic
def answer(invitation: MeetingInvitation, *, reply: str, by: User) -> MeetingInvitation:
    """The coordinator says whether they come (and may change their mind until it starts)."""
    locked = MeetingInvitation.objects.select_for_update().select_related("meeting", "profile")
    locked_invitation = locked.get(pk=invitation.pk)
    if locked_invitation.profile.user_id != by.pk:
        raise CoachingRefused(_("Dit is niet jouw uitnodiging."))
    if reply not in (Reply.YES, Reply.NO):
        raise CoachingRefused(_("Kies of je komt."), field="reply")
    if locked_invitation.meeting.cancelled_at is not None:
        raise CoachingRefused(_("Deze bijeenkomst is afgelast."))
    if locked_invitation.meeting.starts_at <= timezone.now():
        raise CoachingRefused(_("Deze bijeenkomst is al begonnen of voorbij."))
    locked_invitation.reply, locked_invitation.replied_at = reply, timezone.now()
    locked_invitation.save(update_fields=["reply", "replied_at"])
    record(by, Action.MEETING_ANSWERED, obj=locked_invitation.meeting, reply=reply)
    return locked_invitation


@transaction.atomic
def record_attendance(meeting: Meeting, *, present: Iterable[int], by: User) -> int:
    """Afterwards: who was there (ids of this meeting's invitations); everyone else invited
    was not. Recording again replaces the earlier record."""
    locked = _locked_managed(meeting, by)
    if locked.starts_at > timezone.now():
        raise CoachingRefused(_("Aanwezigheid leg je vast als de bijeenkomst is begonnen."))
    chosen = set(present)
    invitations = locked.invitations.all()
    if not chosen <= set(invitations.values_list("pk", flat=True)):
        raise CoachingRefused(_("Kies alleen uit de uitgenodigde coördinatoren."), field="present")
    there = invitations.filter(pk__in=chosen).update(attended=True)
    invitations.exclude(pk__in=chosen).update(attended=False)
    record(by, Action.MEETING_ATTENDANCE_RECORDED, obj=locked, present=there,
           invited=invitations.count())  # fmt: skip
    return there
