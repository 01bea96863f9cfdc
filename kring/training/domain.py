"""Every step of the coordinator's path is one function here: it checks, writes the row that
proves the step, moves ``Application.stage`` and logs, in one transaction (the application's
row locked, so two trainers clicking at once make one step). A refusal raises
``TrainingRefused`` with a Dutch reason and is logged after the change rolled back.

The coordinator's status (``CoordinatorProfile.status``) follows the steps: ``ek1`` when the
trainers and the candidate decide to go on (the account is made then), ``certified`` with the
certificate, ``ek2`` with the EK2 report, which also records the variants chosen. Pausing,
resuming and stopping are the only other changes, each its own action.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import Role, User
from kring.audit.log import record
from kring.audit.models import Action, Outcome
from kring.cases.choices import Variant
from kring.cases.models import CONFERENCE_HELD_STATUSES, Case
from kring.coordinators.models import CoordinatorProfile, CoordinatorStatus
from kring.lib.errors import DomainError
from kring.lib.reminders import claim, queue_after_commit
from kring.training.models import (
    STAGE_ORDER,
    Application,
    Certificate,
    CertificateCounter,
    CurriculumVitae,
    EK2Report,
    FirstConferenceEvaluation,
    Invitation,
    SelfReport,
    SessionKind,
    Stage,
    StatusChange,
    TrainerDecision,
    TrainingSession,
)
from kring.training.profile import REPORT_KEYS
from kring.training.tasks import (
    send_application_confirmation,
    send_report_link,
    send_session_cancelled,
    send_session_invitation,
    send_session_moved,
    send_session_reminder,
    send_welcome,
)

if TYPE_CHECKING:
    from django.forms import BaseForm

    from kring.accounts.models import Postcode, Region
    from kring.coordinators.models import Language
    from kring.lib.errors import Message

T = TypeVar("T")

# EK2 follows after this many conferences (the EKC's own rule).
EK2_AFTER_CONFERENCES = 2
# What a session of each kind is for: the stage an applicant must be in to be invited, and
# the stage that attending it leads to.
SESSION_STEPS: dict[str, tuple[str, str]] = {
    SessionKind.INFO: (Stage.APPLIED, Stage.INFO_MEETING),
    SessionKind.EK1: (Stage.DECIDED, Stage.EK1_ATTENDED),
    SessionKind.EK2: (Stage.CERTIFIED, Stage.EK2_ATTENDED),
}
EXTRA_VARIANTS = [Variant.RESTORATIVE, Variant.GROUP, Variant.LEARNING]
ACTIVE_STATUSES = {CoordinatorStatus.EK1, CoordinatorStatus.CERTIFIED, CoordinatorStatus.EK2}


class TrainingRefused(DomainError):
    """The step is not allowed now; ``field`` names the form field it belongs next to."""

    def __init__(self, message: Message | None = None, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

    def field_on(self, form: BaseForm) -> str | None:
        return self.field if self.field in form.fields else None


def _guarded[T](action: Action, by: User | None, change: Callable[[], T], **where: Any) -> T:
    """Run ``change`` in its own transaction; a refusal is logged after it rolled back."""
    try:
        with transaction.atomic():
            return change()
    except TrainingRefused as refusal:
        record(by, action, outcome=Outcome.REFUSED, message=str(refusal), **where)
        raise


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def _move(
    application: Application, to: str, *, reason: str = "", close_report_link: bool = False
) -> None:
    application.stage = to
    application.stage_changed_at = timezone.now()
    fields = ["stage", "stage_changed_at"]
    if close_report_link:
        application.report_token_hash = ""
        fields.append("report_token_hash")
    if reason:
        application.ended_reason = reason
        fields.append("ended_reason")
    application.save(update_fields=fields)


def _expect(application: Application, *stages: str) -> None:
    if application.stage not in stages:
        raise TrainingRefused(
            _("Deze stap kan nu niet: %(name)s is in de fase ‘%(stage)s’.")
            % {"name": application, "stage": application.get_stage_display()}
        )


def _set_status(profile: CoordinatorProfile, to: str, *, by: User, reason: str = "") -> None:
    StatusChange.objects.create(
        profile=profile,
        from_status=profile.status,
        to_status=to,
        reason=reason,
        changed_by=by,
        changed_at=timezone.now(),
    )
    record(
        by,
        Action.COORDINATOR_STATUS_CHANGED,
        obj=profile,
        old=profile.status,
        new=to,
        reason=reason,
    )
    profile.status = to
    profile.save(update_fields=["status"])


# ---------- 1. Applying ----------


@dataclass(frozen=True)
class CVFile:
    filename: str
    content_type: str
    content: bytes


def submit_application(
    *,
    first_name: str,
    last_name: str,
    email: str,
    phone: str,
    postcode: Postcode | None,
    region: Region,
    languages: Iterable[Language],
    availability: list[str],
    motivation: str,
    cv: CVFile,
    submission_token: Any = None,
) -> Application:
    """The public form's letter with motivation and CV; a double submit lands once."""
    if submission_token is not None:
        earlier = Application.objects.filter(submission_token=submission_token).first()
        if earlier is not None:
            return earlier
    now = timezone.now()
    try:
        with transaction.atomic():
            application = Application.objects.create(
                first_name=first_name,
                last_name=last_name,
                email=email.strip().lower(),
                phone=phone,
                postcode=postcode,
                region=region,
                availability=availability,
                motivation=motivation,
                submitted_at=now,
                stage_changed_at=now,
                submission_token=submission_token,
            )
            application.languages.set(list(languages))
            CurriculumVitae.objects.create(
                application=application,
                filename=cv.filename,
                content_type=cv.content_type,
                size=len(cv.content),
                content=cv.content,
            )
            record(None, Action.TRAINING_APPLIED, obj=application, region=region.slug)
            pk = application.pk
            transaction.on_commit(lambda: send_application_confirmation.enqueue(pk))
    except IntegrityError:  # the same token posted twice at once: the first one counts
        return Application.objects.get(submission_token=submission_token)
    return application


