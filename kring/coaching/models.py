"""Coaching of coordinators: the manager's notes, regional meetings and national study days
with their invitations and attendance, and the claims that make a lapse reminder go once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

NOTE_MAX_LENGTH = 4000


class CoachingNote(models.Model):
    """What a regional manager notes about a coordinator they coach. The coordinator reads
    it on their own overview, unless it is marked internal (then only the managers of the
    coordinator's regions and the office do)."""

    profile = models.ForeignKey(
        "coordinators.CoordinatorProfile",
        on_delete=models.CASCADE,
        related_name="coaching_notes",
        verbose_name=_("coördinator"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("geschreven door"),
    )
    text = models.TextField(_("notitie"), max_length=NOTE_MAX_LENGTH)
    internal = models.BooleanField(
        _("alleen voor regiomanagers en het landelijk bureau"),
        default=False,
        help_text=_("Aangevinkt: de coördinator ziet deze notitie niet."),
    )
    written_at = models.DateTimeField(_("geschreven op"))

    class Meta:
        ordering = ["-written_at", "-id"]
        verbose_name = _("notitie over een coördinator")
        verbose_name_plural = _("notities over coördinatoren")

    def __str__(self) -> str:
        return f"{self.profile} – {self.written_at:%Y-%m-%d}"


class MeetingKind(models.TextChoices):
    REGIONAL = "regional", _("Regiobijeenkomst")
    STUDY_DAY = "study_day", _("Landelijke studiedag")


class Meeting(models.Model):
    """A regional meeting (a manager plans it for their region) or a national study day (the
    office plans it, without a region)."""

    kind = models.CharField(_("soort"), max_length=10, choices=MeetingKind.choices)
    region = models.ForeignKey(
        "accounts.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("regio"),
    )
    starts_at = models.DateTimeField(_("datum en tijd"))
    place = models.CharField(_("plaats"), max_length=200)
    topic = models.CharField(_("onderwerp"), max_length=200)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    planned_at = models.DateTimeField(_("gepland op"))
    # Called off (cancel_meeting): the invitations stay, so the coordinators see it.
    cancelled_at = models.DateTimeField(_("afgelast op"), null=True, blank=True)
    cancel_reason = models.CharField(_("reden van afgelasten"), max_length=500, blank=True)
    # Raised by every move and the call-off: invitees' calendars replace the earlier entry.
    calendar_sequence = models.PositiveIntegerField(default=0)
    # When the invitees were reminded two days before (claimed once; a move clears it).
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("bijeenkomst")
        verbose_name_plural = _("bijeenkomsten")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=MeetingKind.REGIONAL, region__isnull=False)
                | Q(kind=MeetingKind.STUDY_DAY, region__isnull=True),
                name="meeting_region_iff_regional",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d}: {self.topic}"

    @property
    def is_national(self) -> bool:
        return self.kind == MeetingKind.STUDY_DAY


class Reply(models.TextChoices):
    NONE = "", _("Nog niet geantwoord")
    YES = "yes", _("Ik kom")
    NO = "no", _("Ik kom niet")


class MeetingInvitation(models.Model):
    """One coordinator invited to one meeting: their answer, and afterwards whether they
    were there (recorded by the manager or the office; None until recorded)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    profile = models.ForeignKey(
        "coordinators.CoordinatorProfile",
        on_delete=models.CASCADE,
        related_name="meeting_invitations",
        verbose_name=_("coördinator"),
    )
    invited_at = models.DateTimeField(_("uitgenodigd op"))
    reply = models.CharField(_("antwoord"), max_length=3, choices=Reply.choices, blank=True)
    replied_at = models.DateTimeField(_("geantwoord op"), null=True, blank=True)
    attended = models.BooleanField(_("aanwezig"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "profile__user__last_name", "id"]
        verbose_name = _("uitnodiging voor een bijeenkomst")
        verbose_name_plural = _("uitnodigingen voor bijeenkomsten")
        constraints = [
            # Inviting twice (a double click, two managers at once) invites once.
            models.UniqueConstraint(fields=["meeting", "profile"], name="meeting_invited_once"),
            models.CheckConstraint(
                condition=Q(reply__in=Reply.values), name="meeting_invitation_reply_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} – {self.profile}"


class Condition(models.TextChoices):
    VOG = "vog", _("Verklaring omtrent het gedrag (VOG)")
    INDEPENDENCE = "independence", _("Onafhankelijkheidsverklaring")


class LapseStep(models.TextChoices):
    TWO_MONTHS = "two_months", _("Twee maanden vooraf")
    ONE_MONTH = "one_month", _("Een maand vooraf")
    EXPIRED = "expired", _("Verlopen")


class LapseReminder(models.Model):
    """The claim of one reminder: this condition of this coordinator, lapsing on this day, at
    this step. Unique, so a reminder goes once even when the job runs twice or in parallel;
    a renewed condition lapses on another day and starts its own steps."""

    profile = models.ForeignKey(
        "coordinators.CoordinatorProfile", on_delete=models.CASCADE, related_name="+"
    )
    condition = models.CharField(max_length=12, choices=Condition.choices)
    lapses_on = models.DateField(_("vervalt op"))
    step = models.CharField(max_length=10, choices=LapseStep.choices)
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("herinnering verlopen voorwaarde")
        verbose_name_plural = _("herinneringen verlopen voorwaarden")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "condition", "lapses_on", "step"], name="lapse_reminder_once"
            ),
            models.CheckConstraint(
                condition=Q(condition__in=Condition.values) & Q(step__in=LapseStep.values),
                name="lapse_reminder_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile} – {self.condition} {self.lapses_on} {self.step}"
