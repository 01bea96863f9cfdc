"""Who may do what with a case. Deny by default: every predicate must say yes."""

from __future__ import annotations

from typing import Any

import rules


@rules.predicate
def is_office(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_office)


@rules.predicate
def is_manager(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_manager)


@rules.predicate
def in_managers_region(user: Any, case: Any) -> bool:
    if case is None or case.region_id is None:
        return False
    return bool(user.regions.filter(pk=case.region_id).exists())


@rules.predicate
def is_referrer(user: Any, case: Any) -> bool:
    return case is not None and case.request.referrer_id == user.pk


@rules.predicate
def is_professional(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_professional)


can_manage_case = is_office | (is_manager & in_managers_region)
can_view_case = can_manage_case | (is_professional & is_referrer)


@rules.predicate
def is_assigned_coordinator(user: Any, case: Any) -> bool:
    return bool(
        case is not None
        and user.is_authenticated
        and user.is_coordinator
        and case.coordinator_id == user.pk
        and case.coordinator_is_involved
    )


# Preparing (circle, question, logistics): the assigned coordinator while involved, and the
# managers who coach them.
can_prepare_case = is_assigned_coordinator | can_manage_case