# ---------- 2. Sessions: planning, inviting, attendance ----------


def plan_session(
    *,
    kind: str,
    starts_on: date,
    ends_on: date,
    place: str,
    capacity: int,
    trainers: Iterable[User],
    by: User,
) -> TrainingSession:
    def change() -> TrainingSession:
        if ends_on < starts_on:
            raise TrainingRefused(_("De laatste dag ligt vóór de eerste dag."), field="ends_on")
        if starts_on < timezone.localdate():
            raise TrainingRefused(_("Kies een datum vanaf vandaag."), field="starts_on")
        chosen = list(trainers)
        if any(t.role != Role.TRAINER for t in chosen) or not chosen:
            raise TrainingRefused(_("Kies minstens één trainer."), field="trainers")
        session = TrainingSession.objects.create(
            kind=kind,
            starts_on=starts_on,
            ends_on=ends_on,
            place=place,
            capacity=capacity,
            created_by=by,
        )
        session.trainers.set(chosen)
        record(by, Action.TRAINING_SESSION_PLANNED, obj=session, kind=kind)
        return session

    return _guarded(Action.TRAINING_SESSION_PLANNED, by, change)


def _locked_session(session: TrainingSession) -> TrainingSession:
    """The session locked; a called-off one takes no further step."""
    locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if locked.cancelled_at is not None:
        raise TrainingRefused(_("Deze bijeenkomst is afgelast."))
    return locked


def _locked_changeable(session: TrainingSession) -> TrainingSession:
    """The session locked, as long as it can be moved or called off: before anyone's
    attendance was recorded."""
    locked = _locked_session(session)
    if locked.invitations.exclude(attended=None).exists():
        raise TrainingRefused(
            _("De aanwezigheid is al vastgelegd: deze bijeenkomst heeft plaatsgevonden.")
        )
    return locked


