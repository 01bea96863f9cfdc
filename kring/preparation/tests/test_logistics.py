"""Logistics, the date poll, invitations (mail + .ics, printed letter) and the reminder."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import icalendar
import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from kring.accounts.models import Role, User
from kring.audit.models import Action, AuditEvent
from kring.cases.models import Case, Status
from kring.coordinators.models import Language
from kring.factories import UserFactory, a_case, set_preparation, walk_to
from kring.lib.tokens import hash_token
from kring.preparation.logistics.domain import (
    SlotTally,
    best_slot,
    letter_context,
    pick_best,
    save_logistics,
    send_conference_reminders,
)
from kring.preparation.logistics.mailing import get_preparation, issue_poll_link
from kring.preparation.models import (
    Category,
    Invitation,
    InvitationStatus,
    Participant,
    PollResponse,
    PollSlot,
    Preparation,
)

pytestmark = pytest.mark.django_db

SOON = timedelta(days=10)


@pytest.fixture
def case(coordinator: User) -> Case:
    User.objects.filter(pk=coordinator.pk).update(phone="06 12345678")
    return a_case(at=Status.PREPARATION, coordinator=coordinator)


def poll_url(participant: Participant) -> str:
    """A fresh personal link, as a mail or the coordinator's screen would hand it out."""
    return reverse(
        "preparation:poll_answer", args=[issue_poll_link(participant, by=None, channel="test")]
    )


def person(case: Case, name: str, **fields: Any) -> Participant:
    fields.setdefault("status", InvitationStatus.COMES)
    fields.setdefault("category", Category.FAMILY)
    return Participant.objects.create(case=case, name=name, **fields)


def slot(case: Case, delta: timedelta) -> PollSlot:
    start = (timezone.now() + delta).replace(second=0, microsecond=0)
    return PollSlot.objects.create(case=case, starts_at=start)


def plan(case: Case, *, venue: str = "Buurthuis De Linde, Dorpsstraat 4, Utrecht") -> Preparation:
    """A fixed date (in ten days at 10:00 local time) and a venue."""
    day = timezone.localtime(timezone.now() + SOON).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    Preparation.objects.update_or_create(
        case=case,
        defaults={"conference_at": day, "conference_ends_at": day + timedelta(hours=3)},
    )
    Preparation.objects.filter(case=case).update(venue=venue)
    return Preparation.objects.get(case=case)


LOGISTICS = {
    "venue": "Buurthuis De Linde, Dorpsstraat 4, Utrecht",
    "venue_notes": "Ingang aan de zijkant",
    "food_and_drink": "Oma kookt",
    "interpreters": "Tolk Arabisch via het tolkencentrum",
    "childcare": "De buurvrouw past op",
}


# ---------- Arrangements ----------


def test_coordinator_saves_the_arrangements(coordinator_client: Any, case: Case) -> None:
    url = reverse("preparation:logistics", args=[case.pk])
    assert coordinator_client.get(url).status_code == 200

    response = coordinator_client.post(url, {**LOGISTICS, "lock_version": 0})

    assert response.status_code == 302
    preparation = Preparation.objects.get(case=case)
    assert preparation.venue == LOGISTICS["venue"]
    assert preparation.childcare == "De buurvrouw past op"
    assert preparation.lock_version == 1
    assert AuditEvent.objects.filter(case=case, action=Action.LOGISTICS_SAVED).count() == 1


def test_a_concurrent_edit_is_not_lost(coordinator_client: Any, case: Case, manager: User) -> None:
    url = reverse("preparation:logistics", args=[case.pk])
    coordinator_client.get(url)  # the coordinator opens the form at version 0 …
    # … and meanwhile the manager saves another venue.
    save_logistics(
        case, by=manager, lock_version=0, data={**LOGISTICS, "venue": "Het gemeentehuis"}
    )

    mine = {**LOGISTICS, "venue": "Bij oma thuis, Kerkstraat 1", "lock_version": 0}
    response = coordinator_client.post(url, mine)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Iemand anders heeft dit intussen gewijzigd" in page
    assert "Bij oma thuis, Kerkstraat 1" in page  # the user's input is kept
    assert "Het gemeentehuis" in page  # and the other version is shown beside it
    assert Preparation.objects.get(case=case).venue == "Het gemeentehuis"
    assert response.context["form"]["lock_version"].value() == "1"

    # Saving again is a deliberate overwrite with the version now shown.
    response = coordinator_client.post(url, {**mine, "lock_version": 1})
    assert response.status_code == 302
    assert Preparation.objects.get(case=case).venue == "Bij oma thuis, Kerkstraat 1"


