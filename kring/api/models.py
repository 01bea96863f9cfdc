"""API keys, the referrals that came in through the API, and webhooks with their deliveries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    # A referring organisation's system: submit referrals, read their status and deadlines.
    REFERRALS = "referrals", _("Verwijzingen")
    # A funder's system: its contracts' use and its invoices.
    FUNDING = "funding", _("Financiering")
    # The office's own systems: the dashboard's figures.
    FIGURES = "figures", _("Cijfers")


class ApiKeyQuerySet(models.QuerySet["ApiKey"]):
    def usable(self) -> ApiKeyQuerySet:
        """Neither revoked nor past the end of a rotation's overlap."""
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class ApiKey(models.Model):
    """One organisation's key for one scope. The secret is shown once, when the key is made;
    only its SHA-256 is kept (like the personal links, kring/lib/tokens.py). ``prefix`` is
    what people see and say ("de sleutel kr_7F3K..."), and how a presented key is found."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="api_keys",
        verbose_name=_("organisatie"),
    )
    name = models.CharField(_("omschrijving"), max_length=100)
    scope = models.CharField(_("bereik"), max_length=20, choices=Scope.choices)
    # Whose view the key gets, so it never sees more than that person does in Kring: the
    # professional who refers (referrals), the office or a regional manager (figures).
    acts_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_keys",
        verbose_name=_("namens"),
    )
    prefix = models.CharField(_("kenmerk"), max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("gemaakt op"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Set on the old key when it is rotated: it keeps working until then (the overlap).
    expires_at = models.DateTimeField(_("geldig tot"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    replaced_by = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaces"
    )
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "-created_at"]
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")
        constraints = [
            models.CheckConstraint(condition=Q(scope__in=Scope.values), name="api_key_scope_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix} ({self.organisation})"

    @property
    def is_usable(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()


class ApiReferral(models.Model):
    """A referral that came in through the API: the organisation's system may read it back,
    and hears about it by webhook. Referrals made on the site are not the system's."""

    request = models.OneToOneField(
        "intake.Request", on_delete=models.CASCADE, related_name="api_referral"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="api_referrals"
    )
    key = models.ForeignKey(ApiKey, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(self.request_id)


class WebhookEndpoint(models.Model):
    """Where an organisation hears that one of its API referrals changed state.

    The signing secret must be recoverable to sign, so it is not stored at all: it is derived
    from the server's key and ``nonce`` (``webhooks.signing_secret``). A copy of the database
    alone signs nothing; a new nonce is a new secret."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="webhook",
        verbose_name=_("organisatie"),
    )
    url = models.URLField(_("adres (https)"), max_length=500)
    nonce = models.CharField(max_length=64, editable=False)
    active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Wacht")
    DELIVERED = "delivered", _("Afgeleverd")
    FAILED = "failed", _("Mislukt")


class WebhookDelivery(models.Model):
    """One state change announced to one endpoint, with every attempt's outcome."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    request = models.ForeignKey("intake.Request", on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=40)
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhookbericht")
        verbose_name_plural = _("webhookberichten")

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id}"
