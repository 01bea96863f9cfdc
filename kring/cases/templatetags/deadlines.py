"""Showing a deadline as the time left, the way a manager triaging on Monday reads it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kring.cases.clocks import days_since, long_preparation, plan_send_escalated

if TYPE_CHECKING:
    from kring.cases.models import Case

register = template.Library()


def days_left(due: datetime, now: datetime) -> int:
    return (timezone.localdate(due) - timezone.localdate(now)).days


@register.simple_tag
def deadline(due: datetime | None, done: datetime | None = None) -> SafeString:
    """A badge: done, N days left, today, or N days late."""
    if due is None:
        return format_html("")
    if done is not None:
        return format_html('<span class="kring-badge kring-badge--ok">{}</span>', _("gedaan"))
    left = days_left(due, timezone.now())
    if left < 0:
        text = ngettext("%(n)d dag te laat", "%(n)d dagen te laat", -left) % {"n": -left}
        css = "late"
    elif left == 0:
        text, css = _("vandaag"), "soon"
    else:
        text = ngettext("nog %(n)d dag", "nog %(n)d dagen", left) % {"n": left}
        css = "soon" if left <= 1 else "ok"
    return format_html(
        '<span class="kring-badge kring-badge--{}" title="{}">{}</span>',
        css,
        timezone.localtime(due).strftime("%d-%m-%Y"),
        text,
    )


@register.filter
def status_label(value: str) -> str:
    """The Dutch label of a status code stored in a log row."""
    from kring.cases.models import Status

    return str(Status(value).label) if value in Status.values else value


@register.simple_tag
def assigned_clock(case: Case) -> str:
    """The coordinator's own clock, shown beside the method's: "gekoppeld 2 dagen geleden"."""
    if case.assigned_at is None or case.coordinator_id is None:
        return ""
    days = days_since(case.assigned_at, timezone.now())
    if days <= 0:
        return _("vandaag gekoppeld")
    return ngettext("gekoppeld %(n)d dag geleden", "gekoppeld %(n)d dagen geleden", days) % {
        "n": days
    }


@register.simple_tag
def clock_signals(case: Case) -> SafeString:
    """Badges for the manager: a plan not sent after the coordinator's reminder (late) and a
    long preparation (a signal, not late). Uses the case's own fields only: no queries."""
    now = timezone.now()
    badges = []
    if plan_send_escalated(case, now):
        badges.append(("late", _("plan niet verstuurd")))
    if long_preparation(case, now):
        badges.append(("soon", _("lange voorbereiding")))
    return format_html_join(" ", '<span class="kring-badge kring-badge--{}">{}</span>', badges)
