"""The coordinator pool: profiles, availability, ties to organisations, offers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.Model):
    """A language or dialect (ISO 639-3 code) that a coordinator speaks or a family asks for."""

    code = models.CharField(_("code (ISO 639-3)"), max_length=3, primary_key=True)
    name_nl = models.CharField(_("naam"), max_length=80)
    name_en = models.CharField(_("naam (Engels)"), max_length=80)
    weight = models.FloatField(_("gewicht in de bevolking"), default=0.0)

    class Meta:
        ordering = ["name_nl"]
        verbose_name = _("taal")
        verbose_name_plural = _("talen")

    def __str__(self) -> str:
        return self.name_nl


# Renewed every year: a declaration signed today still counts 364 days from now.
INDEPENDENCE_VALID_DAYS = 365


class CoordinatorStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Kandidaat")
    EK1 = "ek1", _("Getraind (EK1)")
    CERTIFIED = "certified", _("Gecertificeerd")
    EK2 = "ek2", _("Getraind voor alle varianten (EK2)")
    PAUSED = "paused", _("Gepauzeerd")
    STOPPED = "stopped", _("Gestopt")


class Gender(models.TextChoices):
    FEMALE = "female", _("Vrouw")
    MALE = "male", _("Man")
    OTHER = "other", _("Anders / zeg ik liever niet")


class CoordinatorProfileQuerySet(models.QuerySet["CoordinatorProfile"]):
    def visible_to(self, user: Any) -> CoordinatorProfileQuerySet:
        """Managers see their regions' pool, the office all, a coordinator only themself."""
        if not user.is_authenticated:
            return self.none()
        if user.is_office:
            return self.all()
        if user.is_manager:
            return self.filter(regions__in=user.regions.all()).distinct()
        if user.is_coordinator:
            return self.filter(user=user)
        return self.none()


