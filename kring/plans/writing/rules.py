"""Who may write in a plan. Managers and the office read it; only the assigned coordinator
records what the family decided (domain principle: the family owns its plan, every change is
attributable to the one who wrote it down)."""

from __future__ import annotations

import rules

from kring.cases.rules import is_assigned_coordinator

# Checked with the case as the object: ``user.has_perm(RECORD_PLAN, case)``.
RECORD_PLAN = "plans.record_plan"
can_record_plan = is_assigned_coordinator

rules.add_perm(RECORD_PLAN, can_record_plan)