def move_session(
    session: TrainingSession, *, starts_on: date, ends_on: date, place: str, by: User
) -> int:
    """Another date or place, before it took place: every invitee is mailed the new one.
    Returns how many were told."""

    def change() -> int:
        locked = _locked_changeable(session)
        if ends_on < starts_on:
            raise TrainingRefused(_("De laatste dag ligt vóór de eerste dag."), field="ends_on")
        if starts_on < timezone.localdate():
            raise TrainingRefused(_("Kies een datum vanaf vandaag."), field="starts_on")
        where = place.strip()
        if (locked.starts_on, locked.ends_on, locked.place) == (starts_on, ends_on, where):
            raise TrainingRefused(_("Dit zijn de datum en plaats die er al staan."))
        was = locked.starts_on
        locked.starts_on, locked.ends_on, locked.place = starts_on, ends_on, where
        locked.calendar_sequence += 1
        locked.reminded_at = None  # the new date gets its own reminder
        locked.save(
            update_fields=["starts_on", "ends_on", "place", "calendar_sequence", "reminded_at"]
        )
        record(
            by,
            Action.TRAINING_SESSION_MOVED,
            obj=locked,
            was=was.isoformat(),
            starts_on=starts_on.isoformat(),
        )
        told = list(locked.invitations.values_list("pk", flat=True))
        for invitation in told:
            transaction.on_commit(partial(send_session_moved.enqueue, invitation))
        return len(told)

    return _guarded(Action.TRAINING_SESSION_MOVED, by, change, session=session.pk)


def cancel_session(session: TrainingSession, *, reason: str, by: User) -> int:
    """Called off before it took place, with the reason (kept with the session): the
    invitations are withdrawn, so the invitees can be invited to another session of the
    kind, and each is mailed. Returns how many were told."""

    def change() -> int:
        locked = _locked_changeable(session)
        text = reason.strip()
        if not text:
            raise TrainingRefused(_("Schrijf kort op waarom het niet doorgaat."), field="reason")
        invited = list(locked.invitations.values_list("application_id", flat=True))
        locked.invitations.all().delete()
        locked.cancelled_at, locked.cancel_reason = timezone.now(), text
        locked.calendar_sequence += 1
        locked.save(update_fields=["cancelled_at", "cancel_reason", "calendar_sequence"])
        record(
            by, Action.TRAINING_SESSION_CANCELLED, obj=locked, invitations_withdrawn=len(invited)
        )
        for application in invited:
            transaction.on_commit(partial(send_session_cancelled.enqueue, locked.pk, application))
        return len(invited)

    return _guarded(Action.TRAINING_SESSION_CANCELLED, by, change, session=session.pk)


# Invitees hear again this many days before the first day.
REMINDER_DAYS = 2


def send_session_reminders(today: date) -> int:
    """Remind everyone still invited to a session that starts within two days, once per
    session (claimed by setting ``reminded_at``, so two runs at once remind once; a move
    clears it). Returns the number of mails queued."""
    due = TrainingSession.objects.filter(
        cancelled_at=None,
        reminded_at=None,
        starts_on__gte=today,
        starts_on__lte=today + timedelta(days=REMINDER_DAYS),
    )
    queued = 0
    for session in due:
        with transaction.atomic():
            if not claim(session, timezone.now()):
                continue
            invited = list(session.invitations.filter(attended=None).values_list("pk", flat=True))
            record(None, Action.REMINDER_SENT, obj=session, kind="training", count=len(invited))
            queued += queue_after_commit(send_session_reminder, invited)
    return queued


def can_be_invited(application: Application, session: TrainingSession) -> bool:
    """Whether the application is at the step this session is for (the list of whom to
    invite; ``invite`` checks the same under lock)."""
    needed, _next = SESSION_STEPS[session.kind]
    if application.stage != needed:
        return False
    if session.kind == SessionKind.EK2:
        return conferences_done(application) >= EK2_AFTER_CONFERENCES
    return True