def test_arrangements_keep_input_and_explain_too_long_fields(
    coordinator_client: Any, case: Case
) -> None:
    url = reverse("preparation:logistics", args=[case.pk])
    response = coordinator_client.post(url, {**LOGISTICS, "venue": "x" * 301, "lock_version": 0})
    assert response.status_code == 200
    assert response.context["form"].errors["venue"]
    assert Preparation.objects.to_show(case).lock_version == 0


# ---------- The date poll ----------


def test_coordinator_proposes_dates_with_dutch_refusals(
    coordinator_client: Any, case: Case
) -> None:
    url = reverse("preparation:poll", args=[case.pk])
    future = timezone.localtime(timezone.now() + SOON).replace(hour=19, minute=30)
    value = future.strftime("%Y-%m-%dT%H:%M")

    assert coordinator_client.post(url, {"starts_at": value}).status_code == 302
    assert PollSlot.objects.filter(case=case).count() == 1

    duplicate = coordinator_client.post(url, {"starts_at": value})
    assert "staan al in de datumprikker" in duplicate.context["form"].errors["starts_at"][0]

    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    refused = coordinator_client.post(url, {"starts_at": past})
    assert "al voorbij" in refused.context["form"].errors["starts_at"][0]
    assert refused.context["form"]["starts_at"].value() == past  # input kept

    for days in (11, 12, 13):
        later = (future + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")
        coordinator_client.post(url, {"starts_at": later})
    fifth = (future + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    too_many = coordinator_client.post(url, {"starts_at": fifth})
    assert "al 4 data" in too_many.context["form"].errors["starts_at"][0]
    assert PollSlot.objects.filter(case=case).count() == 4
    assert AuditEvent.objects.filter(case=case, action=Action.POLL_SLOT_ADDED).count() == 4


def test_coordinator_removes_a_date(coordinator_client: Any, case: Case) -> None:
    proposed = slot(case, SOON)
    url = reverse("preparation:poll_remove_slot", args=[case.pk, proposed.pk])
    assert coordinator_client.post(url).status_code == 302
    assert coordinator_client.post(url).status_code == 302  # twice is harmless
    assert not PollSlot.objects.filter(case=case).exists()


def _tally(start: datetime, yes: int, maybe: int, no: int) -> SlotTally:
    return SlotTally(PollSlot(starts_at=start), yes, maybe, no)


def test_best_slot_has_most_yes_then_fewest_no_then_is_earliest() -> None:
    now = datetime(2030, 1, 1, tzinfo=UTC)
    day = [now + timedelta(days=n) for n in range(1, 5)]

    most_yes = [_tally(day[0], 2, 0, 1), _tally(day[1], 3, 0, 2)]
    assert pick_best(most_yes, now).starts_at == day[1]

    fewest_no = [_tally(day[0], 3, 0, 2), _tally(day[1], 3, 1, 0)]
    assert pick_best(fewest_no, now).starts_at == day[1]

    earliest = [_tally(day[2], 2, 1, 1), _tally(day[1], 2, 0, 1)]
    assert pick_best(earliest, now).starts_at == day[1]

    assert pick_best([_tally(day[0], 0, 0, 0), _tally(day[1], 0, 0, 0)], now) is None
    past = [_tally(now - timedelta(days=1), 9, 0, 0), _tally(day[3], 1, 0, 0)]
    assert pick_best(past, now).starts_at == day[3]


def test_best_slot_counts_only_confirmed_participants(case: Case) -> None:
    first, second = slot(case, SOON), slot(case, SOON + timedelta(days=1))
    ana = person(case, "Ana de Vries")
    bo = person(case, "Bo Jansen", status=InvitationStatus.CONDITIONAL)
    gone = person(case, "Cees Bakker", status=InvitationStatus.DECLINES)
    for who, answer in ((ana, "no"), (bo, "yes")):
        PollResponse.objects.create(slot=first, participant=who, answer=answer)
    for who, answer in ((ana, "yes"), (bo, "yes")):
        PollResponse.objects.create(slot=second, participant=who, answer=answer)
    # Someone who no longer comes does not tip the balance.
    PollResponse.objects.create(slot=first, participant=gone, answer="yes")
    PollResponse.objects.create(slot=second, participant=gone, answer="no")

    assert best_slot(case) == second


def test_participant_answers_through_the_personal_link(client: Any, case: Case) -> None:
    first, second = slot(case, SOON), slot(case, SOON + timedelta(days=2))
    ana = person(case, "Ana de Vries")
    person(case, "Bo Jansen")
    url = poll_url(ana)

    page = client.get(url).content.decode()
    assert "Ana" in page
    assert "de Vries" not in page  # the first name only
    # Nobody else (the page's own link tokens are random letters, which may hold a "Bo").
    words = re.sub(r'(?:href|action|src)="[^"]*"', "", page)
    assert not re.search(r"\bBo\b", words) and "Jansen" not in page
    assert case.request.reference not in page

    answers = {f"slot_{first.pk}": "yes", f"slot_{second.pk}": "maybe"}
    assert client.post(url, answers).status_code == 302
    answers[f"slot_{second.pk}"] = "no"
    assert client.post(url, answers).status_code == 302  # again: an update

    saved = dict(ana.poll_responses.values_list("slot_id", "answer"))
    assert saved == {first.pk: "yes", second.pk: "no"}
    assert PollResponse.objects.filter(participant=ana).count() == 2


def test_an_unanswered_date_gets_a_dutch_error(client: Any, case: Case) -> None:
    first, second = slot(case, SOON), slot(case, SOON + timedelta(days=2))
    ana = person(case, "Ana de Vries")
    url = poll_url(ana)
    response = client.post(url, {f"slot_{first.pk}": "yes"})
    assert response.status_code == 200
    assert "Kies bij deze datum" in response.context["form"].errors[f"slot_{second.pk}"][0]
    assert not PollResponse.objects.exists()


def test_unknown_or_unconfirmed_tokens_answer_404(client: Any, case: Case) -> None:
    slot(case, SOON)
    declined = person(case, "Dirk Smit", status=InvitationStatus.DECLINES)
    assert client.get(reverse("preparation:poll_answer", args=["nope"])).status_code == 404
    url = poll_url(declined)
    assert client.get(url).status_code == 404


def test_poll_page_shows_answers_links_and_the_best_date(
    coordinator_client: Any, case: Case
) -> None:
    first, second = slot(case, SOON), slot(case, SOON + timedelta(days=1))
    ana = person(case, "Ana de Vries", email="ana@voorbeeld.nl")
    PollResponse.objects.create(slot=first, participant=ana, answer="no")
    PollResponse.objects.create(slot=second, participant=ana, answer="yes")

    response = coordinator_client.get(reverse("preparation:poll", args=[case.pk]))

    page = response.content.decode()
    assert response.context["table"].best == second
    assert 'data-testid="best-slot"' in page
    # A button per person for a link to pass on by hand; no link itself (none is stored).
    assert reverse("preparation:poll_link", args=[case.pk, ana.pk]) in page
    assert "/voorbereiding/prikker/" not in page
    assert "Ana de Vries" in page


def test_poll_page_queries_do_not_grow_with_the_circle(
    coordinator_client: Any, case: Case, django_assert_max_num_queries: Any
) -> None:
    slots = [slot(case, SOON + timedelta(days=n)) for n in range(3)]

    def grow(n: int) -> None:
        for i in range(n):
            who = person(case, f"Persoon {Participant.objects.count()} {i}")
            for s in slots:
                PollResponse.objects.create(slot=s, participant=who, answer="yes")

    url = reverse("preparation:poll", args=[case.pk])
    grow(5)
    coordinator_client.get(url)  # warm up sessions and content types
    with django_assert_max_num_queries(30) as few:
        coordinator_client.get(url)
    grow(35)
    with django_assert_max_num_queries(len(few.captured_queries)):
        coordinator_client.get(url)


def test_poll_links_are_mailed_once_per_set_of_dates(
    coordinator_client: Any, case: Case, django_capture_on_commit_callbacks: Any
) -> None:
    slot(case, SOON)
    english = Language.objects.get(code="eng")
    person(case, "Ana de Vries", email="ana@voorbeeld.nl")
    person(case, "Sam Smith", email="sam@example.com", language=english)
    person(case, "Opa Jan")  # no e-mail: the coordinator passes the link on
    url = reverse("preparation:poll_send_links", args=[case.pk])

    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url)
        coordinator_client.post(url)  # a double click

    assert sorted(m.to[0] for m in mail.outbox) == ["ana@voorbeeld.nl", "sam@example.com"]
    english_mail = next(m for m in mail.outbox if m.to == ["sam@example.com"])
    assert "When can you come" in english_mail.subject
    link = english_mail.body.split("/voorbereiding/prikker/")[1].split("/")[0]
    sam = Participant.objects.get(name="Sam Smith")
    assert sam.poll_token_hash == hash_token(link)  # the mailed link is the stored one

    slot(case, SOON + timedelta(days=1))  # a changed poll may be sent again
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url)
    assert len(mail.outbox) == 4


