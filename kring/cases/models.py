"""A case (traject): the whole course of one request, from intake to closing."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

import rules
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from kring.cases import rules as case_rules
from kring.lib.choices import QuickChoiceDisplay

if TYPE_CHECKING:
    from kring.accounts.models import User


class Status(models.TextChoices):
    NEW = "new", _("Nieuw")
    MATCHING = "matching", _("Koppelen aan coördinator")
    ASSIGNED = "assigned", _("Coördinator gekoppeld")
    PREPARATION = "preparation", _("Voorbereiding")
    PLANNED = "planned", _("Conferentie gepland")
    HELD = "held", _("Conferentie gehouden")
    PLAN_SENT = "plan_sent", _("Plan verstuurd")
    FOLLOWED_UP = "followed_up", _("Nazorg gedaan")
    IMPLEMENTATION_REGISTERED = "implementation_registered", _("Uitvoering geregistreerd")
    CLOSED = "closed", _("Afgesloten")
    # Exit paths: the course ended another way.
    INFORMATIVE_ONLY = "informative_only", _("Alleen informatief gesprek")
    PLAN_WITHOUT_CONFERENCE = "plan_without_conference", _("Plan gemaakt zonder conferentie")
    STOPPED = "stopped", _("Gestopt tijdens de voorbereiding")
    NO_PLAN = "no_plan", _("Conferentie zonder plan")
    WITHDRAWN = "withdrawn", _("Ingetrokken")
    REJECTED = "rejected", _("Afgewezen")


class Door(StrEnum):
    """The one action that owns a move: nothing else may make it."""

    # The manager's (and for endings the coordinator's) pure decisions, each with its reason.
    DECISION = "decision"
    # An accepted offer, or a manager's direct assignment through the same function.
    ASSIGNMENT = "assignment"
    # The coordinator starts the preparation.
    START = "start"
    # A conference date is set (logistics), or the set date is given up.
    SCHEDULE = "schedule"
    UNSCHEDULE = "unschedule"
    # Recording the conference.
    CONFERENCE = "conference"
    # Distributing the plan.
    DISTRIBUTION = "distribution"
    # Recording the follow-up; registering the implementation (which closes the course).
    FOLLOW_UP = "follow_up"
    IMPLEMENTATION = "implementation"


# The one table of legal moves, each with the action that owns it. Exit states are final;
# the regular course ends in CLOSED.
_D = Door
TRANSITIONS: dict[str, dict[str, Door]] = {
    Status.NEW: {
        Status.MATCHING: _D.DECISION,
        Status.INFORMATIVE_ONLY: _D.DECISION,
        Status.REJECTED: _D.DECISION,
        Status.WITHDRAWN: _D.DECISION,
    },
    Status.MATCHING: {
        Status.ASSIGNED: _D.ASSIGNMENT,
        Status.INFORMATIVE_ONLY: _D.DECISION,
        Status.REJECTED: _D.DECISION,
        Status.WITHDRAWN: _D.DECISION,
    },
    Status.ASSIGNED: {
        Status.PREPARATION: _D.START,
        Status.MATCHING: _D.DECISION,
        Status.STOPPED: _D.DECISION,
        Status.WITHDRAWN: _D.DECISION,
    },
    Status.PREPARATION: {
        Status.PLANNED: _D.SCHEDULE,
        Status.PLAN_WITHOUT_CONFERENCE: _D.DECISION,
        Status.STOPPED: _D.DECISION,
        Status.WITHDRAWN: _D.DECISION,
    },
    Status.PLANNED: {
        Status.HELD: _D.CONFERENCE,
        Status.PREPARATION: _D.UNSCHEDULE,
        Status.PLAN_WITHOUT_CONFERENCE: _D.DECISION,
        Status.STOPPED: _D.DECISION,
        Status.WITHDRAWN: _D.DECISION,
    },
    Status.HELD: {Status.PLAN_SENT: _D.DISTRIBUTION, Status.NO_PLAN: _D.DECISION},
    Status.PLAN_SENT: {Status.FOLLOWED_UP: _D.FOLLOW_UP},
    Status.FOLLOWED_UP: {Status.IMPLEMENTATION_REGISTERED: _D.IMPLEMENTATION},
    Status.IMPLEMENTATION_REGISTERED: {Status.CLOSED: _D.IMPLEMENTATION},
    Status.CLOSED: {},
    Status.INFORMATIVE_ONLY: {},
    Status.PLAN_WITHOUT_CONFERENCE: {},
    Status.STOPPED: {},
    Status.NO_PLAN: {},
    Status.WITHDRAWN: {},
    Status.REJECTED: {},
}


def door_of(current: str, to: str) -> Door | None:
    """The action that owns the move, or None when the table does not allow it."""
    return TRANSITIONS.get(current, {}).get(to)


# The decisions a coordinator makes on their own case (how the course ended early); managers
# make every decision.
COORDINATOR_DECISIONS = frozenset({Status.PLAN_WITHOUT_CONFERENCE, Status.STOPPED, Status.NO_PLAN})
# Decisions that need a written reason (kept as the case's exit note when final).
NOTE_REQUIRED = frozenset(
    {
        Status.REJECTED,
        Status.WITHDRAWN,
        Status.PLAN_WITHOUT_CONFERENCE,
        Status.NO_PLAN,
    }
)


def note_required(current: str, to: str) -> bool:
    """Whether a decision needs a written reason; sending an assigned case back to matching
    does too (the next coordinator and the figures need to know why)."""
    return to in NOTE_REQUIRED or (current == Status.ASSIGNED and to == Status.MATCHING)


# While a case is in one of these, its coordinator works on it (and it takes one of their
# places); leaving them ends the involvement and the coordinator's access.
INVOLVED_STATUSES = frozenset(
    {Status.ASSIGNED, Status.PREPARATION, Status.PLANNED, Status.HELD, Status.PLAN_SENT}
)
OPEN_STATUSES = frozenset(status for status, moves in TRANSITIONS.items() if moves)
# The conference took place (with or without a plan coming of it).
CONFERENCE_HELD_STATUSES = frozenset(
    {
        Status.HELD,
        Status.PLAN_SENT,
        Status.FOLLOWED_UP,
        Status.IMPLEMENTATION_REGISTERED,
        Status.CLOSED,
        Status.NO_PLAN,
    }
)
# The plan went to everyone.
PLAN_SENT_STATUSES = frozenset(
    {Status.PLAN_SENT, Status.FOLLOWED_UP, Status.IMPLEMENTATION_REGISTERED, Status.CLOSED}
)
# Exit labels shown as actions ("mark as ...") rather than the course's next step.
EXIT_STATUSES = frozenset(
    {
        Status.INFORMATIVE_ONLY,
        Status.PLAN_WITHOUT_CONFERENCE,
        Status.STOPPED,
        Status.NO_PLAN,
        Status.WITHDRAWN,
        Status.REJECTED,
    }
)


class StopReason(models.TextChoices):
    MAIN_PERSON_WITHDREW = "main_person_withdrew", _("De hoofdpersoon ziet ervan af")
    CIRCLE_TOO_SMALL = "circle_too_small", _("De kring is te klein of niemand wil komen")
    NOT_SAFE = "not_safe", _("De veiligheid kan niet worden gewaarborgd")
    SOLVED = "solved", _("Het probleem is al opgelost")
    NO_QUESTION = "no_question", _("Geen overeenstemming over de vraag")
    HELP_TOOK_OVER = "help_took_over", _("Hulpverlening heeft het overgenomen")
    UNREACHABLE = "unreachable", _("Hoofdpersoon niet bereikbaar")
    OTHER = "other", _("Andere reden")


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: User) -> CaseQuerySet:
        """The cases a user may see at all; everything else answers 404."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_office:
            return self.all()
        if user.is_manager:
            return self.filter(region__in=user.regions.all())
        if user.is_professional:
            return self.filter(request__referrer=user)
        if user.is_coordinator:
            # Only their own cases, and only while involved: the coordinator is temporary.
            return self.filter(coordinator=user, status__in=INVOLVED_STATUSES)
        return self.none()

    def overdue(self, now: datetime) -> CaseQuerySet:
        """Open cases with a deadline passed and not met (paused cases wait). The conference
        has no deadline (see ``cases.clocks``): a long preparation is ``long_preparation``."""
        late = (
            Q(first_contact_at__isnull=True, first_contact_due__lt=now)
            | Q(started_at__isnull=True, start_due__lt=now)
            | Q(first_visit_at__isnull=True, first_visit_due__lt=now)
            | Q(status=Status.HELD, plan_send_due__lt=now)
        )
        return self.open().filter(late, paused_at__isnull=True)

    def long_preparation(self, now: datetime) -> CaseQuerySet:
        """The conference still to come, long after the assignment: a signal, not late."""
        since = now - timedelta(weeks=settings.KRING_LONG_PREPARATION_WEEKS)
        began_long_ago = Q(assigned_at__lt=since) | Q(assigned_at__isnull=True, opened_at__lt=since)
        preparing = [Status.ASSIGNED, Status.PREPARATION, Status.PLANNED]
        return self.filter(began_long_ago, status__in=preparing)

    def open(self) -> CaseQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class Case(QuickChoiceDisplay, RulesModel):
    request = models.OneToOneField(
        "intake.Request", on_delete=models.PROTECT, related_name="case", verbose_name=_("aanvraag")
    )
    region = models.ForeignKey(
        "accounts.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("regio"),
        help_text=_("Leeg: de aanvraag staat in de landelijke wachtrij."),
    )
    variant = models.CharField(_("soort conferentie"), max_length=20)
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.NEW
    )
    stop_reason = models.CharField(
        _("reden van stoppen"), max_length=30, choices=StopReason.choices, blank=True
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_cases",
        verbose_name=_("coördinator"),
    )
    opened_at = models.DateTimeField(_("geopend op"))
    status_changed_at = models.DateTimeField(_("status gewijzigd op"))
    first_contact_due = models.DateTimeField(_("eerste contact uiterlijk"))
    start_due = models.DateTimeField(_("start uiterlijk"))
    first_contact_at = models.DateTimeField(_("eerste contact op"), null=True, blank=True)
    started_at = models.DateTimeField(_("gestart op"), null=True, blank=True)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    first_visit_due = models.DateTimeField(_("eerste bezoek uiterlijk"), null=True, blank=True)
    first_visit_at = models.DateTimeField(_("eerste bezoek op"), null=True, blank=True)
    # The coordinator's own clock starts here; the method's deadlines count from the request.
    assigned_at = models.DateTimeField(_("coördinator gekoppeld op"), null=True, blank=True)
    # No deadline: the date the coordinator agreed with the family (the end of that day).
    conference_due = models.DateTimeField(_("streefdatum conferentie"), null=True, blank=True)
    plan_send_due = models.DateTimeField(_("plan versturen uiterlijk"), null=True, blank=True)
    follow_up_due = models.DateTimeField(_("nazorg vanaf"), null=True, blank=True)
    implementation_due = models.DateTimeField(
        _("uitvoering registreren vanaf"), null=True, blank=True
    )
    # Why a step was recorded before its time (e.g. the family asked); also in the log row.
    early_follow_up_reason = models.CharField(
        _("reden voor vroege nazorg"), max_length=300, blank=True
    )
    early_implementation_reason = models.CharField(
        _("reden voor vroege registratie van de uitvoering"), max_length=300, blank=True
    )
    exit_note = models.CharField(_("toelichting bij het einde"), max_length=500, blank=True)
    paused_at = models.DateTimeField(_("gepauzeerd sinds"), null=True, blank=True)
    pause_reason = models.CharField(_("reden van pauze"), max_length=300, blank=True)
    # A candidate coordinator's first conference (issue 14) is supported by a regional
    # manager; set once, when the candidate accepts the offer (kring.coordinators.domain).
    supporting_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supported_cases",
        verbose_name=_("begeleidend regiomanager"),
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["opened_at", "id"]
        verbose_name = _("traject")
        verbose_name_plural = _("trajecten")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="case_status_valid"),
            models.CheckConstraint(
                condition=Q(status=Status.STOPPED, stop_reason__gt="")
                | (~Q(status=Status.STOPPED) & Q(stop_reason="")),
                name="case_stop_reason_iff_stopped",
            ),
        ]
        indexes = [models.Index(fields=["region", "status", "opened_at"], name="case_inbox")]
        rules_permissions = {
            "view": case_rules.can_view_case,
            "manage": case_rules.can_manage_case,
            "prepare": case_rules.can_prepare_case,
        }

    def __str__(self) -> str:
        return str(self.request.reference) if self.request_id else f"#{self.pk}"

    @property
    def coordinator_is_involved(self) -> bool:
        """Whether the course is where a coordinator works on it (see INVOLVED_STATUSES)."""
        return self.status in INVOLVED_STATUSES

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def decisions(self) -> list[Status]:
        """The moves from here that are pure decisions, in the course's order."""
        moves = TRANSITIONS[self.status]
        return [Status(s) for s in Status.values if moves.get(s) == Door.DECISION]


rules.add_perm("cases.view_inbox", case_rules.is_office | case_rules.is_manager)


class RemarkKind(models.TextChoices):
    MOVED = "moved", _("Statuswijziging")
    PAUSED = "paused", _("Pauze")
    DATE_GIVEN_UP = "date_given_up", _("Datum gaat niet door")


class CaseRemark(models.Model):
    """A reason typed for a step that does not end the course (back to matching, a pause, a
    date given up): kept here for the managers, purged with the case's request data. The
    append-only log only says that there was one (it may name people)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="remarks", verbose_name=_("traject")
    )
    kind = models.CharField(_("soort"), max_length=20, choices=RemarkKind.choices)
    # The status a move went to (for MOVED).
    new_status = models.CharField(
        _("nieuwe status"), max_length=30, choices=Status.choices, blank=True
    )
    text = models.CharField(_("toelichting"), max_length=500)
    at = models.DateTimeField(_("geschreven op"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("geschreven door"),
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("toelichting bij het traject")
        verbose_name_plural = _("toelichtingen bij het traject")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%Y-%m-%d})"