def conferences_done(application: Application) -> int:
    """The conferences the coordinator has done: the profile's counter (kept by the pool,
    and set for coordinators who came from before Kring) or the held conferences of their
    own cases in Kring, whichever is more."""
    profile = profile_of(application)
    if profile is None:
        return 0
    held = Case.objects.filter(
        coordinator_id=application.user_id, status__in=CONFERENCE_HELD_STATUSES
    ).count()
    return max(profile.conferences_done, held)


def invite(session: TrainingSession, applications: Iterable[Application], *, by: User) -> int:
    """Invite applicants to a session (the mail goes after the commit); returns how many."""
    chosen = sorted({a.pk for a in applications})

    def change() -> int:
        locked = _locked_session(session)
        if locked.ends_on < timezone.localdate():
            raise TrainingRefused(_("Deze bijeenkomst is al voorbij."))
        if not chosen:
            raise TrainingRefused(_("Kies wie je wilt uitnodigen."), field="applications")
        taken = locked.invitations.count()
        if taken + len(chosen) > locked.capacity:
            raise TrainingRefused(
                _("Er zijn nog %(free)s plaatsen; je koos er %(n)s.")
                % {"free": max(locked.capacity - taken, 0), "n": len(chosen)},
                field="applications",
            )
        now = timezone.now()
        made = []
        for application in Application.objects.select_for_update().filter(pk__in=chosen):
            if not can_be_invited(application, locked):
                raise TrainingRefused(
                    _("%(name)s kan niet voor deze bijeenkomst worden uitgenodigd.")
                    % {"name": application},
                    field="applications",
                )
            waiting = Invitation.objects.filter(
                application=application, session__kind=locked.kind, attended__isnull=True
            )
            if waiting.exists():
                raise TrainingRefused(
                    _("%(name)s is al uitgenodigd voor een %(kind)s.")
                    % {"name": application, "kind": locked.get_kind_display().lower()},
                    field="applications",
                )
            made.append(
                Invitation.objects.create(
                    session=locked, application=application, invited_at=now, invited_by=by
                )
            )
            record(by, Action.TRAINING_INVITED, obj=application, session=locked.pk)
        for invitation in made:
            transaction.on_commit(partial(send_session_invitation.enqueue, invitation.pk))
        return len(made)

    return _guarded(Action.TRAINING_INVITED, by, change, session=session.pk)


def record_attendance(session: TrainingSession, present: Iterable[int], *, by: User) -> int:
    """Who was there: every invitation not yet recorded is recorded, present (the ids in
    ``present``) or absent. Attending moves the applicant to the session's next stage; after
    EK1 the candidate gets the link to write the self-report. Returns how many were there."""
    there = set(present)

    def change() -> int:
        locked = _locked_session(session)
        if locked.starts_on > timezone.localdate():
            raise TrainingRefused(_("Aanwezigheid leg je vast vanaf de eerste dag."))
        open_ = list(
            locked.invitations.select_for_update().filter(attended__isnull=True).order_by("pk")
        )
        if not open_:
            raise TrainingRefused(_("De aanwezigheid is al vastgelegd."))
        if there - set(locked.invitations.values_list("pk", flat=True)):
            raise TrainingRefused(_("Kies alleen mensen die zijn uitgenodigd."))
        needed, reached = SESSION_STEPS[locked.kind]
        now = timezone.now()
        count = 0
        for invitation in open_:
            invitation.attended = invitation.pk in there
            invitation.attendance_recorded_at, invitation.attendance_recorded_by = now, by
            invitation.save(
                update_fields=["attended", "attendance_recorded_at", "attendance_recorded_by"]
            )
            application = _locked(invitation.application)
            record(
                by,
                Action.TRAINING_ATTENDANCE,
                obj=application,
                session=locked.pk,
                attended=invitation.attended,
            )
            if invitation.attended and application.stage == needed:
                count += 1
                _move(application, reached)
                if reached == Stage.EK1_ATTENDED:
                    transaction.on_commit(partial(send_report_link.enqueue, application.pk))
        return count

    return _guarded(Action.TRAINING_ATTENDANCE, by, change, session=session.pk)


