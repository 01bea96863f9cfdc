"""Who may edit and approve the family's translations: a translator, and the office."""

from __future__ import annotations

from typing import Any

from kring.accounts.models import Role

TRANSLATING_ROLES = (Role.TRANSLATOR, Role.OFFICE)


def can_translate(user: Any) -> bool:
    """django-rosetta's access check (ROSETTA_ACCESS_CONTROL_FUNCTION) and ours."""
    return bool(user.is_authenticated and user.role in TRANSLATING_ROLES)
