"""Summary rows for the figures: one row per case, derived from the case's own data.

The dashboard reads only these rows, so its queries stay a handful of aggregates however many
agreements there are. They stay correct because every ORM write of data they depend on marks
the case stale (``signals.py``, and explicit marks where domain code writes in bulk); the
dashboard and the periodic task recompute the stale cases before reading, and
``manage.py kring_stats --rebuild`` recomputes everything (after the demo's raw writer).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestOutcome(models.TextChoices):
    """Where a request ended up: the funnel's buckets."""

    OPEN = "open", _("Nog bezig")
    CONFERENCE = "conference", _("Conferentie gehouden")
    PLAN_WITHOUT_CONFERENCE = "plan_without_conference", _("Plan zonder conferentie")
    STOPPED = "stopped", _("Gestopt tijdens de voorbereiding")
    INFORMATIVE_ONLY = "informative_only", _("Alleen informatief gesprek")
    WITHDRAWN = "withdrawn", _("Ingetrokken")


class CaseFact(models.Model):
    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    # Dimensions the dashboard filters on.
    region = models.ForeignKey(
        "accounts.Region", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    variant = models.CharField(max_length=20)
    funder = models.ForeignKey(
        "accounts.Organisation", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The request's life domains as bits (see ``facts.DOMAIN_BITS``): one integer to filter on.
    domains = models.PositiveIntegerField(default=0)
    opened_on = models.DateField()
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The funnel.
    outcome = models.CharField(max_length=30, choices=RequestOutcome.choices)
    conference_held = models.BooleanField(default=False)
    # After a conference: True a plan came of it, False it ended without one, None not yet.
    plan_made = models.BooleanField(null=True)
    # The plan.
    agreements = models.PositiveIntegerField(default=0)
    professional_agreements = models.PositiveIntegerField(default=0)
    # Implementation after 3-5 months: the plan as a whole, and agreements with causes.
    implementation = models.CharField(max_length=10, blank=True)
    agreements_fully = models.PositiveIntegerField(default=0)
    agreements_partly = models.PositiveIntegerField(default=0)
    agreements_not = models.PositiveIntegerField(default=0)
    cause_family = models.PositiveIntegerField(default=0)
    cause_professionals = models.PositiveIntegerField(default=0)
    # Lead times in whole hours, and whether the deadline was met (None: not reached yet).
    hours_to_first_contact = models.PositiveIntegerField(null=True)
    hours_to_start = models.PositiveIntegerField(null=True)
    hours_to_conference = models.PositiveIntegerField(null=True)
    hours_to_plan_sent = models.PositiveIntegerField(null=True)
    first_contact_in_time = models.BooleanField(null=True)
    start_in_time = models.BooleanField(null=True)
    conference_in_time = models.BooleanField(null=True)
    plan_sent_in_time = models.BooleanField(null=True)
    # Attendance at the conference: invited (asked participants and involved professionals)
    # and present per phase.
    invited = models.PositiveIntegerField(default=0)
    present_information = models.PositiveIntegerField(default=0)
    present_private = models.PositiveIntegerField(default=0)
    present_presentation = models.PositiveIntegerField(default=0)
    # The circle's growth (issue 14 §5): of the participants present at the conference, how
    # many were from beyond the household, and how many had been named by someone else.
    present_beyond_household = models.PositiveIntegerField(default=0)
    present_named_by_others = models.PositiveIntegerField(default=0)
    # The questionnaire after the conference (kring.evaluation): how many were asked, how
    # many answered, and the sum of each scale's answers (averages are sums over answers).
    evaluation_invited = models.PositiveIntegerField(default=0)
    evaluation_answers = models.PositiveIntegerField(default=0)
    evaluation_independent = models.PositiveIntegerField(default=0)
    evaluation_heard = models.PositiveIntegerField(default=0)
    evaluation_own_plan = models.PositiveIntegerField(default=0)
    evaluation_recommend = models.PositiveIntegerField(default=0)

    refreshed_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["opened_on"], name="fact_opened"),
            models.Index(fields=["region", "opened_on"], name="fact_region_opened"),
        ]

    def __str__(self) -> str:
        return f"fact {self.case_id}"


class StaleCase(models.Model):
    """A case whose figures must be recomputed before they are read."""

    case_id = models.BigIntegerField(primary_key=True)
    marked_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"stale {self.case_id}"


class ExportKind(models.TextChoices):
    RECORDS = "records", _("Per traject, gepseudonimiseerd")
    AGGREGATE = "aggregate", _("Tellingen per regio, jaar en uitkomst")


class ResearchExport(models.Model):
    """One research download: who, when, what, why, with which filters and how many rows."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="research_exports",
        verbose_name=_("gebruiker"),
    )
    user_role = models.CharField(_("rol"), max_length=20)
    at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("soort export"), max_length=20, choices=ExportKind.choices)
    purpose = models.TextField(_("doel"))
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    rows = models.PositiveIntegerField(_("aantal rijen"))

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("onderzoeksexport")
        verbose_name_plural = _("onderzoeksexports")

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d} {self.user_id}"