def correct_attendance(
    invitation: Invitation, *, attended: bool, reason: str, by: User
) -> Invitation:
    """A presence recorded wrongly, set right with the reason (a tick forgotten, or put in
    the wrong row), which is kept with the invitation. Made present, the candidate takes the
    step the session leads to when still waiting for it. Made absent, that step is taken
    back, but only while nothing rests on it: no other session of the kind attended, and no
    later step taken (after EK1: the self-report not yet written; its link stops working).
    Both are logged."""

    def change() -> Invitation:
        locked = (
            Invitation.objects.select_for_update().select_related("session").get(pk=invitation.pk)
        )
        if locked.attended is None:
            raise TrainingRefused(_("Leg eerst de aanwezigheid van deze bijeenkomst vast."))
        if locked.attended == attended:
            raise TrainingRefused(_("Zo staat het al genoteerd."), field="attended")
        text = reason.strip()
        if not text:
            raise TrainingRefused(_("Schrijf kort op wat er mis was."), field="reason")
        application = _locked(locked.application)
        needed, reached = SESSION_STEPS[locked.session.kind]
        if attended and application.stage == needed:
            _move(application, reached)
            if reached == Stage.EK1_ATTENDED:
                transaction.on_commit(partial(send_report_link.enqueue, application.pk))
        elif not attended and not _attended_another(locked):
            _step_back(application, needed, reached)
        locked.attended, locked.correction_reason = attended, text
        locked.attendance_recorded_at, locked.attendance_recorded_by = timezone.now(), by
        locked.save(
            update_fields=[
                "attended",
                "correction_reason",
                "attendance_recorded_at",
                "attendance_recorded_by",
            ]
        )
        record(
            by,
            Action.TRAINING_ATTENDANCE_CORRECTED,
            obj=application,
            session=locked.session_id,
            attended=attended,
            stage=application.stage,
        )
        return locked

    return _guarded(Action.TRAINING_ATTENDANCE_CORRECTED, by, change, invitation=invitation.pk)


def _attended_another(invitation: Invitation) -> bool:
    """Whether the candidate was at another session of the same kind (which still counts)."""
    return (
        Invitation.objects.filter(
            application_id=invitation.application_id,
            session__kind=invitation.session.kind,
            attended=True,
        )
        .exclude(pk=invitation.pk)
        .exists()
    )


def _step_back(application: Application, needed: str, reached: str) -> None:
    """Undo the step attending led to; a candidate who went further, or stopped, keeps
    their stage (stopping keeps what happened before it)."""
    if application.stage == Stage.ENDED:
        return
    if application.stage != reached:
        raise TrainingRefused(
            _(
                "Dit kan niet meer: %(name)s is al verder, in de fase ‘%(stage)s’, en die "
                "stap rust op deze bijeenkomst."
            )
            % {"name": application, "stage": application.get_stage_display()}
        )
    _move(application, needed, close_report_link=reached == Stage.EK1_ATTENDED)


# ---------- 3. The candidate's steps ----------


def decide_to_take_part(application: Application, *, by: User) -> Application:
    """After the information meeting the applicant chooses to follow EK1 (the trainer or
    the office records what the applicant said)."""

    def change() -> Application:
        locked = _locked(application)
        _expect(locked, Stage.INFO_MEETING)
        _move(locked, Stage.DECIDED)
        record(by, Action.TRAINING_DECIDED_TO_TAKE_PART, obj=locked)
        return locked

    return _guarded(Action.TRAINING_DECIDED_TO_TAKE_PART, by, change, application=application.pk)


# Before the coordinator's account is made; after it, the coordinator is stopped instead
# (``stop_coordinator``), with their cases in view.
WITHDRAWABLE = tuple(STAGE_ORDER[: STAGE_ORDER.index(Stage.ACCEPTED)])


