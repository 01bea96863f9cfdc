"""Preparation: the circle, the professionals and their safety conditions, the question,
and the practical arrangements of the conference. No dossiers: names, contacts, a line per
contact, and what the preparation needs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from kring.lib.choices import QuickChoiceDisplay
from kring.lib.tokens import new_token  # noqa: F401  (named by migration 0001)


class Category(models.TextChoices):
    HOUSEHOLD = "household", _("Huishouden")
    FAMILY = "family", _("Familie")
    FRIENDS = "friends", _("Vrienden")
    COMMUNITY = "community", _("Buurt en gemeenschap")
    SCHOOL_WORK = "school_work", _("School en werk")
    PROFESSIONALS = "professionals", _("Professionals")


class InvitationStatus(models.TextChoices):
    TO_ASK = "to_ask", _("Nog vragen")
    ASKED = "asked", _("Gevraagd")
    COMES = "comes", _("Komt")
    CONDITIONAL = "conditional", _("Komt, onder voorwaarde")
    DECLINES = "declines", _("Komt niet")
    NOT_INVITED_SAFETY = "not_invited_safety", _("Niet uitgenodigd (veiligheid)")


class PreparationQuerySet(models.QuerySet["Preparation"]):
    def to_show(self, case: Any) -> Preparation:
        """The case's preparation for a page to show: before its first change an empty one,
        unsaved, so a page that only reads writes nothing (the first change makes it)."""
        return self.filter(case=case).first() or Preparation(case=case)


class Preparation(models.Model):
    """One per case: the question and the practical arrangements."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="preparation")
    question = models.TextField(_("vraagstelling"), blank=True)
    question_agreed_at = models.DateTimeField(_("vraag afgesproken op"), null=True, blank=True)
    conference_at = models.DateTimeField(_("datum en tijd conferentie"), null=True, blank=True)
    conference_ends_at = models.DateTimeField(_("verwacht einde"), null=True, blank=True)
    # When the date was fixed: the date-poll links work until KRING_POLL_LINK_DAYS after it.
    date_fixed_at = models.DateTimeField(_("datum vastgelegd op"), null=True, blank=True)
    venue = models.CharField(_("plaats (adres)"), max_length=300, blank=True)
    venue_notes = models.CharField(_("aanwijzingen voor de plek"), max_length=300, blank=True)
    food_and_drink = models.CharField(_("eten en drinken"), max_length=300, blank=True)
    interpreters = models.CharField(_("tolken"), max_length=300, blank=True)
    childcare = models.CharField(_("kinderopvang"), max_length=300, blank=True)
    tasks_done = models.JSONField(_("afgeronde taken"), default=list, blank=True)
    # Bumped on every save of the arrangements, so two people editing at once cannot
    # silently overwrite each other (the second gets a clear message).
    lock_version = models.PositiveIntegerField(default=0)

    objects = PreparationQuerySet.as_manager()

    class Meta:
        verbose_name = _("voorbereiding")
        verbose_name_plural = _("voorbereidingen")

    def __str__(self) -> str:
        return str(self.case)


class Participant(QuickChoiceDisplay):
    """Someone in the circle (kring) of the main person(s)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("naam"), max_length=150)
    relation = models.CharField(
        _("relatie tot de hoofdpersoon"),
        max_length=100,
        blank=True,
        help_text=_("Bijvoorbeeld: oma, buurman, juf van Sara."),
    )
    category = models.CharField(_("groep"), max_length=20, choices=Category.choices)
    is_main_person = models.BooleanField(_("hoofdpersoon"), default=False)
    age = models.PositiveSmallIntegerField(_("leeftijd (bij kinderen)"), null=True, blank=True)
    language = models.ForeignKey(
        "coordinators.Language",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("voorkeurstaal"),
    )
    needs_interpreter = models.BooleanField(_("tolk nodig"), default=False)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    address = models.CharField(
        _("adres (voor een brief)"),
        max_length=300,
        blank=True,
        help_text=_("Alleen nodig als iemand geen e-mail heeft."),
    )
    named_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="named",
        verbose_name=_("genoemd door"),
    )
    status = models.CharField(
        _("uitnodiging"),
        max_length=20,
        choices=InvitationStatus.choices,
        default=InvitationStatus.TO_ASK,
    )
    condition = models.CharField(_("voorwaarde om te komen"), max_length=300, blank=True)
    # Why someone is not invited for safety reasons: shown to managers only.
    safety_reason = models.CharField(
        _("reden (alleen voor regiomanager)"), max_length=300, blank=True
    )
    needs_childcare = models.BooleanField(_("kinderopvang nodig"), default=False)
    needs_transport = models.BooleanField(_("vervoer nodig"), default=False)
    needs_accessibility = models.BooleanField(_("toegankelijkheid nodig"), default=False)
    needs_note = models.CharField(_("toelichting behoeften"), max_length=200, blank=True)
    # SHA-256 of the personal date-poll link's token (kring/lib/tokens.py); empty until a
    # link is handed out, replaced when a new one is.
    poll_token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    # Set when the course ends: the personal date-poll link answers no more.
    poll_closed_at = models.DateTimeField(_("prikker-link gesloten op"), null=True, blank=True)
    created_at = models.DateTimeField(_("toegevoegd op"), auto_now_add=True)

    class Meta:
        ordering = ["-is_main_person", "category", "name", "id"]
        verbose_name = _("deelnemer")
        verbose_name_plural = _("deelnemers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=InvitationStatus.values),
                name="participant_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_child(self) -> bool:
        return self.age is not None and self.age < 18

    @property
    def attends(self) -> bool:
        return self.status in {InvitationStatus.COMES, InvitationStatus.CONDITIONAL}


class ContactNote(models.Model):
    """One line per contact: when, and what in a sentence. Never a dossier."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="notes")
    on = models.DateField(_("datum"))
    line = models.CharField(_("korte notitie"), max_length=200)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("contactmoment")
        verbose_name_plural = _("contactmomenten")

    def __str__(self) -> str:
        return f"{self.on}: {self.line}"


