"""The coordinator's path: an application, the training sessions it is invited to, and one
row per step of the course (self-report, the trainers' decision, the evaluation of the first
conference, the certificate, the EK2 report).

``Application.stage`` says where someone is. It is written only by the actions in
``kring.training.domain`` (each together with the row that proves the step), never by a form.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    APPLIED = "applied", _("Aangemeld")
    INFO_MEETING = "info_meeting", _("Informatiebijeenkomst bijgewoond")
    DECIDED = "decided", _("Besloten deel te nemen")
    EK1_ATTENDED = "ek1_attended", _("EK1 gevolgd")
    SELF_REPORT = "self_report", _("Verslag ingediend")
    ACCEPTED = "accepted", _("Eerste conferentie, met begeleiding")
    EVALUATED = "evaluated", _("Eerste conferentie positief geëvalueerd")
    CERTIFIED = "certified", _("Gecertificeerd")
    EK2_ATTENDED = "ek2_attended", _("EK2 gevolgd")
    EK2_REPORTED = "ek2_reported", _("EK2-verslag ingediend")
    ENDED = "ended", _("Gestopt")


# The course's order, for "what comes next" and for filters.
STAGE_ORDER = list(Stage.values)


class Availability(models.TextChoices):
    DAYTIME = "daytime", _("Overdag op werkdagen")
    EVENINGS = "evenings", _("'s Avonds")
    WEEKENDS = "weekends", _("In het weekend")


class Application(models.Model):
    """A letter of application from the public form: who, why, where, when."""

    first_name = models.CharField(_("voornaam"), max_length=100)
    last_name = models.CharField(_("achternaam"), max_length=100)
    email = models.EmailField(_("e-mailadres"))
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    postcode = models.ForeignKey(
        "accounts.Postcode",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("postcode woonplaats"),
    )
    region = models.ForeignKey(
        "accounts.Region",
        on_delete=models.PROTECT,
        related_name="training_applications",
        verbose_name=_("regio"),
    )
    languages = models.ManyToManyField(
        "coordinators.Language", blank=True, related_name="+", verbose_name=_("talen")
    )
    availability = models.JSONField(_("beschikbaarheid"), default=list)
    motivation = models.TextField(_("motivatie"))
    submitted_at = models.DateTimeField(_("aangemeld op"))
    # A double submit of the public form lands once.
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    stage = models.CharField(
        _("fase"), max_length=20, choices=Stage.choices, default=Stage.APPLIED, editable=False
    )
    stage_changed_at = models.DateTimeField(_("fase gewijzigd op"))
    ended_reason = models.CharField(_("reden van stoppen"), max_length=500, blank=True)
    # The personal link to write the self-report (only its hash), sent after EK1.
    report_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    # The coordinator's account, made after the mutual positive decision.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_application",
        verbose_name=_("account"),
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("aanmelding als coördinator")
        verbose_name_plural = _("aanmeldingen als coördinator")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stage__in=Stage.values), name="training_stage_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["report_token_hash"], name="training_report_token"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def name(self) -> str:
        return str(self)

    @property
    def is_ended(self) -> bool:
        return self.stage == Stage.ENDED

    def availability_labels(self) -> list[str]:
        labels = dict(Availability.choices)
        return [str(labels[a]) for a in self.availability if a in labels]


class CurriculumVitae(models.Model):
    """The CV of an application, kept in the database: served only through the scoped, logged
    view, never from a public URL or a file on disk."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="cv")
    filename = models.CharField(max_length=100)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    content = models.BinaryField()

    class Meta:
        verbose_name = _("cv")
        verbose_name_plural = _("cv's")

    def __str__(self) -> str:
        return self.filename


class SessionKind(models.TextChoices):
    INFO = "info", _("Informatiebijeenkomst")
    EK1 = "ek1", _("Training deel 1 (EK1)")
    EK2 = "ek2", _("Training deel 2 (EK2)")


