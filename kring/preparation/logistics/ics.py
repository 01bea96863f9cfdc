"""The calendar invitation (.ics, METHOD:REQUEST) that goes with an invitation mail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parseaddr

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Kring//Eigen Kracht-conferentie//NL"


def _summary() -> str:
    return _("Eigen Kracht-conferentie")


def _description(name: str, email: str) -> str:
    return _(
        "Je bent uitgenodigd voor een Eigen Kracht-conferentie. Vragen? Neem contact op met "
        "de coördinator: %(name)s (%(email)s)."
    ) % {"name": name, "email": email}


@dataclass(frozen=True)
class CalendarInvite:
    case_pk: int
    starts_at: datetime
    ends_at: datetime
    location: str
    organizer_name: str
    organizer_email: str
    attendee_name: str
    attendee_email: str
    language: str = "nl"
    # Raised each time the date changes, so calendars replace the earlier entry.
    sequence: int = 0


def event_uid(case_pk: int) -> str:
    """One UID per case: a new date updates the entry in the calendar instead of adding one."""
    return f"case-{case_pk}@kring"


def _address(email: str, name: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = vText(name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def build_ics(invite: CalendarInvite, *, now: datetime | None = None) -> bytes:
    """A METHOD:REQUEST calendar with one event, times in UTC.

    The description names only the coordinator, not the question: calendars are synced and
    shared far more widely than a mailbox.
    """
    organizer_email = invite.organizer_email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", event_uid(invite.case_pk))
    event.add("dtstamp", (now or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", invite.starts_at.astimezone(UTC))
    event.add("dtend", invite.ends_at.astimezone(UTC))
    event.add("sequence", invite.sequence)
    with translation.override(invite.language):
        summary, description = _summary(), _description(invite.organizer_name, organizer_email)
    event.add("summary", summary)
    event.add("location", invite.location)
    event.add("description", description)
    event.add("status", "CONFIRMED")
    event.add("organizer", _address(organizer_email, invite.organizer_name))
    event.add(
        "attendee",
        _address(
            invite.attendee_email,
            invite.attendee_name,
            ROLE="REQ-PARTICIPANT",
            PARTSTAT="NEEDS-ACTION",
            RSVP="FALSE",
        ),
    )
    calendar.add_component(event)
    return calendar.to_ical()
