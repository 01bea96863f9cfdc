"""A calendar entry (.ics) attached to a mail about a training session or a coaching meeting,
so the invitee adds it to their phone's calendar with one tap; a move sends the same entry
again with a higher sequence (the calendar replaces it), a call-off sends METHOD:CANCEL (the
calendar removes it). The conference's own invitation has its own builder
(kring/preparation/logistics/ics.py: the family's language, the coordinator as organiser)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Kring//Eigen Kracht//NL"


@dataclass(frozen=True)
class Entry:
    uid: str
    summary: str
    location: str
    # Dates: a whole-day entry from ``start`` up to and including ``end``. A moment: from
    # ``start`` (its end is not known; the entry marks the start).
    start: date | datetime
    end: date | None
    sequence: int
    attendee_email: str
    attendee_name: str = ""
    cancelled: bool = False


def _address(email: str, name: str = "") -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = vText(name)
    return address


def calendar_bytes(entry: Entry, *, now: datetime | None = None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if entry.cancelled else "REQUEST")
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", (now or datetime.now(UTC)).astimezone(UTC))
    if isinstance(entry.start, datetime):
        event.add("dtstart", entry.start.astimezone(UTC))
    else:
        event.add("dtstart", entry.start)
        # DTEND of a whole-day entry is the day after the last (RFC 5545, 3.6.1).
        event.add("dtend", (entry.end or entry.start) + timedelta(days=1))
    event.add("sequence", entry.sequence)
    event.add("summary", entry.summary)
    event.add("location", entry.location)
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    event.add("organizer", _address(parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))
    event.add("attendee", _address(entry.attendee_email, entry.attendee_name))
    calendar.add_component(event)
    return calendar.to_ical()


def attach_entry(message: EmailMessage, entry: Entry) -> None:
    method = "CANCEL" if entry.cancelled else "REQUEST"
    name = "afgelast.ics" if entry.cancelled else "agenda.ics"
    message.attach(name, calendar_bytes(entry), f"text/calendar; method={method}; charset=utf-8")