def test_each_event_of_the_poll_has_its_own_action_in_the_log(
    case: Case, coordinator: User
) -> None:
    from kring.preparation.logistics.domain import (
        add_slot,
        choose_slot,
        give_up_date,
        remove_slot,
        save_poll_answers,
        send_poll_links,
    )

    start = (timezone.now() + SOON).replace(second=0, microsecond=0)
    first = add_slot(case, start, by=coordinator)
    second = add_slot(case, start + timedelta(days=1), by=coordinator)
    ana = person(case, "Ana de Vries", email="ana@voorbeeld.nl")
    issue_poll_link(ana, by=coordinator, channel="screen")
    save_poll_answers(ana, {first.pk: "yes"})
    send_poll_links(case, by=coordinator)
    remove_slot(case, second.pk, by=coordinator)
    planned = choose_slot(case, first.pk, by=coordinator)
    give_up_date(planned, by=coordinator, reason="Moeder ligt in het ziekenhuis.")

    logged = AuditEvent.objects.filter(case=case, action__startswith="poll.")
    assert list(logged.order_by("seq").values_list("action", flat=True)) == [
        Action.POLL_SLOT_ADDED,
        Action.POLL_SLOT_ADDED,
        Action.POLL_LINK_ISSUED,
        Action.POLL_ANSWERED,
        Action.POLL_LINKS_SENT,  # each mail's fresh link is issued in its task, not here
        Action.POLL_SLOT_REMOVED,
        Action.CONFERENCE_DATE_CHOSEN,
        Action.CONFERENCE_DATE_GIVEN_UP,
    ]


