"""What the family wrote on their own page, for the plan page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

register = template.Library()


@register.filter
def with_progress(domains: Iterable[Any]) -> list[Any]:
    """The agreements (of plan_context's domain groups) the family noted progress on, the
    most recent first."""
    agreements = [row.agreement for group in domains for row in group.rows]
    noted = [a for a in agreements if a.progress_at is not None]
    return sorted(noted, key=lambda a: a.progress_at, reverse=True)
