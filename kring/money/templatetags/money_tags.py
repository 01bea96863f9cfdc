"""The running total of a case's hours against its norm, for the manager's case page."""

from __future__ import annotations

from typing import Any

from django import template

from kring.money.domain import case_totals
from kring.money.models import Line

register = template.Library()


@register.inclusion_tag("money/_case_summary.html")
def money_summary(case: Any) -> dict[str, Any]:
    """Every coordinator's lines on the case (the page is the manager's), returned ones not
    counted."""
    return {"case": case, "totals": case_totals(case, Line.objects.all())}


@register.inclusion_tag("money/_case_line.html")
def money_line(case: Any, user: Any) -> dict[str, Any]:
    """One line for the preparation workspace: the hours on the case against its norm, with a
    link to its money page. A coordinator counts only their own lines (never another
    coordinator's money); a manager or the office every line they may see."""
    return {"case": case, "totals": case_totals(case, Line.objects.visible_to(user))}