def test_choosing_a_date_plans_the_case(coordinator_client: Any, case: Case) -> None:
    chosen = slot(case, SOON)
    url = reverse("preparation:poll_choose", args=[case.pk, chosen.pk])

    response = coordinator_client.post(url)

    assert response.status_code == 302
    preparation = Preparation.objects.get(case=case)
    assert preparation.conference_at == chosen.starts_at
    assert preparation.conference_ends_at == chosen.starts_at + timedelta(hours=3)
    case.refresh_from_db()
    assert case.status == Status.PLANNED
    moved = AuditEvent.objects.filter(case=case, action=Action.CASE_MOVED).latest("id")
    assert moved.detail["new"] == Status.PLANNED

    # The poll is closed now: the personal page shows the chosen date instead of the form.
    ana = person(case, "Ana de Vries")
    page = coordinator_client.get(poll_url(ana))
    assert 'data-testid="chosen"' in page.content.decode()


def test_a_past_date_cannot_be_chosen(coordinator_client: Any, case: Case) -> None:
    old = slot(case, -timedelta(hours=1))
    coordinator_client.post(reverse("preparation:poll_choose", args=[case.pk, old.pk]))
    case.refresh_from_db()
    assert case.status == Status.PREPARATION
    assert get_preparation(case).conference_at is None