class Separation(models.Model):
    """Two people who cannot meet without arrangements (and what is arranged)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="separations")
    first = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    arrangement = models.CharField(_("afspraak"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("afspraak tussen deelnemers")
        verbose_name_plural = _("afspraken tussen deelnemers")

    def __str__(self) -> str:
        return f"{self.first} / {self.second}"


class ProfessionalInvolvement(models.Model):
    """A professional invited to a case: their information, concerns, offer of help, and —
    when help is pressured or compulsory — the safety conditions (kader)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="professionals")
    name = models.CharField(_("naam"), max_length=150)
    email = models.EmailField(_("e-mailadres"))
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="involvements",
        verbose_name=_("organisatie"),
    )
    role = models.CharField(_("functie"), max_length=100, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="involvements",
    )
    # SHA-256 of the invitation link's token, set when the mail is sent (a resend replaces it).
    token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    token_expires_at = models.DateTimeField(_("link geldig tot"), null=True, blank=True)
    invited_at = models.DateTimeField(_("uitgenodigd op"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    joined_at = models.DateTimeField(_("account aangemaakt op"), null=True, blank=True)
    # Set when the course ends: the invitation link and the professional's part close.
    closed_at = models.DateTimeField(_("uitnodiging gesloten op"), null=True, blank=True)
    information = models.TextField(_("informatie voor de kring"), blank=True)
    concerns = models.TextField(_("zorgen"), blank=True)
    help_offer = models.TextField(_("aanbod van hulp"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("betrokken professional")
        verbose_name_plural = _("betrokken professionals")
        constraints = [
            models.UniqueConstraint(fields=["case", "email"], name="involvement_once_per_case")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class SafetyCondition(models.Model):
    """A concrete condition the plan must meet, set by a professional (the kader)."""

    involvement = models.ForeignKey(
        ProfessionalInvolvement, on_delete=models.CASCADE, related_name="conditions"
    )
    text = models.CharField(_("voorwaarde"), max_length=500)
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("veiligheidsvoorwaarde")
        verbose_name_plural = _("veiligheidsvoorwaarden (kader)")

    def __str__(self) -> str:
        return self.text


class PollSlot(models.Model):
    """A proposed date and time for the conference (2–4 per case)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="poll_slots")
    starts_at = models.DateTimeField(_("datum en tijd"))

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("voorgestelde datum")
        verbose_name_plural = _("voorgestelde data")
        constraints = [models.UniqueConstraint(fields=["case", "starts_at"], name="slot_unique")]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"


class PollAnswer(models.TextChoices):
    YES = "yes", _("Kan")
    MAYBE = "maybe", _("Misschien")
    NO = "no", _("Kan niet")


class PollResponse(models.Model):
    slot = models.ForeignKey(PollSlot, on_delete=models.CASCADE, related_name="responses")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="poll_responses"
    )
    answer = models.CharField(max_length=5, choices=PollAnswer.choices)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["slot", "participant"], name="poll_response_once")
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.answer}"


class Invitation(models.Model):
    """An invitation sent to a participant (by mail with an .ics, or as a printed letter)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        LETTER = "letter", _("Brief")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="invitations"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    language = models.CharField(max_length=5, default="nl")
    sent_at = models.DateTimeField()
    conference_at = models.DateTimeField()
    # A letter is made when the invitations go out, but sent only when the coordinator says
    # it was posted or handed over (opening its PDF is not sending it).
    letter_sent_at = models.DateTimeField(null=True, blank=True)
    # Set when the course ends before the conference took place.
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.participant} ({self.channel})"


class SentReminder(models.Model):
    """A reminder that went out; the unique key makes a second run of the task a no-op."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=40)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="reminder_once")]

    def __str__(self) -> str:
        return f"{self.case}: {self.kind}"

    @classmethod
    def claim(cls, case: models.Model, kind: str) -> bool:
        """Insert the once-only key first; False when a previous (or parallel) run has it.

        Runs in its own savepoint, so a caller's transaction survives the clash.
        """
        try:
            with transaction.atomic():
                cls.objects.create(case=case, kind=kind)
        except IntegrityError:
            return False
        return True


class InterpreterBooking(models.Model):
    """An interpreter the coordinator booked for the conference: the invitation names them,
    and the cost becomes an expense of the case (money registers how, see
    ``logistics.domain.register_interpreter_expense``)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="interpreter_bookings"
    )
    language = models.ForeignKey(
        "coordinators.Language",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("taal"),
    )
    hours = models.DecimalField(_("uren"), max_digits=4, decimal_places=1)
    provider = models.CharField(
        _("tolk of tolkenbureau"),
        max_length=150,
        help_text=_("De naam van de tolk, of het bureau dat de tolk stuurt."),
    )
    cost = models.DecimalField(
        _("kosten (euro)"),
        max_digits=8,
        decimal_places=2,
        help_text=_("Wordt als onkosten van dit traject vastgelegd (soort: tolk)."),
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["booked_at", "id"]
        verbose_name = _("geboekte tolk")
        verbose_name_plural = _("geboekte tolken")

    def __str__(self) -> str:
        return f"{self.provider} ({self.language})"
