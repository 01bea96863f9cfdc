"""The append-only log of every read and write of case data."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.lib.choices import QuickChoiceDisplay


class Action(models.TextChoices):
    REQUEST_SUBMITTED = "request.submitted", _("Aanvraag ingediend")
    REQUEST_REFERRED = "request.referred", _("Aanvraag door professional verwezen")
    REQUEST_THROTTLED = "request.rate_limited", _("Aanvraag geweigerd (te veel pogingen)")
    REQUEST_CHANGED = "request.changed", _("Aanvraag gewijzigd")
    INFORMATIVE_TALK_RECORDED = "talk.recorded", _("Informatief gesprek vastgelegd")
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
    CONFERENCE_TARGET_SET = "case.conference_target", _("Streefdatum conferentie vastgelegd")
    CIRCLE_CHANGED = "circle.changed", _("Kring gewijzigd")
    PARTICIPANT_REMOVED = "circle.participant_removed", _("Deelnemer uit de kring verwijderd")
    PROFESSIONAL_INVITED = "professional.invited", _("Professional uitgenodigd")
    PROFESSIONAL_JOINED = "professional.joined", _("Professional heeft account aangemaakt")
    PROFESSIONAL_PART_SAVED = "professional.part_saved", _("Inbreng professional opgeslagen")
    QUESTION_SAVED = "question.saved", _("Vraagstelling opgeslagen")
    LOGISTICS_SAVED = "logistics.saved", _("Praktische zaken opgeslagen")
    POLL_SLOT_ADDED = "poll.slot_added", _("Datum voorgesteld in de datumprikker")
    POLL_SLOT_REMOVED = "poll.slot_removed", _("Datum uit de datumprikker gehaald")
    POLL_LINK_ISSUED = "poll.link_issued", _("Persoonlijke link voor de datumprikker gemaakt")
    POLL_LINKS_SENT = "poll.links_sent", _("Links voor de datumprikker verstuurd")
    POLL_ANSWERED = "poll.answered", _("Datumprikker ingevuld door een deelnemer")
    CONFERENCE_DATE_CHOSEN = "poll.date_chosen", _("Datum van de conferentie gekozen")
    CONFERENCE_DATE_GIVEN_UP = "poll.date_given_up", _("Datum van de conferentie gaat niet door")
    # Rows written before the poll's events had an action each; nothing records it any more.
    FORMER_POLL_CHANGED = (
        "poll.changed",
        _("Datumprikker gewijzigd (vroeger één handeling voor alles rond de datumprikker)"),
    )
    INVITATIONS_SENT = "invitations.sent", _("Uitnodigingen verstuurd")
    INVITATION_LETTER_SENT = "invitation.letter_sent", _("Uitnodigingsbrief verstuurd")
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
    PERSONAL_LINK_REFUSED = "link.refused", _("Persoonlijke link geweigerd")
    FOLLOW_UP_RECORDED = "follow_up.recorded", _("Nazorg vastgelegd")
    IMPLEMENTATION_REGISTERED = "implementation.registered", _("Uitvoering geregistreerd")
    PROFILE_UPDATED = "profile.updated", _("Coördinatorprofiel gewijzigd")
    CASE_ACCESS_DENIED = "case.access_denied", _("Toegang geweigerd")
    LOGIN_FAILED = "login.failed", _("Inloggen mislukt")
    LOGIN_LOCKED_OUT = "login.locked_out", _("Inloggen geblokkeerd na te veel pogingen")
    PASSWORD_RESET_REQUESTED = "login.password_reset", _("Nieuw wachtwoord aangevraagd")
    SECOND_FACTOR_ENROLLED = "second_factor.enrolled", _("Tweede stap ingesteld")
    SECOND_FACTOR_PASSED = "second_factor.passed", _("Tweede stap doorlopen")
    SECOND_FACTOR_FAILED = "second_factor.failed", _("Tweede stap mislukt")
    SECOND_FACTOR_RESET = "second_factor.reset", _("Tweede stap opnieuw ingesteld door beheer")
    TRAIL_VIEWED = "audit.trail_viewed", _("Inzage in het logboek van een traject")
    ADMIN_VIEWED = "admin.viewed", _("Bekeken in het beheer")
    ADMIN_CHANGED = "admin.changed", _("Gewijzigd in het beheer")
    ROLE_CHANGED = "account.role_changed", _("Rol of rechten van een account gewijzigd")
    INBOX_VIEWED = "inbox.viewed", _("Inbox bekeken")
    RESEARCH_EXPORTED = "research.exported", _("Onderzoeksgegevens gedownload")
    DATA_PURGED = "privacy.purged", _("Persoonsgegevens verwijderd")
    ERASURE_REFUSED = "privacy.erasure_refused", _("Verwijdering geweigerd")
    SUBJECT_REQUEST_RECORDED = "privacy.request", _("Verzoek van betrokkene vastgelegd")
    SUBJECT_REQUESTS_VIEWED = "privacy.requests_viewed", _("Verzoeken van betrokkenen bekeken")
    SUBJECT_ACCESS_EXPORTED = "privacy.access_export", _("Inzage-export gemaakt")
    LEGAL_HOLD_CHANGED = "privacy.legal_hold", _("Juridische bewaarplicht gewijzigd")
    MONEY_LINE_RECORDED = "money.line_recorded", _("Uren of onkosten vastgelegd")
    MONEY_LINE_DELETED = "money.line_deleted", _("Regel uren of onkosten verwijderd")
    MONEY_RECEIPT_VIEWED = "money.receipt_viewed", _("Bon bekeken")
    MONEY_MONTH_SUBMITTED = "money.month_submitted", _("Maand uren en onkosten ingediend")
    MONEY_LINE_APPROVED = "money.line_approved", _("Regel uren of onkosten goedgekeurd")
    MONEY_LINE_RETURNED = "money.line_returned", _("Regel uren of onkosten teruggestuurd")
    MONEY_RATE_ADDED = "money.rate_added", _("Tarief vastgesteld")
    MONEY_NORM_SET = "money.norm_set", _("Urennorm vastgesteld")
    MONEY_BANK_ACCOUNT_SAVED = "money.bank_account", _("Rekeningnummer opgeslagen")
    MONEY_STATEMENTS_RUN = "money.statements_run", _("Maandoverzichten gemaakt")
    MONEY_STATEMENT_VIEWED = "money.statement_viewed", _("Maandoverzicht bekeken")
    MONEY_PAYMENTS_EXPORTED = "money.payments_exported", _("Betaalbestand gedownload")
    CONTRACT_ADDED = "money.contract_added", _("Contract met financier vastgelegd")
    CONTRACT_ENDED = "money.contract_ended", _("Contract met financier eerder beëindigd")
    INVOICE_ISSUED = "money.invoice_issued", _("Factuur gemaakt")
    INVOICE_CREDITED = "money.invoice_credited", _("Factuur gecrediteerd")
    INVOICE_VIEWED = "money.invoice_viewed", _("Factuur bekeken")
    TRANSLATIONS_APPROVED = "translations.approved", _("Vertalingen goedgekeurd")
    INTERPRETER_BOOKED = "preparation.interpreter_booked", _("Tolk geboekt")
    # Evaluation of every conference (issue 14 §5)
    EVALUATION_INVITED = "evaluation.invited", _("Vragenlijst na de conferentie klaargezet")
    EVALUATION_LINK_ISSUED = "evaluation.link_issued", _("Link naar de vragenlijst gemaakt")
    EVALUATION_OPENED = "evaluation.opened", _("Vragenlijst geopend")
    EVALUATION_ANSWERED = "evaluation.answered", _("Vragenlijst ingevuld")
    EVALUATION_RESULTS_VIEWED = "evaluation.results_viewed", _("Resultaten vragenlijsten bekeken")
    # The HTTP API (issue 17 §4)
    API_KEY_ISSUED = "api.key_issued", _("API-sleutel gemaakt")
    API_KEY_ROTATED = "api.key_rotated", _("API-sleutel vervangen")
    API_KEY_REVOKED = "api.key_revoked", _("API-sleutel ingetrokken")
    API_CALLED = "api.called", _("API aangeroepen")
    API_REFUSED = "api.refused", _("API-aanroep geweigerd")
    API_WEBHOOK_SET = "api.webhook_set", _("Webhook ingesteld")
    API_WEBHOOK_DELIVERED = "api.webhook_delivered", _("Webhookbericht afgeleverd")
    API_WEBHOOK_FAILED = "api.webhook_failed", _("Webhookbericht mislukt")
    API_WEBHOOK_RESENT = "api.webhook_resent", _("Webhookbericht opnieuw verstuurd")
    API_WEBHOOK_OFF = "api.webhook_off", _("Webhook uitgezet")
    # Coaching: the supported first conference, lapsing conditions, notes, meetings (issue 14).
    SUPPORTING_MANAGER_SET = "case.supporting_manager", _("Begeleidend regiomanager vastgelegd")
    VOG_RECORDED = "coaching.vog_recorded", _("VOG vastgelegd")
    INDEPENDENCE_RENEWED = "coaching.declaration", _("Onafhankelijkheidsverklaring vernieuwd")
    COACHING_NOTE_ADDED = "coaching.note_added", _("Notitie over coördinator toegevoegd")
    COORDINATOR_OVERVIEW_VIEWED = "coaching.overview_viewed", _("Overzicht coördinator bekeken")
    MEETING_PLANNED = "coaching.meeting_planned", _("Bijeenkomst gepland")
    MEETING_INVITED = "coaching.meeting_invited", _("Coördinatoren uitgenodigd voor bijeenkomst")
    MEETING_MOVED = "coaching.meeting_moved", _("Bijeenkomst verplaatst")
    MEETING_CANCELLED = "coaching.meeting_cancelled", _("Bijeenkomst afgelast")
    MEETING_ANSWERED = "coaching.meeting_answered", _("Antwoord op uitnodiging bijeenkomst")
    MEETING_ATTENDANCE_RECORDED = "coaching.attendance", _("Aanwezigheid bijeenkomst vastgelegd")

    # The coordinator's path: application, training, certificate (issue 14 §1-2)
    TRAINING_APPLIED = "training.applied", _("Aanmelding als coördinator ontvangen")
    TRAINING_APPLY_THROTTLED = "training.apply_limited", _("Aanmelding geweigerd (te vaak)")
    TRAINING_APPLICATION_VIEWED = "training.application_viewed", _("Aanmelding bekeken")
    TRAINING_CV_VIEWED = "training.cv_viewed", _("Cv bekeken")
    TRAINING_SESSION_PLANNED = "training.session_planned", _("Bijeenkomst of training gepland")
    TRAINING_SESSION_MOVED = "training.session_moved", _("Bijeenkomst of training verplaatst")
    TRAINING_SESSION_CANCELLED = (
        "training.session_cancelled",
        _("Bijeenkomst of training afgelast"),
    )
    TRAINING_INVITED = "training.invited", _("Uitgenodigd voor bijeenkomst of training")
    TRAINING_ATTENDANCE = "training.attendance", _("Aanwezigheid vastgelegd")
    TRAINING_ATTENDANCE_CORRECTED = (
        "training.attendance_corrected",
        _("Aanwezigheid gecorrigeerd"),
    )
    TRAINING_DECIDED_TO_TAKE_PART = "training.take_part", _("Besloten deel te nemen aan EK1")
    TRAINING_WITHDRAWN = "training.withdrawn", _("Kandidaat gestopt vóór het coördinatorschap")
    TRAINING_REPORT_LINK_ISSUED = "training.report_link", _("Link voor het verslag gemaakt")
    TRAINING_SELF_REPORT = "training.self_report", _("Verslag na EK1 ingediend")
    TRAINING_TRAINER_DECISION = "training.trainer_decision", _("Besluit van de trainers")
    TRAINING_EVALUATED = "training.evaluated", _("Eerste conferentie geëvalueerd")
    TRAINING_CERTIFIED = "training.certified", _("Certificaat uitgereikt")
    TRAINING_CERTIFICATE_VIEWED = "training.certificate_viewed", _("Certificaat bekeken")
    TRAINING_EK2_REPORT = "training.ek2_report", _("Verslag na EK2 ingediend")
    COORDINATOR_STATUS_CHANGED = "coordinator.status_changed", _("Status coördinator gewijzigd")


class Outcome(models.TextChoices):
    OK = "ok", _("gelukt")
    REFUSED = "refused", _("geweigerd")
    DENIED = "denied", _("geen toegang")


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("The audit log is append-only")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise PermissionError("The audit log is append-only")


class AuditEvent(QuickChoiceDisplay):
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
    # The hash chain (audit/chain.py): the row's place, its predecessor's hash and its own.
    seq = models.PositiveBigIntegerField(_("volgnummer"), unique=True)
    prev_hash = models.CharField(_("vorige hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

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


class ChainHead(models.Model):
    """The last row of the chain: one row, locked by every writer of the log."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    # The hash the last row hangs from: one UPDATE moves the head and returns both (log.py).
    prev_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("kop van de logketen")

    def __str__(self) -> str:
        return f"{self.seq} {self.hash}"