# ---------- Invitations ----------


def _attachment(message: Any) -> bytes:
    filename, content, mimetype = message.attachments[0]
    assert filename.endswith(".ics")
    assert mimetype.startswith("text/calendar")
    return content.encode() if isinstance(content, str) else content


def test_no_invitations_without_date_and_venue(coordinator_client: Any, case: Case) -> None:
    person(case, "Ana de Vries", email="ana@voorbeeld.nl")
    url = reverse("preparation:invitations_send", args=[case.pk])
    response = coordinator_client.post(url, follow=True)
    assert "Kies eerst een datum" in response.content.decode()
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_invitations_carry_a_valid_ics_in_the_right_language(
    coordinator_client: Any, case: Case, coordinator: User, django_capture_on_commit_callbacks: Any
) -> None:
    preparation = plan(case)
    english = Language.objects.get(code="eng")
    person(case, "Ana de Vries", email="ana@voorbeeld.nl")
    person(case, "Sam Smith", email="sam@example.com", language=english)
    person(case, "Oma Riet", address="Kerkstraat 1, 3511 AB Utrecht")
    person(case, "Dirk Smit", email="dirk@voorbeeld.nl", status=InvitationStatus.DECLINES)
    url = reverse("preparation:invitations_send", args=[case.pk])

    with django_capture_on_commit_callbacks(execute=True):
        assert coordinator_client.post(url).status_code == 302

    assert sorted(m.to[0] for m in mail.outbox) == ["ana@voorbeeld.nl", "sam@example.com"]
    dutch = next(m for m in mail.outbox if m.to == ["ana@voorbeeld.nl"])
    english_mail = next(m for m in mail.outbox if m.to == ["sam@example.com"])
    assert dutch.subject.startswith("Uitnodiging: Eigen Kracht-conferentie")
    assert "Beste Ana," in dutch.body
    assert english_mail.subject.startswith("Invitation: Family Group Conference")
    assert "Dear Sam," in english_mail.body
    with translation.override("en"):
        day = date_format(timezone.localtime(preparation.conference_at), "l j F Y")
    assert day in english_mail.body  # English day and month names
    assert "Buurthuis De Linde, Dorpsstraat 4, Utrecht" in english_mail.body
    assert english_mail.reply_to == [coordinator.email]

    calendar = icalendar.Calendar.from_ical(_attachment(english_mail))
    assert str(calendar["METHOD"]) == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == f"case-{case.pk}@kring"
    assert event.decoded("DTSTART") == preparation.conference_at
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)  # in UTC
    assert event.decoded("DTEND") == preparation.conference_ends_at
    assert str(event["LOCATION"]) == preparation.venue
    assert str(event["ORGANIZER"]) == f"mailto:{coordinator.email}"
    assert str(event["ATTENDEE"]) == "mailto:sam@example.com"
    assert "Z" in _attachment(english_mail).decode().split("DTSTART:")[1].splitlines()[0]

    letters = Invitation.objects.filter(channel=Invitation.Channel.LETTER)
    assert [i.participant.name for i in letters] == ["Oma Riet"]
    assert Invitation.objects.get(participant__name="Sam Smith").language == "en"
    event_row = AuditEvent.objects.get(case=case, action=Action.INVITATIONS_SENT)
    assert event_row.detail["email"] == 2 and event_row.detail["letters_to_print"] == 1


def test_sending_invitations_twice_sends_once_and_a_new_date_reinvites(
    coordinator_client: Any, case: Case, django_capture_on_commit_callbacks: Any
) -> None:
    preparation = plan(case)
    person(case, "Ana de Vries", email="ana@voorbeeld.nl")
    url = reverse("preparation:invitations_send", args=[case.pk])

    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url)
        coordinator_client.post(url)
    assert len(mail.outbox) == 1
    assert Invitation.objects.count() == 1

    later = preparation.conference_at + timedelta(days=7)
    Preparation.objects.filter(pk=preparation.pk).update(conference_at=later)
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url)
    assert len(mail.outbox) == 2
    calendar = icalendar.Calendar.from_ical(_attachment(mail.outbox[1]))
    event = calendar.walk("VEVENT")[0]
    assert event.decoded("DTSTART") == later
    assert int(event["SEQUENCE"]) == 1  # calendars replace the earlier entry