class CoordinatorProfile(models.Model):
    """A freelance Eigen Kracht-coördinator: who they are, what they offer, when they can."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coordinator_profile",
        verbose_name=_("gebruiker"),
    )
    home_postcode = models.ForeignKey(
        "accounts.Postcode",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("postcode woonplaats (4 cijfers)"),
    )
    birth_year = models.PositiveSmallIntegerField(_("geboortejaar"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    languages = models.ManyToManyField(
        Language, blank=True, related_name="coordinators", verbose_name=_("talen en dialecten")
    )
    cultural_backgrounds = models.CharField(
        _("culturele achtergronden"),
        max_length=200,
        blank=True,
        help_text=_("Gescheiden door komma's, bijvoorbeeld: Marokkaans, Nederlands."),
    )
    # Special-category data (AVG art. 9): kept only with explicit consent, shown only to the
    # coordinator and to managers while matching.
    religion = models.CharField(_("geloof of levensovertuiging"), max_length=100, blank=True)
    religion_consent_at = models.DateTimeField(
        _("toestemming voor geloof vastgelegd op"), null=True, blank=True
    )
    regions = models.ManyToManyField(
        "accounts.Region", blank=True, related_name="coordinators", verbose_name=_("regio's")
    )
    max_travel_km = models.PositiveSmallIntegerField(_("maximale reisafstand (km)"), default=40)
    evenings_weekends = models.BooleanField(
        _("beschikbaar op avonden en in weekenden"), default=True
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=CoordinatorStatus.choices,
        default=CoordinatorStatus.CANDIDATE,
    )
    vog_issued_on = models.DateField(_("datum VOG"), null=True, blank=True)
    independence_declared_on = models.DateField(
        _("onafhankelijkheidsverklaring getekend op"), null=True, blank=True
    )
    declared_relationships = models.TextField(
        _("mensen die ik ken"),
        blank=True,
        help_text=_("Eén naam per regel. Met deze mensen word je nooit aan een traject gekoppeld."),
    )
    max_cases = models.PositiveSmallIntegerField(_("maximaal aantal trajecten tegelijk"), default=1)
    # Active cases plus open offers; changed only under a row lock (domain.py), and the
    # database refuses a load above max_cases even if code forgets the lock.
    load = models.PositiveSmallIntegerField(_("huidige belasting"), default=0, editable=False)
    conferences_done = models.PositiveSmallIntegerField(_("conferenties gedaan"), default=0)
    # The variants beyond family that an EK2-trained coordinator chose in their EK2 report
    # (kring.training). Written only by that report; None: trained before Kring recorded it,
    # so every variant, as before.
    ek2_variants = models.JSONField(
        _("varianten na EK2"), null=True, blank=True, default=None, editable=False
    )
    last_case_at = models.DateTimeField(_("laatste traject gekregen op"), null=True, blank=True)

    objects = CoordinatorProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("coördinatorprofiel")
        verbose_name_plural = _("coördinatorprofielen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(load__lte=models.F("max_cases")),
                name="coordinator_load_within_capacity",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=CoordinatorStatus.values),
                name="coordinator_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(religion="") | models.Q(religion_consent_at__isnull=False),
                name="coordinator_religion_needs_consent",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    def vog_valid_until(self) -> date | None:
        if self.vog_issued_on is None:
            return None
        years = settings.KRING_VOG_VALID_YEARS
        try:
            return self.vog_issued_on.replace(year=self.vog_issued_on.year + years)
        except ValueError:  # 29 February
            return self.vog_issued_on.replace(year=self.vog_issued_on.year + years, day=28)

    def independence_valid_until(self) -> date | None:
        """The last day the yearly independence declaration counts; None when never signed."""
        if self.independence_declared_on is None:
            return None
        return self.independence_declared_on + timedelta(days=INDEPENDENCE_VALID_DAYS - 1)

    def relationship_names(self) -> list[str]:
        return [line.strip() for line in self.declared_relationships.splitlines() if line.strip()]

    def culture_list(self) -> list[str]:
        return [c.strip() for c in self.cultural_backgrounds.split(",") if c.strip()]


class Affiliation(models.Model):
    """An organisation the coordinator works for or is otherwise tied to (a conflict source)."""

    profile = models.ForeignKey(
        CoordinatorProfile, on_delete=models.CASCADE, related_name="affiliations"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="affiliated_coordinators",
        verbose_name=_("organisatie"),
    )
    description = models.CharField(_("soort band"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("band met organisatie")
        verbose_name_plural = _("banden met organisaties")
        constraints = [
            models.UniqueConstraint(fields=["profile", "organisation"], name="affiliation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.profile} – {self.organisation}"


class Unavailability(models.Model):
    """A period in which the coordinator takes no new case (holiday, illness, busy)."""

    profile = models.ForeignKey(
        CoordinatorProfile, on_delete=models.CASCADE, related_name="unavailabilities"
    )
    starts_on = models.DateField(_("van"))
    ends_on = models.DateField(_("tot en met"))
    reason = models.CharField(_("reden (optioneel)"), max_length=150, blank=True)

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("periode niet beschikbaar")
        verbose_name_plural = _("periodes niet beschikbaar")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="unavailability_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_on} – {self.ends_on}"


class OfferStatus(models.TextChoices):
    OPEN = "open", _("Wacht op antwoord")
    ACCEPTED = "accepted", _("Geaccepteerd")
    DECLINED = "declined", _("Afgewezen")
    EXPIRED = "expired", _("Geen antwoord op tijd")
    WITHDRAWN = "withdrawn", _("Ingetrokken")


class Offer(models.Model):
    """A case offered to one coordinator, with a deadline to answer."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="offers")
    profile = models.ForeignKey(CoordinatorProfile, on_delete=models.PROTECT, related_name="offers")
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    offered_at = models.DateTimeField(_("aangeboden op"))
    answer_due = models.DateTimeField(_("antwoord uiterlijk"))
    status = models.CharField(
        _("status"), max_length=10, choices=OfferStatus.choices, default=OfferStatus.OPEN
    )
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    decline_reason = models.CharField(_("reden"), max_length=300, blank=True)
    score = models.FloatField(_("score"), default=0)
    reasons = models.JSONField(_("redenen"), default=list, blank=True)

    class Meta:
        ordering = ["-offered_at"]
        verbose_name = _("aanbod")
        verbose_name_plural = _("aanbiedingen")
        constraints = [
            # One open offer per case: two managers cannot offer the same case at once.
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="open"),
                name="offer_one_open_per_case",
            ),
            models.UniqueConstraint(fields=["case", "profile"], name="offer_once_per_coordinator"),
            models.CheckConstraint(
                condition=models.Q(status__in=OfferStatus.values), name="offer_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "answer_due"], name="offer_due")]

    def __str__(self) -> str:
        return f"{self.case} → {self.profile}"


class MatchingWeights(models.Model):
    """The national office's weights for the soft matching scores (one row)."""

    values = models.JSONField(
        _("gewichten"),
        default=dict,
        blank=True,
        help_text=_('Alleen wat afwijkt van de standaard, bijvoorbeeld {"language": 30}.'),
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("gewichten voor het koppelen")
        verbose_name_plural = _("gewichten voor het koppelen")

    def __str__(self) -> str:
        return str(_("Gewichten voor het koppelen"))


class DeclaredConflict(models.Model):
    """The coordinator declined an offer because they know the family or have an interest in
    it. The names involved then block them for any case of that family, as a declared
    relationship does; the names stay off their own pages (they saw only surnames)."""

    profile = models.ForeignKey(
        CoordinatorProfile, on_delete=models.CASCADE, related_name="declared_conflicts"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    names = models.JSONField(_("namen (genormaliseerd)"), default=list)
    declared_at = models.DateTimeField(_("gemeld op"))

    class Meta:
        verbose_name = _("gemeld belang")
        verbose_name_plural = _("gemelde belangen")
        constraints = [
            models.UniqueConstraint(fields=["profile", "case"], name="declared_conflict_once")
        ]

    def __str__(self) -> str:
        return f"{self.profile} – {self.case_id}"
