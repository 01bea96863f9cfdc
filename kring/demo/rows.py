"""The rows of circles, conferences and plans, as tuples in a fixed column order.

``fill`` builds them, ``writer.Writer.write_extra`` inserts them with one ``executemany`` per
table and batch. A tuple per row is several times cheaper than a dict (let alone a model
instance) when there are millions of them. Each table below names its columns in the order the
tuples use; the writer checks that no required column is left out. Tables that later rows point
at get primary keys from ``fill`` (see ``Keys``); the others let the database number them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models

from kring.plans.models import (
    Acceptance,
    Agreement,
    Attendance,
    ConditionCheck,
    Conference,
    Distribution,
    FollowUp,
    Plan,
    PlanVersion,
)
from kring.preparation.models import (
    ContactNote,
    Invitation,
    Participant,
    PollResponse,
    PollSlot,
    Preparation,
    ProfessionalInvolvement,
    SafetyCondition,
)

Tuple = tuple[Any, ...]

# Parents before children: the order in which the writer inserts them.
TABLES: dict[str, tuple[type[models.Model], tuple[str, ...]]] = {
    "preparations": (
        Preparation,
        (
            "case_id",
            "question",
            "question_agreed_at",
            "conference_at",
            "conference_ends_at",
            "venue",
            "venue_notes",
            "food_and_drink",
            "interpreters",
            "childcare",
            "tasks_done",
            "lock_version",
        ),
    ),
    "participants": (
        Participant,
        (
            "id",
            "case_id",
            "name",
            "relation",
            "category",
            "is_main_person",
            "age",
            "language_id",
            "needs_interpreter",
            "email",
            "phone",
            "address",
            "named_by_id",
            "status",
            "condition",
            "safety_reason",
            "needs_childcare",
            "needs_transport",
            "needs_accessibility",
            "needs_note",
            "poll_token_hash",
            "created_at",
        ),
    ),
    "notes": (ContactNote, ("participant_id", "on", "line", "by_id")),
    "involvements": (
        ProfessionalInvolvement,
        (
            "id",
            "case_id",
            "name",
            "email",
            "organisation_id",
            "role",
            "user_id",
            "token_hash",
            "token_expires_at",
            "invited_at",
            "invited_by_id",
            "joined_at",
            "information",
            "concerns",
            "help_offer",
        ),
    ),
    "conditions": (SafetyCondition, ("id", "involvement_id", "text", "created_at")),
    "slots": (PollSlot, ("id", "case_id", "starts_at")),
    "responses": (PollResponse, ("slot_id", "participant_id", "answer", "answered_at")),
    "invitations": (
        Invitation,
        ("participant_id", "channel", "language", "sent_at", "conference_at"),
    ),
    "conferences": (
        Conference,
        (
            "id",
            "case_id",
            "held_on",
            "place",
            "information_started_at",
            "private_started_at",
            "presentation_started_at",
            "ended_at",
            "coordinator_led_private_time",
            "recorded_by_id",
            "recorded_at",
        ),
    ),
    "attendance": (Attendance, ("conference_id", "phase", "participant_id", "professional_id")),
    "plans": (
        Plan,
        (
            "id",
            "case_id",
            "status",
            "version",
            "next_meeting",
            "who_calls_together",
            "emergency_plan",
            "evaluation_on",
            "finalised_at",
            "send_due",
            "sent_at",
            "lock_version",
        ),
    ),
    "agreements": (
        Agreement,
        (
            "id",
            "plan_id",
            "position",
            "what",
            "who_organisation_id",
            "when",
            "due_on",
            "life_domain",
            "professional_help",
            "progress",
            "progress_at",
            "implementation",
            "cause",
        ),
    ),
    "who": (Agreement.who_participants.through, ("agreement_id", "participant_id")),
    "versions": (
        PlanVersion,
        ("plan_id", "number", "snapshot", "reason", "changed_by_id", "changed_at"),
    ),
    "distributions": (
        Distribution,
        ("plan_id", "participant_id", "plan_version", "channel", "sent_at", "sent_by_id"),
    ),
    "checks": (
        ConditionCheck,
        (
            "plan_id",
            "plan_version",
            "condition_id",
            "met",
            "comment",
            "checked_by_id",
            "checked_at",
        ),
    ),
    "acceptances": (
        Acceptance,
        (
            "plan_id",
            "plan_version",
            "involvement_id",
            "accepted",
            "comment",
            "decided_at",
            "at_conference",
        ),
    ),
    "follow_ups": (
        FollowUp,
        ("case_id", "spoken_with", "how_it_goes", "recorded_by_id", "recorded_at"),
    ),
}
# Tables whose keys ``fill`` hands out (the others are numbered by the database).
KEYED = (
    "participants",
    "involvements",
    "conditions",
    "slots",
    "conferences",
    "plans",
    "agreements",
)


@dataclass
class Extra:
    """The rows of one batch of cases, per table of ``TABLES``."""

    preparations: list[Tuple] = field(default_factory=list)
    participants: list[Tuple] = field(default_factory=list)
    notes: list[Tuple] = field(default_factory=list)
    involvements: list[Tuple] = field(default_factory=list)
    conditions: list[Tuple] = field(default_factory=list)
    slots: list[Tuple] = field(default_factory=list)
    responses: list[Tuple] = field(default_factory=list)
    invitations: list[Tuple] = field(default_factory=list)
    conferences: list[Tuple] = field(default_factory=list)
    attendance: list[Tuple] = field(default_factory=list)
    plans: list[Tuple] = field(default_factory=list)
    agreements: list[Tuple] = field(default_factory=list)
    who: list[Tuple] = field(default_factory=list)
    versions: list[Tuple] = field(default_factory=list)
    distributions: list[Tuple] = field(default_factory=list)
    checks: list[Tuple] = field(default_factory=list)
    acceptances: list[Tuple] = field(default_factory=list)
    follow_ups: list[Tuple] = field(default_factory=list)
    # Not a table: the plan's deadlines per case id (send, follow-up, implementation), for
    # the case rows that are written with the batch.
    case_dues: dict[int, tuple[datetime, datetime, datetime]] = field(default_factory=dict)

    def set_dues(self, cases: list[dict[str, Any]]) -> None:
        """Put the plan deadlines on the case rows (as ``cases.domain`` would when the
        conference is recorded)."""
        for case in cases:
            dues = self.case_dues.get(case["id"])
            if dues is not None:
                case["plan_send_due"], case["follow_up_due"], case["implementation_due"] = dues

    def counts(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in TABLES}
