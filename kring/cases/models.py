"""A case (traject): the whole course of one request, from intake to closing."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import rules
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from kring.cases import rules as case_rules

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


# The one table of legal moves. Exit states are final; the regular course ends in CLOSED.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.MATCHING, Status.INFORMATIVE_ONLY, Status.WITHDRAWN}),
    Status.MATCHING: frozenset({Status.ASSIGNED, Status.INFORMATIVE_ONLY, Status.WITHDRAWN}),
    Status.ASSIGNED: frozenset({Status.PREPARATION, Status.MATCHING, Status.WITHDRAWN}),
    Status.PREPARATION: frozenset(
        {Status.PLANNED, Status.PLAN_WITHOUT_CONFERENCE, Status.STOPPED, Status.WITHDRAWN}
    ),
    Status.PLANNED: frozenset(
        {
            Status.HELD,
            Status.PREPARATION,
            Status.PLAN_WITHOUT_CONFERENCE,
            Status.STOPPED,
            Status.WITHDRAWN,
        }
    ),
    Status.HELD: frozenset({Status.PLAN_SENT, Status.NO_PLAN}),
    Status.PLAN_SENT: frozenset({Status.FOLLOWED_UP}),
    Status.FOLLOWED_UP: frozenset({Status.IMPLEMENTATION_REGISTERED}),
    Status.IMPLEMENTATION_REGISTERED: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
    Status.INFORMATIVE_ONLY: frozenset(),
    Status.PLAN_WITHOUT_CONFERENCE: frozenset(),
    Status.STOPPED: frozenset(),
    Status.NO_PLAN: frozenset(),
    Status.WITHDRAWN: frozenset(),
}
# The moves a coordinator makes on their own case during preparation and the conference;
# managers may make every move.
COORDINATOR_MOVES = frozenset(
    {
        Status.PREPARATION,
        Status.PLANNED,
        Status.HELD,
        Status.PLAN_SENT,
        Status.NO_PLAN,
        Status.FOLLOWED_UP,
        Status.PLAN_WITHOUT_CONFERENCE,
        Status.STOPPED,
    }
)

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
        """Open cases with a deadline passed and not met (paused cases wait)."""
        late = (
            Q(first_contact_at__isnull=True, first_contact_due__lt=now)
            | Q(started_at__isnull=True, start_due__lt=now)
            | Q(first_visit_at__isnull=True, first_visit_due__lt=now)
            | Q(conference_due__lt=now, status__in=[Status.ASSIGNED, Status.PREPARATION])
        )
        return self.open().filter(late, paused_at__isnull=True)

    def open(self) -> CaseQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class Case(RulesModel):
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
    conference_due = models.DateTimeField(_("conferentie uiterlijk"), null=True, blank=True)
    plan_send_due = models.DateTimeField(_("plan versturen uiterlijk"), null=True, blank=True)
    follow_up_due = models.DateTimeField(_("nazorg uiterlijk"), null=True, blank=True)
    implementation_due = models.DateTimeField(
        _("uitvoering registreren uiterlijk"), null=True, blank=True
    )
    exit_note = models.CharField(_("toelichting bij het einde"), max_length=500, blank=True)
    paused_at = models.DateTimeField(_("gepauzeerd sinds"), null=True, blank=True)
    pause_reason = models.CharField(_("reden van pauze"), max_length=300, blank=True)

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
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def next_statuses(self) -> list[Status]:
        return [Status(s) for s in Status.values if s in TRANSITIONS[self.status]]


rules.add_perm("cases.view_inbox", case_rules.is_office | case_rules.is_manager)