class TrainingSession(models.Model):
    """An information meeting or a training group, planned by a trainer."""

    kind = models.CharField(_("soort"), max_length=5, choices=SessionKind.choices)
    starts_on = models.DateField(_("eerste dag"))
    ends_on = models.DateField(_("laatste dag"))
    place = models.CharField(_("plaats"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("aantal plaatsen"))
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="training_sessions", verbose_name=_("trainers")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Called off (cancel_session): the invitations are withdrawn and the invitees told.
    cancelled_at = models.DateTimeField(_("afgelast op"), null=True, blank=True)
    cancel_reason = models.CharField(_("reden van afgelasten"), max_length=500, blank=True)
    # Raised by every move and the call-off: invitees' calendars replace the earlier entry.
    calendar_sequence = models.PositiveIntegerField(default=0)
    # When the invitees were reminded two days before (claimed once; a move clears it).
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("bijeenkomst of trainingsgroep")
        verbose_name_plural = _("bijeenkomsten en trainingsgroepen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="training_session_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="training_session_has_places"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_on:%d-%m-%Y}, {self.place}"


class Invitation(models.Model):
    """An applicant invited to a session, and (afterwards) whether they were there."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.PROTECT, related_name="invitations"
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="invitations"
    )
    invited_at = models.DateTimeField(_("uitgenodigd op"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    attended = models.BooleanField(_("aanwezig"), null=True, blank=True)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Why the presence was set right afterwards (correct_attendance); kept here, not in the
    # log, as it may name people and the log cannot forget.
    correction_reason = models.CharField(_("reden van de correctie"), max_length=500, blank=True)

    class Meta:
        ordering = ["application__last_name", "application__first_name", "id"]
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "application"], name="training_invitation_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} – {self.session}"


class SelfReport(models.Model):
    """The candidate's short report after EK1: an answer per point of the coordinator
    profile (``kring.training.profile.REPORT_POINTS``)."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="self_report"
    )
    answers = models.JSONField(_("antwoorden"))
    submitted_at = models.DateTimeField(_("ingediend op"))

    class Meta:
        verbose_name = _("verslag na EK1")
        verbose_name_plural = _("verslagen na EK1")

    def __str__(self) -> str:
        return f"{self.application}"


class TrainerDecision(models.Model):
    """The trainers' response to the self-report: go on (the account is made) or not (told
    in a talk, whose note is required)."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="trainer_decision"
    )
    positive = models.BooleanField(_("positief"))
    talk_note = models.TextField(_("verslag van het gesprek"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("besloten op"))

    class Meta:
        verbose_name = _("besluit van de trainers")
        verbose_name_plural = _("besluiten van de trainers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(positive=True) | ~models.Q(talk_note=""),
                name="training_negative_decision_has_talk",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {'+' if self.positive else '-'}"


class FirstConferenceEvaluation(models.Model):
    """The evaluation after the first conference, by the regional manager or the office."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="evaluation"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    positive = models.BooleanField(_("positief"))
    note = models.TextField(_("toelichting"))
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    evaluated_at = models.DateTimeField(_("geëvalueerd op"))

    class Meta:
        verbose_name = _("evaluatie eerste conferentie")
        verbose_name_plural = _("evaluaties eerste conferentie")

    def __str__(self) -> str:
        return f"{self.application}: {'+' if self.positive else '-'}"


class CertificateCounter(models.Model):
    """The last certificate number of a year, locked while the next is taken: gapless."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Certificate(models.Model):
    """The certificate of an Eigen Kracht-coördinator: a number per year without gaps."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="certificate"
    )
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    number = models.CharField(_("nummer"), max_length=20, unique=True)
    issued_on = models.DateField(_("datum"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-year", "-sequence"]
        verbose_name = _("certificaat")
        verbose_name_plural = _("certificaten")
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="certificate_number_once"),
        ]

    def __str__(self) -> str:
        return self.number


class EK2Report(models.Model):
    """After EK2: which other variants the coordinator also takes on, and why."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="ek2_report"
    )
    variants = models.JSONField(_("varianten"), default=list)
    text = models.TextField(_("verslag"))
    submitted_at = models.DateTimeField(_("ingediend op"))

    class Meta:
        verbose_name = _("verslag na EK2")
        verbose_name_plural = _("verslagen na EK2")

    def __str__(self) -> str:
        return f"{self.application}"


class StatusChange(models.Model):
    """Every change of a coordinator's status, by the training's steps or by pausing,
    resuming and stopping: the history, and where a resume goes back to."""

    profile = models.ForeignKey(
        "coordinators.CoordinatorProfile", on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=12)
    to_status = models.CharField(max_length=12)
    reason = models.CharField(_("reden"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("statuswijziging coördinator")
        verbose_name_plural = _("statuswijzigingen coördinator")

    def __str__(self) -> str:
        return f"{self.profile}: {self.from_status} → {self.to_status}"