def withdraw_application(application: Application, *, reason: str, by: User) -> Application:
    """The candidate stops before becoming a coordinator: their own choice, told to the
    trainer or the office, who record it with the reason. Invitations to sessions still to
    come are withdrawn (nobody counts on their seat), and the self-report link stops
    working; what happened before stays."""

    def change() -> Application:
        locked = _locked(application)
        _expect(locked, *WITHDRAWABLE)
        text = reason.strip()
        if not text:
            raise TrainingRefused(_("Schrijf kort op waarom de kandidaat stopt."), field="reason")
        withdrawn, _kinds = locked.invitations.filter(
            attended__isnull=True, session__starts_on__gt=timezone.localdate()
        ).delete()
        _move(locked, Stage.ENDED, reason=text, close_report_link=True)
        record(by, Action.TRAINING_WITHDRAWN, obj=locked, invitations_withdrawn=withdrawn)
        return locked

    return _guarded(Action.TRAINING_WITHDRAWN, by, change, application=application.pk)


def application_by_report_token(token_hash: str) -> Application | None:
    if not token_hash:
        return None
    return Application.objects.filter(report_token_hash=token_hash).first()


def submit_self_report(application: Application, answers: dict[str, str]) -> SelfReport:
    """The candidate's report against the profile's points, through their personal link; the
    link is spent with it."""

    def change() -> SelfReport:
        locked = _locked(application)
        _expect(locked, Stage.EK1_ATTENDED)
        missing = [key for key in REPORT_KEYS if not (answers.get(key) or "").strip()]
        if missing:
            raise TrainingRefused(_("Beantwoord elke vraag, een paar zinnen is genoeg."))
        report = SelfReport.objects.create(
            application=locked,
            answers={key: answers[key].strip() for key in REPORT_KEYS},
            submitted_at=timezone.now(),
        )
        locked.report_token_hash = ""
        locked.save(update_fields=["report_token_hash"])
        _move(locked, Stage.SELF_REPORT)
        record(None, Action.TRAINING_SELF_REPORT, obj=locked)
        return report

    return _guarded(Action.TRAINING_SELF_REPORT, None, change, application=application.pk)


def decide_as_trainers(
    application: Application, *, positive: bool, talk_note: str, by: User
) -> TrainerDecision:
    """The trainers' response to the self-report. Positive (the candidate chose to go on
    already): the coordinator's account and profile are made (status EK1) and the candidate
    gets a mail to choose a password. Negative: only after a talk, whose note is kept."""

    def change() -> TrainerDecision:
        locked = _locked(application)
        _expect(locked, Stage.SELF_REPORT)
        note = talk_note.strip()
        if not positive and not note:
            raise TrainingRefused(
                _("Schrijf kort op wat er in het gesprek met de kandidaat is besproken."),
                field="talk_note",
            )
        if positive and User.objects.filter(email__iexact=locked.email).exists():
            raise TrainingRefused(
                _("Er bestaat al een account met het e-mailadres %(email)s.")
                % {"email": locked.email}
            )
        decision = TrainerDecision.objects.create(
            application=locked,
            positive=positive,
            talk_note=note,
            decided_by=by,
            decided_at=timezone.now(),
        )
        record(by, Action.TRAINING_TRAINER_DECISION, obj=locked, positive=positive)
        if positive:
            _make_coordinator(locked, by=by)
            _move(locked, Stage.ACCEPTED)
        else:
            _move(locked, Stage.ENDED, reason=_("Besluit van de trainers na EK1."))
        return decision

    return _guarded(Action.TRAINING_TRAINER_DECISION, by, change, application=application.pk)


