"""A request (aanvraag) for an Eigen Kracht-conferentie, from the public or a professional."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Organisation
from kring.cases.choices import (
    AgeBand,
    CompelledHelp,
    CompelledHelpKind,
    GenderWish,
    RequesterKind,
    Variant,
)
from kring.lib.choices import QuickChoiceDisplay

# Letters and digits that cannot be confused when read aloud or over the phone.
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    """A short reference such as ``EK-7F3K-9QMA`` that is not guessable from other requests."""
    chars = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
    return f"EK-{chars[:4]}-{chars[4:]}"


class Channel(models.TextChoices):
    PUBLIC = "public", _("Openbaar formulier")
    REFERRAL = "referral", _("Verwijzing door professional")
    # Taken by a regional manager or the office and entered by them.
    PHONE = "phone", _("Telefonisch")
    EMAIL = "email", _("Per e-mail")
    IN_PERSON = "in_person", _("Persoonlijk")


# The ways a manager can have taken a request (the public form and referrals enter themselves).
TAKEN_CHANNELS = (Channel.PHONE, Channel.EMAIL, Channel.IN_PERSON)
# Who pays for conferences: municipalities mostly, sometimes youth protection or another
# institution.
FUNDER_KINDS = (
    Organisation.Kind.MUNICIPALITY,
    Organisation.Kind.YOUTH_PROTECTION,
    Organisation.Kind.YOUTH_CARE,
    Organisation.Kind.MENTAL_HEALTH,
    Organisation.Kind.HOUSING,
)


class Request(QuickChoiceDisplay):
    """What was asked, by whom, about whom. The course that follows lives in ``cases.Case``."""

    reference = models.CharField(_("referentie"), max_length=12, unique=True, default=new_reference)
    submitted_at = models.DateTimeField(_("ingediend op"), db_index=True)
    channel = models.CharField(_("kanaal"), max_length=10, choices=Channel.choices)

    requester_kind = models.CharField(
        _("wie vraagt aan"), max_length=20, choices=RequesterKind.choices
    )
    requester_name = models.CharField(_("naam aanvrager"), max_length=150)
    requester_email = models.EmailField(_("e-mailadres aanvrager"), blank=True)
    requester_phone = models.CharField(_("telefoon aanvrager"), max_length=30, blank=True)
    # The language the requester filled in the form in: the confirmation goes out in it.
    requester_language = models.CharField(
        _("taal aanvrager"), max_length=7, default="nl", editable=False
    )

    situation = models.TextField(_("situatie"))
    life_domains = models.JSONField(_("levensdomeinen"), default=list, blank=True)
    question = models.TextField(_("eerste vraag"), blank=True)
    variant = models.CharField(_("soort conferentie"), max_length=20, choices=Variant.choices)
    informative_only = models.BooleanField(_("alleen een informatief gesprek"), default=False)

    safety_at_stake = models.BooleanField(_("veiligheid in het geding"), default=False)
    compelled_help = models.CharField(
        _("drang of dwang"),
        max_length=20,
        choices=CompelledHelp.choices,
        default=CompelledHelp.NONE,
    )
    compelled_help_kind = models.CharField(
        _("soort drang of dwang"), max_length=30, choices=CompelledHelpKind.choices, blank=True
    )
    funder_name = models.CharField(_("financier"), max_length=200, blank=True)
    funder = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funded_requests",
        verbose_name=_("financier (organisatie)"),
    )

    wish_gender = models.CharField(
        _("wens: man of vrouw"), max_length=10, choices=GenderWish.choices, blank=True
    )
    wish_age_band = models.CharField(
        _("wens: leeftijd"), max_length=10, choices=AgeBand.choices, blank=True
    )
    wish_languages = models.ManyToManyField(
        "coordinators.Language", blank=True, related_name="+", verbose_name=_("wens: talen")
    )
    language_required = models.BooleanField(_("taal is noodzakelijk"), default=False)
    wish_culture = models.CharField(_("wens: culturele achtergrond"), max_length=100, blank=True)
    wish_religion = models.CharField(
        _("wens: geloof of levensovertuiging"), max_length=100, blank=True
    )

    consent_at = models.DateTimeField(_("toestemming gegeven op"))

    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("verwijzer"),
    )
    referrer_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("organisatie van de verwijzer"),
    )
    family_agrees = models.BooleanField(_("gezin stemt in met de aanmelding"), default=False)
    # The manager (or office) who took the request by phone, mail or in person.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entered_requests",
        verbose_name=_("ingevoerd door"),
    )

    postcode = models.CharField(_("postcode voor de routering"), max_length=7, blank=True)
    region = models.ForeignKey(
        "accounts.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("regio"),
    )
    # The hidden token of the form that sent this request: a second submit of the same form
    # (double click, reload) finds this row instead of creating a duplicate.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # No longer written: the spam limit counts keyed address hashes in the cache
    # (kring.lib.ratelimits). Kept blank until a migration drops it.
    sender_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("aanvraag")
        verbose_name_plural = _("aanvragen")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(channel="referral") | models.Q(referrer__isnull=False),
                name="request_referral_has_referrer",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def main_person_names(self) -> str:
        return ", ".join(person.name for person in self.main_persons.all())


class MainPerson(models.Model):
    """A person the conference is about (hoofdpersoon)."""

    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="main_persons", verbose_name=_("aanvraag")
    )
    name = models.CharField(_("naam"), max_length=150)
    birth_year = models.PositiveSmallIntegerField(_("geboortejaar"), null=True, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("hoofdpersoon")
        verbose_name_plural = _("hoofdpersonen")

    def __str__(self) -> str:
        return self.name


class TalkOutcome(models.TextChoices):
    REQUEST = "request", _("Leidt tot een aanvraag")
    THINKING = "thinking", _("Denkt er nog over na")
    NO_REQUEST = "no_request", _("Geen aanvraag")


class InformativeTalk(models.Model):
    """A talk in which a manager explains what an Eigen Kracht-conferentie is, before (or
    instead of) a request. Only what is needed to follow it up: no dossier."""

    region = models.ForeignKey(
        "accounts.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("regio")
    )
    held_on = models.DateField(_("datum van het gesprek"))
    with_whom = models.CharField(_("met wie"), max_length=200)
    contact = models.CharField(_("telefoon of e-mail"), max_length=150, blank=True)
    outcome = models.CharField(_("uitkomst"), max_length=20, choices=TalkOutcome.choices)
    note = models.CharField(_("korte notitie"), max_length=500, blank=True)
    # The request the talk was about (an informative-talk request) or led to.
    request = models.ForeignKey(
        Request,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="informative_talks",
        verbose_name=_("aanvraag"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("informatief gesprek")
        verbose_name_plural = _("informatieve gesprekken")
        indexes = [models.Index(fields=["region", "held_on"], name="talk_region_held")]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.with_whom[:40]}"


def wishable_languages() -> models.QuerySet[Any]:
    """Every language a family can ask the coordinator to speak: the pool's list, reached
    through the field that holds the wish, so intake needs no import from the pool."""
    language = Request._meta.get_field("wish_languages").related_model
    return language._default_manager.all()  # type: ignore[union-attr]
