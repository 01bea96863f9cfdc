"""The conference and the family's plan: agreements, versions, acceptance against the safety
conditions, distribution, the family's own link, follow-up and implementation.

The plan's text is the family's. The coordinator records it; every change is kept as a
version with who changed what and when.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kring.cases.choices import LifeDomain
from kring.lib.choices import QuickChoiceDisplay


class Phase(models.TextChoices):
    INFORMATION = "information", _("Informatiefase")
    PRIVATE = "private", _("Besloten tijd")
    PRESENTATION = "presentation", _("Presentatie en acceptatie")


class Conference(models.Model):
    """The day itself: where, when each phase began, who was there."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="conference")
    held_on = models.DateField(_("datum"))
    place = models.CharField(_("plaats"), max_length=300)
    information_started_at = models.TimeField(_("start informatiefase"), null=True, blank=True)
    private_started_at = models.TimeField(_("start besloten tijd"), null=True, blank=True)
    presentation_started_at = models.TimeField(_("start presentatie"), null=True, blank=True)
    ended_at = models.TimeField(_("einde"), null=True, blank=True)
    # Family variant: the circle is alone in phase 2. Other variants: the coordinator leads it.
    coordinator_led_private_time = models.BooleanField(
        _("coördinator leidde de besloten tijd"), default=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("conferentie")
        verbose_name_plural = _("conferenties")

    def __str__(self) -> str:
        return f"{self.case} {self.held_on}"


class Attendance(models.Model):
    """Who was present in which phase: a participant of the circle or a professional."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="attendance")
    phase = models.CharField(_("fase"), max_length=15, choices=Phase.choices)
    participant = models.ForeignKey(
        "preparation.Participant", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    professional = models.ForeignKey(
        "preparation.ProfessionalInvolvement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("aanwezigheid")
        verbose_name_plural = _("aanwezigheid")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(participant__isnull=False, professional__isnull=True)
                | models.Q(participant__isnull=True, professional__isnull=False),
                name="attendance_one_person",
            ),
            models.UniqueConstraint(
                fields=["conference", "phase", "participant"], name="attendance_participant_once"
            ),
            models.UniqueConstraint(
                fields=["conference", "phase", "professional"], name="attendance_professional_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.phase}: {self.participant or self.professional}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("In bewerking")
    AWAITING_ACCEPTANCE = "awaiting_acceptance", _("Wacht op toetsing aan het kader")
    FINAL = "final", _("Definitief")


# The one table of a plan's moves: the circle finalises a draft (final at once, or first to the
# professionals who set safety conditions); a professional sends it back to the circle, or the
# last acceptance makes it final. A final plan stays final: later changes are new versions.
PLAN_TRANSITIONS: dict[str, frozenset[str]] = {
    PlanStatus.DRAFT: frozenset({PlanStatus.AWAITING_ACCEPTANCE, PlanStatus.FINAL}),
    PlanStatus.AWAITING_ACCEPTANCE: frozenset({PlanStatus.DRAFT, PlanStatus.FINAL}),
    PlanStatus.FINAL: frozenset(),
}


class IllegalPlanMove(Exception):
    """A plan status change the table does not allow."""


def move_plan(plan: Plan, to: str) -> None:
    """Set a locked plan's status to ``to`` if the table allows it (the caller saves and
    logs, inside its transaction)."""
    if to not in PLAN_TRANSITIONS[plan.status]:
        raise IllegalPlanMove(f"plan {plan.pk}: {plan.status} → {to}")
    plan.status = to


class Plan(QuickChoiceDisplay):
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="plan")
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("versie"), default=1)
    # The two answers every plan needs (domain step 4.3).
    next_meeting = models.TextField(
        _("wie komt wanneer weer bij elkaar om te praten over hoe het gaat?"), blank=True
    )
    who_calls_together = models.TextField(
        _("wie roept wie bij elkaar als iets in het plan niet werkt?"), blank=True
    )
    emergency_plan = models.TextField(_("noodplan"), blank=True)
    evaluation_on = models.DateField(_("evaluatiedatum"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("definitief op"), null=True, blank=True)
    send_due = models.DateTimeField(_("versturen uiterlijk"), null=True, blank=True)
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    # The referrer gets the plan only when the family says so; who wrote that down, when.
    referrer_consent_at = models.DateTimeField(
        _("toestemming plan naar verwijzer"), null=True, blank=True
    )
    referrer_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Optimistic lock: two laptops editing at the end of a conference must not lose work.
    lock_version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plannen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=PlanStatus.values), name="plan_status_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} v{self.version}"


class Implementation(models.TextChoices):
    FULLY = "fully", _("Geheel uitgevoerd")
    PARTLY = "partly", _("Deels uitgevoerd")
    NOT = "not", _("Niet uitgevoerd")


class Cause(models.TextChoices):
    FAMILY = "family", _("Bij de familie / het netwerk")
    PROFESSIONALS = "professionals", _("Bij professionals")


class Agreement(models.Model):
    """One agreement: what, who, when; in a life domain; possibly calling on professional help."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="agreements")
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    what = models.TextField(_("wat"))
    who_participants = models.ManyToManyField(
        "preparation.Participant", blank=True, related_name="agreements", verbose_name=_("wie")
    )
    who_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wie (organisatie)"),
    )
    when = models.CharField(_("wanneer / hoe vaak"), max_length=200, blank=True)
    due_on = models.DateField(_("uiterlijk op"), null=True, blank=True)
    life_domain = models.CharField(_("levensdomein"), max_length=20, choices=LifeDomain.choices)
    professional_help = models.BooleanField(
        _("doet een beroep op professionele hulp"), default=False
    )
    # Progress the family marks through their own link.
    progress = models.CharField(_("voortgang"), max_length=200, blank=True)
    progress_at = models.DateTimeField(_("voortgang bijgewerkt op"), null=True, blank=True)
    # Registered three to five months after the conference.
    implementation = models.CharField(
        _("uitvoering"), max_length=10, choices=Implementation.choices, blank=True
    )
    cause = models.CharField(_("oorzaak"), max_length=15, choices=Cause.choices, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")
        indexes = [models.Index(fields=["plan", "life_domain"], name="agreement_plan_domain")]

    def __str__(self) -> str:
        return self.what[:60]


class PlanVersion(models.Model):
    """A snapshot of the whole plan each time it changes: who, when, what it said."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versie"))
    snapshot = models.JSONField(_("inhoud"))
    reason = models.CharField(_("waarom"), max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("gewijzigd op"), auto_now_add=True)

    class Meta:
        ordering = ["-number", "-id"]
        verbose_name = _("planversie")
        verbose_name_plural = _("planversies")

    def __str__(self) -> str:
        return f"{self.plan} #{self.number}"


class ConditionCheck(models.Model):
    """The professional who set a safety condition marks it met or not, per plan version."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="condition_checks")
    plan_version = models.PositiveIntegerField(_("planversie"))
    condition = models.ForeignKey(
        "preparation.SafetyCondition", on_delete=models.CASCADE, related_name="checks"
    )
    met = models.BooleanField(_("voldaan"))
    comment = models.CharField(_("toelichting"), max_length=500, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan_version", "condition"], name="condition_checked_once_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.condition}: {self.met}"


class Acceptance(models.Model):
    """A professional's verdict on a plan version: accepted, or back to the circle."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="acceptances")
    plan_version = models.PositiveIntegerField(_("planversie"))
    involvement = models.ForeignKey(
        "preparation.ProfessionalInvolvement", on_delete=models.PROTECT, related_name="acceptances"
    )
    accepted = models.BooleanField(_("geaccepteerd"))
    comment = models.TextField(_("toelichting"), blank=True)
    decided_at = models.DateTimeField(auto_now_add=True)
    # Said aloud at the conference and written down by the coordinator, at ``stated_at``;
    # otherwise the professional decided in their own login at ``decided_at``.
    at_conference = models.BooleanField(_("uitgesproken op de conferentie"), default=False)
    stated_at = models.DateTimeField(_("uitgesproken om"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )

    class Meta:
        ordering = ["-decided_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "plan_version", "involvement"], name="acceptance_once_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.involvement}: {self.accepted}"


class Distribution(models.Model):
    """The plan sent to one recipient (mail with PDF, or printed): a participant of the
    circle, a professional who attended, or the referrer (with the family's consent)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail met pdf")
        PRINT = "print", _("Geprint")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="distributions")
    participant = models.ForeignKey(
        "preparation.Participant", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    involvement = models.ForeignKey(
        "preparation.ProfessionalInvolvement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    plan_version = models.PositiveIntegerField()
    channel = models.CharField(max_length=10, choices=Channel.choices)
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "participant", "plan_version"], name="distribution_once_per_version"
            ),
            models.UniqueConstraint(
                fields=["plan", "involvement", "plan_version"],
                name="distribution_professional_once_per_version",
            ),
            models.UniqueConstraint(
                fields=["plan", "referrer", "plan_version"],
                name="distribution_referrer_once_per_version",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    participant__isnull=False, involvement__isnull=True, referrer__isnull=True
                )
                | models.Q(
                    participant__isnull=True, involvement__isnull=False, referrer__isnull=True
                )
                | models.Q(
                    participant__isnull=True, involvement__isnull=True, referrer__isnull=False
                ),
                name="distribution_one_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_name} ({self.channel})"

    @property
    def recipient_name(self) -> str:
        if self.referrer is not None:
            return self.referrer.get_full_name()
        person = self.participant or self.involvement
        return person.name if person is not None else ""


class FamilyLink(models.Model):
    """A main person's own link to read their plan: long random token (stored hashed),
    expiring, revocable, every use logged."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="family_links")
    participant = models.ForeignKey(
        "preparation.Participant", on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField(_("geldig tot"))
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    class Meta:
        verbose_name = _("link voor de familie")
        verbose_name_plural = _("links voor de familie")

    def __str__(self) -> str:
        return f"{self.participant} → {self.plan}"


class FamilyLinkUse(models.Model):
    link = models.ForeignKey(FamilyLink, on_delete=models.CASCADE, related_name="uses")
    used_at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=30)

    class Meta:
        ordering = ["-used_at"]

    def __str__(self) -> str:
        return f"{self.link_id} {self.action}"


class FollowUp(models.Model):
    """About four weeks after the conference: whom the coordinator spoke, how it goes."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="follow_up")
    spoken_with = models.CharField(_("met wie gesproken"), max_length=300)
    how_it_goes = models.TextField(_("hoe gaat het"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nazorg")
        verbose_name_plural = _("nazorg")

    def __str__(self) -> str:
        return str(self.case)
