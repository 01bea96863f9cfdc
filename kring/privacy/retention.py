"""What each kind of personal data is, how long it is kept after a case closes, and how it is
removed. Removal blanks the texts in place instead of deleting rows: the case's skeleton
(statuses, dates, counts) is what the figures (``stats.CaseFact``) are computed from, and the
append-only audit log points at the case, so both survive untouched."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from kring.privacy.models import DataKind


@dataclass(frozen=True)
class Scrub:
    """Blank ``fields`` (texts to "", others to their empty value) of the rows of ``model``
    whose ``case_path`` is the case; ``delete`` removes the rows instead."""

    model: str
    case_path: str
    fields: dict[str, object]
    delete: bool = False


def _blank(*names: str) -> dict[str, object]:
    return dict.fromkeys(names, "")


# A professional is in a case once per address (``involvement_once_per_case``), so blanking
# two addresses of one case to "" would break the constraint and stop the purge: each gets
# its own undeliverable stand-in instead (the reserved .invalid domain), with no trace of
# the person.
_NO_ADDRESS = Concat(Cast("pk", output_field=CharField()), Value("@verwijderd.invalid"))


SCRUBS: dict[DataKind, list[Scrub]] = {
    DataKind.CIRCLE: [
        Scrub(
            "preparation.Participant",
            "case",
            _blank(
                "name",
                "relation",
                "email",
                "phone",
                "address",
                "condition",
                "safety_reason",
                "needs_note",
            ),
        ),
        Scrub("preparation.ContactNote", "participant__case", {}, delete=True),
        Scrub("preparation.Separation", "case", _blank("arrangement")),
        Scrub(
            "preparation.Preparation",
            "case",
            _blank(
                "question", "venue", "venue_notes", "food_and_drink", "interpreters", "childcare"
            ),
        ),
        Scrub("plans.Conference", "case", _blank("place")),
        Scrub("coordinators.DeclaredConflict", "case", {"names": []}),
        Scrub("coordinators.Offer", "case", _blank("decline_reason")),
        Scrub("intake.InformativeTalk", "request__case", _blank("with_whom", "contact", "note")),
    ],
    DataKind.PROFESSIONAL: [
        Scrub(
            "preparation.ProfessionalInvolvement",
            "case",
            {
                **_blank("name", "role", "information", "concerns", "help_offer"),
                "email": _NO_ADDRESS,
            },
        ),
        Scrub("preparation.SafetyCondition", "involvement__case", _blank("text")),
        Scrub("plans.ConditionCheck", "plan__case", _blank("comment")),
        Scrub("plans.Acceptance", "plan__case", _blank("comment")),
    ],
    DataKind.PLAN: [
        Scrub("plans.Plan", "case", _blank("next_meeting", "who_calls_together", "emergency_plan")),
        Scrub("plans.Agreement", "plan__case", _blank("what", "when", "progress")),
        Scrub("plans.PlanVersion", "plan__case", {"snapshot": {}, "reason": ""}),
        Scrub("plans.FollowUp", "case", _blank("spoken_with", "how_it_goes")),
    ],
    DataKind.REQUEST: [
        Scrub(
            "intake.Request",
            "case",
            _blank(
                "requester_name",
                "requester_email",
                "requester_phone",
                "situation",
                "question",
                "wish_culture",
                "wish_religion",
                "postcode",
                "sender_key",
            ),
        ),
        Scrub(
            "intake.MainPerson", "request__case", {"name": "", "postcode": "", "birth_year": None}
        ),
        Scrub(
            "cases.Case",
            "pk",
            _blank(
                "early_follow_up_reason", "early_implementation_reason", "exit_note", "pause_reason"
            ),
        ),
        # The reasons typed for steps along the course (back to matching, a pause, a date
        # given up): free text that may name people, so the rows go.
        Scrub("cases.CaseRemark", "case", {}, delete=True),
        # Money: the photo or PDF of a receipt (it may show a name or an address) and the free
        # texts on a line go; dates, hours, amounts and statuses stay, because statements,
        # invoices and the cost figures are sums of them (and name cases by reference only).
        Scrub("money.Receipt", "line__case", {}, delete=True),
        Scrub("money.Line", "case", _blank("note", "review_comment")),
    ],
}


def period_months(kind: DataKind) -> int:
    """The kind's retention period in months after the case's closing (settings)."""
    return int(getattr(settings, f"KRING_RETENTION_{kind.name}_MONTHS"))


def closed_before(kind: DataKind, now: datetime) -> datetime:
    """Cases closed before this moment have this kind of data past its period."""
    return months_before(now, period_months(kind))


def months_before[Moment: (date, datetime)](moment: Moment, months: int) -> Moment:
    """The same day and time ``months`` calendar months earlier (the month's last day when
    that month is shorter)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)