def test_invitation_letter_is_a_pdf_with_date_and_venue(
    coordinator_client: Any, case: Case
) -> None:
    preparation = plan(case)
    Preparation.objects.filter(pk=preparation.pk).update(question="Wat is er nodig zodat…?")
    preparation.refresh_from_db()
    oma = person(case, "Riet Jansen", address="Kerkstraat 1, 3511 AB Utrecht")
    url = reverse("preparation:invitation_letter", args=[case.pk, oma.pk])

    response = coordinator_client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    html = render_to_string(
        "preparation/logistics/invitation_letter_body.html",
        letter_context(case, preparation, oma),
    )
    with translation.override("nl"):
        day = date_format(timezone.localtime(preparation.conference_at), "l j F Y")
    assert day in html  # e.g. "dinsdag 8 december 2026"
    assert "10:00 tot ongeveer 13:00" in html
    assert "Buurthuis De Linde, Dorpsstraat 4, Utrecht" in html
    assert "Kerkstraat 1" in html and "3511 AB Utrecht" in html
    assert "Beste Riet," in html
    assert "Wat is er nodig zodat…?" in html


def test_letter_for_someone_not_coming_answers_404(coordinator_client: Any, case: Case) -> None:
    plan(case)
    declined = person(case, "Dirk Smit", status=InvitationStatus.DECLINES)
    url = reverse("preparation:invitation_letter", args=[case.pk, declined.pk])
    assert coordinator_client.get(url).status_code == 404


# ---------- The reminder two days before ----------


def test_reminder_two_days_before_is_sent_once(
    case: Case, django_capture_on_commit_callbacks: Any
) -> None:
    walk_to(case, Status.PLANNED)
    preparation = plan(case)
    person(case, "Ana de Vries", email="ana@voorbeeld.nl")
    person(case, "Opa Jan")  # no e-mail
    person(case, "Dirk Smit", email="dirk@voorbeeld.nl", status=InvitationStatus.DECLINES)
    far_away = a_case(at=Status.PLANNED, coordinator=case.coordinator)
    plan(far_away)
    person(far_away, "Eva Mol", email="eva@voorbeeld.nl")
    Preparation.objects.filter(case=far_away).update(
        conference_at=preparation.conference_at + timedelta(days=5)
    )
    now = preparation.conference_at - timedelta(hours=30)

    with django_capture_on_commit_callbacks(execute=True):
        assert send_conference_reminders(now) == 1
        assert send_conference_reminders(now) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert send_conference_reminders(now + timedelta(hours=1)) == 0

    assert [m.to for m in mail.outbox] == [["ana@voorbeeld.nl"]]
    assert mail.outbox[0].subject.startswith("Herinnering")
    assert AuditEvent.objects.filter(case=case, action=Action.REMINDER_SENT).count() == 1


def test_no_reminder_more_than_two_days_ahead(case: Case) -> None:
    walk_to(case, Status.PLANNED)
    preparation = plan(case)
    person(case, "Ana de Vries", email="ana@voorbeeld.nl")
    assert send_conference_reminders(preparation.conference_at - timedelta(hours=49)) == 0


def test_periodic_task_sends_due_reminders(
    case: Case, django_capture_on_commit_callbacks: Any
) -> None:
    from kring.periodic.jobs import send_due_conference_reminders

    walk_to(case, Status.PLANNED)
    soon = timezone.now() + timedelta(hours=20)
    set_preparation(case, conference_at=soon, venue="Bij oma")
    person(case, "Ana de Vries", email="ana@voorbeeld.nl")
    with django_capture_on_commit_callbacks(execute=True):
        send_due_conference_reminders.enqueue()
        send_due_conference_reminders.enqueue()
    assert len(mail.outbox) == 1


# ---------- Scoping ----------


PAGES = ["logistics", "poll", "invitations"]


