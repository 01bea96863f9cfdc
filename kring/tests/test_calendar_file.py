"""The calendar entry that goes with a training's or a meeting's mail (kring.lib.calendar_file):
read back with icalendar, as a calendar program reads it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from django.core.mail import EmailMessage
from icalendar import Calendar

from kring.lib.calendar_file import Entry, attach_entry, calendar_bytes

DAYS = Entry(
    uid="training-session-7@kring",
    summary="Training deel 1 (EK1)",
    location="Amersfoort, De Kring",
    start=date(2027, 3, 1),
    end=date(2027, 3, 3),
    sequence=0,
    attendee_email="fatima@voorbeeld.nl",
    attendee_name="Fatima Yilmaz",
)


def _event(data: bytes) -> tuple[Any, Any]:
    calendar = Calendar.from_ical(data)
    return calendar, calendar.walk("VEVENT")[0]


def test_whole_days_end_the_day_after_the_last() -> None:
    calendar, event = _event(calendar_bytes(DAYS))
    assert calendar["METHOD"] == "REQUEST"
    assert event["UID"] == "training-session-7@kring"
    assert event.decoded("DTSTART") == date(2027, 3, 1)
    assert event.decoded("DTEND") == date(2027, 3, 4)
    assert event["STATUS"] == "CONFIRMED"
    assert str(event["ATTENDEE"]) == "mailto:fatima@voorbeeld.nl"


def test_a_moment_is_in_utc_and_a_call_off_cancels_the_same_entry() -> None:
    moment = datetime(2027, 3, 1, 19, 30, tzinfo=UTC)
    entry = Entry(
        uid="meeting-3@kring",
        summary="Regiobijeenkomst: Intervisie",
        location="Utrecht",
        start=moment,
        end=None,
        sequence=2,
        attendee_email="coordinator@voorbeeld.nl",
        cancelled=True,
    )
    calendar, event = _event(calendar_bytes(entry))
    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert event.decoded("DTSTART") == moment
    assert "DTEND" not in event
    assert event["SEQUENCE"] == 2


def test_attached_with_its_method() -> None:
    message = EmailMessage("Onderwerp", "Tekst", None, ["fatima@voorbeeld.nl"])
    attach_entry(message, DAYS)
    name, content, kind = message.attachments[0]
    assert name == "agenda.ics"
    assert kind.startswith("text/calendar; method=REQUEST")
    assert "BEGIN:VEVENT" in str(content)