def _make_coordinator(application: Application, *, by: User) -> CoordinatorProfile:
    user = User.objects.create_user(
        application.email,
        None,  # no usable password: the candidate chooses one through the mailed link
        role=Role.COORDINATOR,
        first_name=application.first_name,
        last_name=application.last_name,
        phone=application.phone,
    )
    application.user = user
    application.save(update_fields=["user"])
    availability = set(application.availability)
    profile = CoordinatorProfile.objects.create(
        user=user,
        home_postcode=application.postcode,
        evenings_weekends=bool(availability & {"evenings", "weekends"}),
        status=CoordinatorStatus.CANDIDATE,
    )
    profile.regions.set([application.region])
    profile.languages.set(list(application.languages.all()))
    _set_status(profile, CoordinatorStatus.EK1, by=by, reason=_("Positief besluit na EK1."))
    pk = user.pk
    transaction.on_commit(lambda: send_welcome.enqueue(pk))
    return profile


def profile_of(application: Application) -> CoordinatorProfile | None:
    if application.user_id is None:
        return None
    return CoordinatorProfile.objects.filter(user_id=application.user_id).first()


def first_case(application: Application) -> Case | None:
    """The candidate's first conference: the first case whose conference was held, else the
    case they have now (None before any)."""
    if application.user_id is None:
        return None
    cases = Case.objects.filter(coordinator_id=application.user_id).order_by("assigned_at", "pk")
    held = cases.filter(status__in=CONFERENCE_HELD_STATUSES).first()
    return held or cases.last()


def record_evaluation(
    application: Application, *, positive: bool, note: str, by: User
) -> FirstConferenceEvaluation:
    """The evaluation after the first conference, once that conference was held. Positive:
    the certificate may be issued. Negative: the path ends here (the note says why)."""

    def change() -> FirstConferenceEvaluation:
        locked = _locked(application)
        _expect(locked, Stage.ACCEPTED)
        case = first_case(locked)
        if case is None or case.status not in CONFERENCE_HELD_STATUSES:
            raise TrainingRefused(
                _("De evaluatie volgt na de eerste conferentie; die is nog niet gehouden.")
            )
        if not note.strip():
            raise TrainingRefused(_("Schrijf kort op hoe de conferentie ging."), field="note")
        evaluation = FirstConferenceEvaluation.objects.create(
            application=locked,
            case=case,
            positive=positive,
            note=note.strip(),
            evaluated_by=by,
            evaluated_at=timezone.now(),
        )
        record(by, Action.TRAINING_EVALUATED, obj=locked, case=case, positive=positive)
        if positive:
            _move(locked, Stage.EVALUATED)
        else:
            _move(locked, Stage.ENDED, reason=_("Evaluatie van de eerste conferentie."))
            profile = profile_of(locked)
            if profile is not None and profile.status != CoordinatorStatus.STOPPED:
                _set_status(profile, CoordinatorStatus.STOPPED, by=by, reason=note.strip()[:300])
        return evaluation

    return _guarded(Action.TRAINING_EVALUATED, by, change, application=application.pk)


def next_certificate_number(year: int) -> tuple[int, str]:
    """The year's next number, taken under the counter row's lock: no gaps, no doubles."""
    CertificateCounter.objects.get_or_create(year=year)
    counter = CertificateCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, f"EKC-{year}-{counter.last:04d}"


def issue_certificate(application: Application, *, by: User) -> Certificate:
    """After a positive evaluation: the certificate, and the coordinator is registered
    (status ``certified``)."""

    def change() -> Certificate:
        locked = _locked(application)
        _expect(locked, Stage.EVALUATED)
        profile = profile_of(locked)
        if profile is None or profile.status != CoordinatorStatus.EK1:
            raise TrainingRefused(
                _("De coördinator staat niet op EK1 (gepauzeerd of gestopt?); hervat eerst.")
            )
        today = timezone.localdate()
        sequence, number = next_certificate_number(today.year)
        certificate = Certificate.objects.create(
            application=locked,
            year=today.year,
            sequence=sequence,
            number=number,
            issued_on=today,
            issued_by=by,
        )
        _set_status(profile, CoordinatorStatus.CERTIFIED, by=by, reason=number)
        _move(locked, Stage.CERTIFIED)
        record(by, Action.TRAINING_CERTIFIED, obj=locked, number=number)
        return certificate

    return _guarded(Action.TRAINING_CERTIFIED, by, change, application=application.pk)