@pytest.mark.parametrize("page", PAGES)
def test_another_coordinator_gets_404(client: Any, case: Case, page: str) -> None:
    other = UserFactory(role=Role.COORDINATOR)
    client.force_login(other)
    assert client.get(reverse(f"preparation:{page}", args=[case.pk])).status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_manager_of_another_region_gets_404(
    client: Any, case: Case, other_manager: User, page: str
) -> None:
    client.force_login(other_manager)
    assert client.get(reverse(f"preparation:{page}", args=[case.pk])).status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_the_regions_manager_may_open_the_pages(
    client: Any, case: Case, manager: User, page: str
) -> None:
    client.force_login(manager)
    assert client.get(reverse(f"preparation:{page}", args=[case.pk])).status_code == 200


def test_another_coordinator_cannot_change_or_send(client: Any, case: Case) -> None:
    chosen = slot(case, SOON)
    plan(case)
    ana = person(case, "Ana de Vries", email="ana@voorbeeld.nl")
    client.force_login(UserFactory(role=Role.COORDINATOR))
    posts = [
        reverse("preparation:poll_choose", args=[case.pk, chosen.pk]),
        reverse("preparation:poll_remove_slot", args=[case.pk, chosen.pk]),
        reverse("preparation:poll_send_links", args=[case.pk]),
        reverse("preparation:invitations_send", args=[case.pk]),
    ]
    for url in posts:
        assert client.post(url).status_code == 404
    letter = reverse("preparation:invitation_letter", args=[case.pk, ana.pk])
    assert client.get(letter).status_code == 404
    assert PollSlot.objects.filter(pk=chosen.pk).exists()
    assert not Invitation.objects.exists()


def test_professionals_and_anonymous_users_are_kept_out(
    client: Any, case: Case, professional: User
) -> None:
    url = reverse("preparation:logistics", args=[case.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(professional)
    assert client.get(url).status_code == 403


def test_the_manager_can_choose_a_date_too(client: Any, case: Case, manager: User) -> None:
    chosen = slot(case, SOON)
    client.force_login(manager)
    client.post(reverse("preparation:poll_choose", args=[case.pk, chosen.pk]))
    case.refresh_from_db()
    assert case.status == Status.PLANNED


# ---------- Giving up the planned date ----------


def test_giving_up_the_date_goes_back_to_preparation_and_cancels_its_invitations(
    client: Any, coordinator: Any
) -> None:
    from kring.preparation.models import Invitation, Participant

    case = a_case(at=Status.PLANNED, coordinator=coordinator)
    ana = Participant.objects.create(case=case, name="Ana de Vries", category="family")
    planned = Preparation.objects.get(case=case).conference_at
    invitation = Invitation.objects.create(
        participant=ana, channel="letter", sent_at=timezone.now(), conference_at=planned
    )
    client.force_login(coordinator)
    url = reverse("preparation:give_up_date", args=[case.pk])
    refused = client.post(url, {"reason": "  "}, follow=True)
    assert "waarom de datum niet doorgaat" in refused.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.PLANNED

    client.post(url, {"reason": "Moeder ligt in het ziekenhuis."})
    case.refresh_from_db()
    assert case.status == Status.PREPARATION
    assert Preparation.objects.get(case=case).conference_at is None
    invitation.refresh_from_db()
    assert invitation.cancelled_at is not None
    moved = AuditEvent.objects.filter(case=case, action=Action.CASE_MOVED).latest("id")
    assert (moved.detail["old"], moved.detail["new"]) == (Status.PLANNED, Status.PREPARATION)
    again = client.post(url, {"reason": "Nog eens."}, follow=True)
    assert "geen geplande conferentie" in again.content.decode()


def test_a_refused_reason_for_giving_up_is_shown_next_to_the_field_and_kept(
    client: Any, coordinator: Any
) -> None:
    case = a_case(at=Status.PLANNED, coordinator=coordinator)
    client.force_login(coordinator)
    typed = "Moeder is ziek. " * 20  # longer than the 300 characters a reason may be
    response = client.post(reverse("preparation:give_up_date", args=[case.pk]), {"reason": typed})
    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="id_reason_error"' in content
    assert typed.strip() in content
    assert Case.objects.get(pk=case.pk).status == Status.PLANNED
