"""People who log in, their roles, the regions they work in and Dutch postcode areas."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A working region of the organisation (by default one per province; editable data)."""

    name = models.CharField(_("naam"), max_length=100, unique=True)
    slug = models.SlugField(_("code"), max_length=50, unique=True)
    # Where families and professionals reply to (the Reply-To of the request confirmation).
    email = models.EmailField(
        _("e-mailadres van het regiokantoor"),
        blank=True,
        help_text=_("Antwoorden op bevestigingen gaan hierheen. Leeg: naar de regiomanagers."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")

    def __str__(self) -> str:
        return self.name


class Postcode(models.Model):
    """A four-digit postcode area (PC4) with its centroid and the region it routes to."""

    pc4 = models.CharField(_("postcode (4 cijfers)"), max_length=4, primary_key=True)
    place = models.CharField(_("plaats"), max_length=100)
    province = models.CharField(_("provincie"), max_length=50)
    lat = models.FloatField(_("breedtegraad"))
    lon = models.FloatField(_("lengtegraad"))
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="postcodes", verbose_name=_("regio")
    )

    class Meta:
        ordering = ["pc4"]
        verbose_name = _("postcodegebied")
        verbose_name_plural = _("postcodegebieden")

    def __str__(self) -> str:
        return f"{self.pc4} {self.place}"


class Organisation(models.Model):
    """A care, youth-protection, municipal or other organisation involved in cases.

    Professionals belong to one; coordinators declare ties to them; matching blocks a
    coordinator tied to an organisation involved in the case.
    """

    class Kind(models.TextChoices):
        YOUTH_CARE = "youth_care", _("Jeugdhulp")
        YOUTH_PROTECTION = "youth_protection", _("Jeugdbescherming")
        MUNICIPALITY = "municipality", _("Gemeente / wijkteam")
        SAFE_HOME = "safe_home", _("Veilig Thuis")
        MENTAL_HEALTH = "mental_health", _("GGZ / verslavingszorg")
        HOUSING = "housing", _("Woningcorporatie")
        SCHOOL = "school", _("School / onderwijs")
        JUSTICE = "justice", _("Justitie / reclassering / politie")
        OTHER = "other", _("Anders")

    name = models.CharField(_("naam"), max_length=200, unique=True)
    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices, default=Kind.OTHER)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OFFICE = "office", _("Landelijk bureau (beheer)")
    MANAGER = "manager", _("Regiomanager")
    COORDINATOR = "coordinator", _("Eigen Kracht-coördinator")
    PROFESSIONAL = "professional", _("Professional")
    RESEARCHER = "researcher", _("Onderzoeker")
    # Checks and approves the translations of what families read (/vertalen/).
    TRANSLATOR = "translator", _("Vertaler")
    # Runs the coordinator training: sessions, attendance, the decision with the candidate.
    TRAINER = "trainer", _("Trainer")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("role", Role.OFFICE)
        return self.create_user(email, password, **fields)


class User(AbstractUser):
    """A person who logs in with their e-mail address and has exactly one role."""

    username = None  # type: ignore[assignment,misc]
    email = models.EmailField(_("e-mailadres"), unique=True)
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    regions = models.ManyToManyField(
        Region,
        blank=True,
        related_name="managers",
        verbose_name=_("regio's"),
        help_text=_("Voor regiomanagers: de regio's waarvan zij de aanvragen ontvangen."),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("organisatie"),
        help_text=_("Voor professionals: de organisatie waarvoor zij werken."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []  # type: ignore[misc]

    objects = UserManager()  # type: ignore[misc,assignment]

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="user_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_office(self) -> bool:
        return self.role == Role.OFFICE

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_professional(self) -> bool:
        return self.role == Role.PROFESSIONAL

    @property
    def is_researcher(self) -> bool:
        return self.role == Role.RESEARCHER

    @property
    def is_translator(self) -> bool:
        return self.role == Role.TRANSLATOR

    @property
    def is_trainer(self) -> bool:
        return self.role == Role.TRAINER


class FormSubmission(models.Model):
    """A form that was saved, by the token it carried (kring/accounts/once.py): the same form
    posted again (a double tap, a resent request after a dropped connection) finds it and is
    sent where the first went, instead of saving a second hour line or note."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    token = models.UUIDField()
    location = models.CharField(max_length=500)
    submitted_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="one_submission_per_token")
        ]

    def __str__(self) -> str:
        return f"{self.token} → {self.location}"