def submit_ek2_report(
    application: Application, *, variants: list[str], text: str, by: User
) -> EK2Report:
    """After EK2, the coordinator says which other variants they take on (none is an
    answer: family only). Their status becomes ``ek2`` with exactly those variants."""

    def change() -> EK2Report:
        locked = _locked(application)
        if locked.user_id != by.pk:
            raise TrainingRefused(_("Alleen de coördinator zelf schrijft dit verslag."))
        _expect(locked, Stage.EK2_ATTENDED)
        chosen = sorted(set(variants))
        if any(v not in EXTRA_VARIANTS for v in chosen):
            raise TrainingRefused(_("Kies uit de genoemde varianten."), field="variants")
        if not text.strip():
            raise TrainingRefused(_("Schrijf kort waarom."), field="text")
        profile = profile_of(locked)
        if profile is None or profile.status != CoordinatorStatus.CERTIFIED:
            raise TrainingRefused(
                _("Je staat nu niet als gecertificeerd coördinator geregistreerd.")
            )
        report = EK2Report.objects.create(
            application=locked, variants=chosen, text=text.strip(), submitted_at=timezone.now()
        )
        profile.ek2_variants = chosen
        profile.save(update_fields=["ek2_variants"])
        _set_status(profile, CoordinatorStatus.EK2, by=by, reason=", ".join(chosen))
        _move(locked, Stage.EK2_REPORTED)
        record(by, Action.TRAINING_EK2_REPORT, obj=locked, variants=chosen)
        return report

    return _guarded(Action.TRAINING_EK2_REPORT, by, change, application=application.pk)


# ---------- Pausing, resuming, stopping a coordinator ----------


def pause_coordinator(profile: CoordinatorProfile, *, reason: str, by: User) -> None:
    def change() -> None:
        locked = CoordinatorProfile.objects.select_for_update().get(pk=profile.pk)
        if locked.status not in ACTIVE_STATUSES:
            raise TrainingRefused(_("Alleen een actieve coördinator kan op pauze."))
        if not reason.strip():
            raise TrainingRefused(_("Schrijf kort waarom."), field="reason")
        _set_status(locked, CoordinatorStatus.PAUSED, by=by, reason=reason.strip())

    _guarded(Action.COORDINATOR_STATUS_CHANGED, by, change, profile=profile.pk)


def resume_coordinator(profile: CoordinatorProfile, *, by: User) -> None:
    """Back to the status from before the pause."""

    def change() -> None:
        locked = CoordinatorProfile.objects.select_for_update().get(pk=profile.pk)
        if locked.status != CoordinatorStatus.PAUSED:
            raise TrainingRefused(_("Deze coördinator staat niet op pauze."))
        before = (
            StatusChange.objects.filter(profile=locked, to_status=CoordinatorStatus.PAUSED)
            .values_list("from_status", flat=True)
            .first()
        )
        if before not in ACTIVE_STATUSES:
            raise TrainingRefused(_("Niet bekend welke status deze coördinator vóór de pauze had."))
        _set_status(locked, before, by=by, reason=_("Hervat na pauze."))

    _guarded(Action.COORDINATOR_STATUS_CHANGED, by, change, profile=profile.pk)


def stop_coordinator(profile: CoordinatorProfile, *, reason: str, by: User) -> None:
    def change() -> None:
        locked = CoordinatorProfile.objects.select_for_update().get(pk=profile.pk)
        if locked.status == CoordinatorStatus.STOPPED:
            raise TrainingRefused(_("Deze coördinator is al gestopt."))
        if not reason.strip():
            raise TrainingRefused(_("Schrijf kort waarom."), field="reason")
        _set_status(locked, CoordinatorStatus.STOPPED, by=by, reason=reason.strip())

    _guarded(Action.COORDINATOR_STATUS_CHANGED, by, change, profile=profile.pk)
