"""The append-only log of every read and write of case data."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    REQUEST_SUBMITTED = "request.submitted", _("Aanvraag ingediend")
    REQUEST_REFERRED = "request.referred", _("Aanvraag door professional verwezen")
    REQUEST_REJECTED_SPAM = "request.rate_limited", _("Aanvraag geweigerd (te veel pogingen)")
    CASE_VIEWED = "case.viewed", _("Traject bekeken")
    CASE_MOVED = "case.moved", _("Status gewijzigd")
    CASE_MOVE_REFUSED = "case.move_refused", _("Statuswijziging geweigerd")
    CASE_FIRST_CONTACT = "case.first_contact", _("Eerste contact vastgelegd")
    CASE_ROUTED = "case.routed", _("Naar regio gestuurd")
    OFFER_MADE = "offer.made", _("Aangeboden aan coördinator")
    OFFER_ACCEPTED = "offer.accepted", _("Aanbod geaccepteerd")
    OFFER_DECLINED = "offer.declined", _("Aanbod afgewezen")
    OFFER_EXPIRED = "offer.expired", _("Aanbod verlopen zonder antwoord")
    CASE_PAUSED = "case.paused", _("Traject gepauzeerd")
    CASE_RESUMED = "case.resumed", _("Traject hervat")
    CASE_FIRST_VISIT = "case.first_visit", _("Eerste bezoek vastgelegd")
    CIRCLE_CHANGED = "circle.changed", _("Kring gewijzigd")
    PARTICIPANT_REMOVED = "circle.participant_removed", _("Deelnemer uit de kring verwijderd")
    PROFESSIONAL_INVITED = "professional.invited", _("Professional uitgenodigd")
    PROFESSIONAL_JOINED = "professional.joined", _("Professional heeft account aangemaakt")
    PROFESSIONAL_PART_SAVED = "professional.part_saved", _("Inbreng professional opgeslagen")
    QUESTION_SAVED = "question.saved", _("Vraagstelling opgeslagen")
    LOGISTICS_SAVED = "logistics.saved", _("Praktische zaken opgeslagen")
    POLL_CHANGED = "poll.changed", _("Datumprikker gewijzigd")
    INVITATIONS_SENT = "invitations.sent", _("Uitnodigingen verstuurd")
    REMINDER_SENT = "reminder.sent", _("Herinnering verstuurd")
    CONFERENCE_RECORDED = "conference.recorded", _("Conferentie vastgelegd")
    PLAN_CHANGED = "plan.changed", _("Plan gewijzigd")
    PLAN_SUBMITTED = "plan.submitted", _("Plan ter toetsing aangeboden")
    PLAN_CONDITION_CHECKED = "plan.condition_checked", _("Voorwaarde getoetst")
    PLAN_ACCEPTED = "plan.accepted", _("Plan geaccepteerd")
    PLAN_NOT_ACCEPTED = "plan.not_accepted", _("Plan niet geaccepteerd, terug naar de kring")
    PLAN_FINALISED = "plan.finalised", _("Plan definitief")
    PLAN_SENT = "plan.sent", _("Plan verstuurd")
    PLAN_PDF_VIEWED = "plan.pdf_viewed", _("Plan-pdf bekeken")
    FAMILY_LINK_CREATED = "family_link.created", _("Link voor de familie gemaakt")
    FAMILY_LINK_REVOKED = "family_link.revoked", _("Link voor de familie ingetrokken")
    FAMILY_LINK_USED = "family_link.used", _("Link voor de familie gebruikt")
    FAMILY_LINK_REFUSED = "family_link.refused", _("Link voor de familie geweigerd")
    FOLLOW_UP_RECORDED = "follow_up.recorded", _("Nazorg vastgelegd")
    IMPLEMENTATION_REGISTERED = "implementation.registered", _("Uitvoering geregistreerd")
    PROFILE_UPDATED = "profile.updated", _("Coördinatorprofiel gewijzigd")
    CASE_ACCESS_DENIED = "case.access_denied", _("Toegang geweigerd")
    INBOX_VIEWED = "inbox.viewed", _("Inbox bekeken")
    RESEARCH_EXPORTED = "research.exported", _("Onderzoeksgegevens gedownload")


class Outcome(models.TextChoices):
    OK = "ok", _("gelukt")
    REFUSED = "refused", _("geweigerd")
    DENIED = "denied", _("geen toegang")


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("The audit log is append-only")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise PermissionError("The audit log is append-only")


class AuditEvent(models.Model):
    """One thing that happened: who (user and role), what, to which case, when, outcome.

    Rows are only ever inserted; the model refuses updates and deletes, and on PostgreSQL a
    trigger refuses them too (migration 0002).
    """

    at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wie"),
    )
    actor_role = models.CharField(_("rol"), max_length=20, blank=True)
    action = models.CharField(_("handeling"), max_length=40, choices=Action.choices)
    object_type = models.CharField(_("soort object"), max_length=40, blank=True)
    object_id = models.CharField(_("object"), max_length=40, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("traject"),
    )
    outcome = models.CharField(
        _("uitkomst"), max_length=10, choices=Outcome.choices, default=Outcome.OK
    )
    detail = models.JSONField(_("details"), default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("logregel")
        verbose_name_plural = _("logboek")
        indexes = [models.Index(fields=["case", "at"], name="audit_case_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_role} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("The audit log is append-only")
