"""What Kring keeps about retention itself: which data of a case was removed when and why,
legal holds that stop removal, and the data subjects' requests (GDPR art. 15 and 17)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DataKind(models.TextChoices):
    """The kinds of personal data with their own retention period (settings KRING_RETENTION_*)."""

    CIRCLE = "circle", _("Kring, contactnotities en praktische zaken")
    PROFESSIONAL = "professional", _("Inbreng van professionals")
    PLAN = "plan", _("Plan, nazorg en uitvoering")
    REQUEST = "request", _("Aanvraag en traject")


class Ground(models.TextChoices):
    RETENTION = "retention", _("Bewaartermijn verstreken")
    ERASURE = "erasure", _("Verzoek tot verwijdering (AVG art. 17)")


class CasePurge(models.Model):
    """One kind of a case's personal data was removed: never twice, and the proof it was done."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("soort gegevens"), max_length=20, choices=DataKind.choices)
    ground = models.CharField(_("grond"), max_length=20, choices=Ground.choices)
    purged_at = models.DateTimeField(_("verwijderd op"))
    subject_request = models.ForeignKey(
        "privacy.SubjectRequest", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("verwijderde gegevens")
        verbose_name_plural = _("verwijderde gegevens")
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="purge_once_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class LegalHold(models.Model):
    """A case whose data must not be removed yet (a complaint, a court case, a request of the
    inspectorate): removal and erasure are refused while it is not lifted."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reden"), max_length=300)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(_("geplaatst op"), auto_now_add=True)
    lifted_at = models.DateTimeField(_("opgeheven op"), null=True, blank=True)

    class Meta:
        verbose_name = _("bewaarplicht (juridisch)")
        verbose_name_plural = _("bewaarplichten (juridisch)")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.reason}"


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Inzage (art. 15)")
    ERASURE = "erasure", _("Verwijdering (art. 17)")


class RequestStatus(models.TextChoices):
    NEW = "new", _("Nieuw")
    DONE = "done", _("Afgehandeld")
    REFUSED = "refused", _("Geweigerd")


class SubjectRequest(models.Model):
    """A data subject's request, answered within a month (GDPR art. 12(3))."""

    kind = models.CharField(_("soort verzoek"), max_length=10, choices=RequestKind.choices)
    subject_name = models.CharField(_("naam van de betrokkene"), max_length=150, blank=True)
    subject_email = models.EmailField(_("e-mailadres van de betrokkene"), blank=True)
    received_on = models.DateField(_("ontvangen op"))
    due_on = models.DateField(_("uiterlijk af op"))
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    # For an erasure: the case it is about and why; for a refusal, the Dutch reason.
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reden van het verzoek"), max_length=300, blank=True)
    outcome = models.CharField(_("uitkomst"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(_("afgehandeld op"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("verzoek van een betrokkene")
        verbose_name_plural = _("verzoeken van betrokkenen")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on:%Y-%m-%d}"


class PurgeRun(models.Model):
    """Claims the day's purge, so the periodic task removes data once a day."""

    day = models.DateField(unique=True)
    purged = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d}: {self.purged}"
