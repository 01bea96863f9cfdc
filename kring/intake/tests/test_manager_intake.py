"""A manager (or the office) enters a request taken by phone, mail or in person; corrects a
request's variant, funder and compulsory framework; records informative talks."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import Organisation, Region, Role, User
from kring.accounts.testing import once_on, seen_on
from kring.audit.models import Action, AuditEvent, Outcome
from kring.cases.models import Case, Status
from kring.factories import OrganisationFactory, UserFactory, make_case
from kring.intake.models import Channel, InformativeTalk, Request, TalkOutcome

pytestmark = pytest.mark.django_db
ENTER = reverse("intake:request_enter")
TALKS = reverse("intake:talk_list")
NEW_TALK = reverse("intake:talk_create")


def _taken(region: Region | None = None, **overrides: Any) -> dict[str, Any]:
    data = {
        "source": "phone",
        "region": region.pk if region else "",
        "requester_kind": "family",
        "requester_name": "Kees Bakker",
        "requester_email": "kees@voorbeeld.nl",
        "requester_phone": "030-1234567",
        "persons-TOTAL_FORMS": "1",
        "persons-INITIAL_FORMS": "0",
        "persons-MIN_NUM_FORMS": "1",
        "persons-MAX_NUM_FORMS": "3",
        "persons-0-name": "Anouk Bakker",
        "persons-0-birth_year": "2010",
        "persons-0-postcode": "3511 AB",  # Utrecht
        "situation": "Opa belt: zijn kleindochter gaat al weken niet naar school.",
        "question": "Wat is er nodig zodat Anouk weer naar school gaat?",
        "variant": "learning",
        "compelled_help": "none",
        "consent": "on",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


@pytest.fixture
def manager_client(client: Client, manager: User) -> Client:
    client.force_login(manager)
    return client


# ---------- entering a taken request ----------


def test_a_phone_request_goes_the_public_way_with_its_source_recorded(
    manager_client: Client, manager: User, utrecht: Region, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(ENTER, _taken(utrecht))
    request = Request.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[request.case.pk])
    assert (request.channel, request.entered_by, request.region) == ("phone", manager, utrecht)
    assert request.case.status == Status.NEW and request.case.variant == "learning"
    event = AuditEvent.objects.get(action=Action.REQUEST_SUBMITTED)
    assert (event.actor, event.case, event.detail["channel"]) == (manager, request.case, "phone")
    # The same confirmation as the public form: to the requester, and the region's managers.
    assert ["kees@voorbeeld.nl"] in [message.to for message in mail.outbox]


def test_a_second_click_stores_the_request_once(manager_client: Client, utrecht: Region) -> None:
    data = _taken(utrecht)
    manager_client.post(ENTER, data)
    again = manager_client.post(ENTER, data)
    assert Request.objects.count() == 1
    assert again["Location"] == reverse("cases:detail", args=[Request.objects.get().case.pk])


def test_the_postcode_decides_the_region_as_for_every_request(
    client: Client, utrecht: Region, groningen: Region
) -> None:
    client.force_login(UserFactory(role=Role.MANAGER, regions=[utrecht, groningen]))
    client.post(ENTER, _taken(groningen))  # chosen Groningen, but the postcode is Utrecht's
    assert Request.objects.get().region == utrecht


def test_without_a_postcode_the_chosen_region(manager_client: Client, utrecht: Region) -> None:
    manager_client.post(ENTER, _taken(utrecht, **{"persons-0-postcode": ""}))
    assert Request.objects.get().case.region == utrecht


def test_a_postcode_of_another_region_is_explained_next_to_the_region(
    manager_client: Client, utrecht: Region
) -> None:
    response = manager_client.post(ENTER, _taken(utrecht, **{"persons-0-postcode": "9711 AA"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "De postcode hoort bij regio Groningen, die u niet beheert." in html
    assert 'id="id_region_error"' in html
    assert "Kees Bakker" in html  # what was typed is kept
    assert not Request.objects.exists()


def test_a_manager_cannot_enter_for_a_region_they_do_not_manage(
    manager_client: Client, groningen: Region
) -> None:
    response = manager_client.post(ENTER, _taken(groningen, **{"persons-0-postcode": ""}))
    assert response.status_code == 200
    assert "id_region_error" in response.content.decode()
    assert not Request.objects.exists()


def test_the_office_without_postcode_or_region_fills_the_national_queue(
    client: Client, office: User
) -> None:
    client.force_login(office)
    client.post(ENTER, _taken(None, source="email", **{"persons-0-postcode": ""}))
    request = Request.objects.get()
    assert (request.channel, request.region, request.case.region) == ("email", None, None)


def test_without_the_requesters_consent_nothing_is_stored(
    manager_client: Client, utrecht: Region
) -> None:
    data = _taken(utrecht)
    del data["consent"]
    response = manager_client.post(ENTER, data)
    assert "Vraag eerst toestemming aan de aanvrager" in response.content.decode()
    assert not Request.objects.exists()


# ---------- correcting a request ----------


def _change(case: Case, **overrides: Any) -> dict[str, Any]:
    request = case.request
    data = {
        "variant": request.variant,
        "funder": request.funder_id or "",
        "funder_name": request.funder_name,
        "compelled_help": request.compelled_help,
        "compelled_help_kind": request.compelled_help_kind,
    }
    if request.safety_at_stake:
        data["safety_at_stake"] = "on"
    data.update(overrides)
    return data


def test_a_correction_is_logged_old_to_new_and_leaves_the_course_alone(
    manager_client: Client, manager: User, utrecht: Region
) -> None:
    case = make_case(status=Status.MATCHING, postcode="3511 AB")
    funder = OrganisationFactory(name="Gemeente Utrecht", kind=Organisation.Kind.MUNICIPALITY)
    url = reverse("intake:request_change", args=[case.pk])
    assert manager_client.get(url).status_code == 200
    response = manager_client.post(
        url,
        _change(
            case,
            variant="restorative",
            funder=funder.pk,
            safety_at_stake="on",
            compelled_help="pressured",
            compelled_help_kind="supervision_order",
        ),
    )
    assert response.status_code == 302
    case.refresh_from_db()
    request = case.request
    assert (case.variant, request.variant, request.funder) == ("restorative", "restorative", funder)
    assert (request.compelled_help, request.compelled_help_kind) == (
        "pressured",
        "supervision_order",
    )
    assert case.status == Status.MATCHING
    event = AuditEvent.objects.get(action=Action.REQUEST_CHANGED)
    assert (event.actor, event.case, event.outcome) == (manager, case, Outcome.OK)
    assert event.detail["changes"] == {
        "variant": ["family", "restorative"],
        "funder": ["", "Gemeente Utrecht"],
        "safety_at_stake": ["False", "True"],
        "compelled_help": ["none", "pressured"],
        "compelled_help_kind": ["", "supervision_order"],
    }


def test_nothing_changed_writes_no_change_row(manager_client: Client, utrecht: Region) -> None:
    case = make_case(postcode="3511 AB")
    manager_client.post(reverse("intake:request_change", args=[case.pk]), _change(case))
    assert not AuditEvent.objects.filter(action=Action.REQUEST_CHANGED).exists()


def test_compulsory_help_needs_its_kind(manager_client: Client, utrecht: Region) -> None:
    case = make_case(postcode="3511 AB")
    url = reverse("intake:request_change", args=[case.pk])
    response = manager_client.post(url, _change(case, compelled_help="compulsory"))
    assert response.status_code == 400
    assert "Kies welke maatregel er speelt." in response.content.decode()
    assert "Controleer de gemarkeerde velden." in response.content.decode()
    assert Request.objects.get().compelled_help == "none"


def test_a_closed_case_keeps_its_request(manager_client: Client, utrecht: Region) -> None:
    case = make_case(status=Status.WITHDRAWN, postcode="3511 AB")
    url = reverse("intake:request_change", args=[case.pk])
    assert "Dit traject is afgelopen" in manager_client.get(url).content.decode()
    response = manager_client.post(url, _change(case, variant="group"))
    assert response.status_code == 400
    assert "Dit traject is afgelopen; de aanvraag verandert niet meer." in response.content.decode()
    assert Request.objects.get().variant == "family"
    refused = AuditEvent.objects.get(action=Action.REQUEST_CHANGED)
    assert refused.outcome == Outcome.REFUSED


def test_the_variant_stays_once_a_coordinator_is_assigned_but_the_funder_may_change(
    manager_client: Client, utrecht: Region
) -> None:
    case = make_case(status=Status.ASSIGNED, postcode="3511 AB")
    url = reverse("intake:request_change", args=[case.pk])
    refused = manager_client.post(url, _change(case, variant="group"))
    assert "Er is al een coördinator gekoppeld" in refused.content.decode()
    assert Case.objects.get().variant == "family"
    manager_client.post(url, _change(case, funder_name="Gemeente Zeist"))
    assert Request.objects.get().funder_name == "Gemeente Zeist"


def test_a_stale_form_does_not_put_back_what_another_manager_corrected(
    manager_client: Client, utrecht: Region
) -> None:
    case = make_case(status=Status.MATCHING, postcode="3511 AB")
    url = reverse("intake:request_change", args=[case.pk])
    first_window = seen_on(manager_client.get(url).content)
    second_window = seen_on(manager_client.get(url).content)
    corrected = _change(case, variant="restorative", seen=second_window)
    assert manager_client.post(url, corrected).status_code == 302
    # The first window still shows "family": saving its funder would put the variant back.
    stale = _change(case, funder_name="Gemeente Zeist", seen=first_window)
    refused = manager_client.post(url, stale)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Iemand heeft deze gegevens intussen ook opgeslagen" in page
    # Nothing is wrong with a field: the summary does not ask to check marked ones.
    assert "Dit is niet opgeslagen." in page and "gemarkeerde velden" not in page
    assert 'data-testid="saved-elsewhere"' in page and "<dd>Herstel</dd>" in page
    assert 'value="Gemeente Zeist"' in page  # what was typed, kept
    request = Request.objects.get()
    assert (request.variant, request.funder_name) == ("restorative", "")
    assert AuditEvent.objects.filter(
        action=Action.REQUEST_CHANGED, outcome=Outcome.REFUSED
    ).exists()
    # Saving again, having read it, goes through as typed.
    assert manager_client.post(url, {**stale, "seen": seen_on(refused.content)}).status_code == 302
    request.refresh_from_db()
    assert (request.variant, request.funder_name) == ("family", "Gemeente Zeist")


def test_a_stale_form_that_says_what_is_stored_now_is_no_conflict(
    manager_client: Client, utrecht: Region
) -> None:
    case = make_case(status=Status.MATCHING, postcode="3511 AB")
    url = reverse("intake:request_change", args=[case.pk])
    seen = seen_on(manager_client.get(url).content)
    both = _change(case, funder_name="Gemeente Zeist", seen=seen)
    assert manager_client.post(url, both).status_code == 302
    assert manager_client.post(url, both).status_code == 302  # a double submit
    assert Request.objects.get().funder_name == "Gemeente Zeist"


# ---------- informative talks ----------


def _talk(region: Region, **overrides: Any) -> dict[str, Any]:
    data = {
        "region": region.pk,
        "held_on": timezone.localdate().isoformat(),
        "with_whom": "Mevrouw Jansen, moeder",
        "contact": "06-11223344",
        "outcome": TalkOutcome.REQUEST,
        "note": "Wil met haar zus overleggen.",
    }
    data.update(overrides)
    return data


def test_a_talk_that_leads_to_a_request_goes_on_to_the_request_form(
    manager_client: Client, manager: User, utrecht: Region
) -> None:
    response = manager_client.post(NEW_TALK, _talk(utrecht))
    talk = InformativeTalk.objects.get()
    assert response["Location"] == f"{ENTER}?gesprek={talk.pk}"
    assert talk.recorded_by == manager
    form = manager_client.get(response["Location"]).content.decode()
    assert 'value="Mevrouw Jansen, moeder"' in form and 'value="06-11223344"' in form
    manager_client.post(response["Location"], _taken(utrecht))
    talk.refresh_from_db()
    assert talk.request == Request.objects.get()
    event = AuditEvent.objects.get(action=Action.INFORMATIVE_TALK_RECORDED)
    assert "Jansen" not in str(event.detail)  # the log points at the row, not the name


def test_a_talk_without_request_is_listed(manager_client: Client, utrecht: Region) -> None:
    manager_client.post(NEW_TALK, _talk(utrecht, outcome=TalkOutcome.NO_REQUEST))
    page = manager_client.get(TALKS).content.decode()
    assert "Mevrouw Jansen, moeder" in page and "Geen aanvraag" in page
    assert AuditEvent.objects.filter(action=Action.INBOX_VIEWED).exists()


@pytest.mark.parametrize(
    ("held_on", "error"),
    [
        (timedelta(days=1), "Leg een gesprek vast dat al is geweest."),
        (timedelta(days=-365 * 40), "Vul een datum in na 1 januari 2000."),
    ],
)
def test_a_talk_date_must_be_one_that_was(
    manager_client: Client, utrecht: Region, held_on: timedelta, error: str
) -> None:
    day = (timezone.localdate() + held_on).isoformat()
    response = manager_client.post(NEW_TALK, _talk(utrecht, held_on=day))
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not InformativeTalk.objects.exists()


def test_a_talk_about_a_requests_case_shows_on_its_page(
    manager_client: Client, utrecht: Region
) -> None:
    case = make_case(postcode="3511 AB", informative_only=True)
    url = f"{NEW_TALK}?traject={case.pk}"
    response = manager_client.post(url, _talk(utrecht, outcome=TalkOutcome.THINKING))
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert InformativeTalk.objects.get().request == case.request
    assert AuditEvent.objects.get(action=Action.INFORMATIVE_TALK_RECORDED).case == case
    page = manager_client.get(response["Location"]).content.decode()
    assert 'data-testid="case-talk"' in page and "denkt er nog over na" in page


def test_a_double_submit_of_a_talk_records_it_once(manager_client: Client, utrecht: Region) -> None:
    data = _talk(utrecht, once=once_on(manager_client.get(NEW_TALK).content))
    first = manager_client.post(NEW_TALK, data)
    again = manager_client.post(NEW_TALK, data)
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"]
    assert InformativeTalk.objects.count() == 1
    assert AuditEvent.objects.filter(action=Action.INFORMATIVE_TALK_RECORDED).count() == 1


def test_talks_of_other_regions_stay_out_of_sight(
    manager_client: Client, other_manager: User, groningen: Region, utrecht: Region
) -> None:
    InformativeTalk.objects.create(
        region=groningen,
        held_on=timezone.localdate(),
        with_whom="Iemand in Groningen",
        outcome=TalkOutcome.THINKING,
        recorded_by=other_manager,
    )
    other = InformativeTalk.objects.get()
    assert "Iemand in Groningen" not in manager_client.get(TALKS).content.decode()
    assert manager_client.get(f"{ENTER}?gesprek={other.pk}").status_code == 404
    assert manager_client.post(NEW_TALK, _talk(groningen)).status_code == 400
    assert InformativeTalk.objects.count() == 1


def _list_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(TALKS).status_code == 200
    return len(queries)


def test_the_talk_list_costs_the_same_queries_for_one_or_three(
    manager_client: Client, manager: User, utrecht: Region
) -> None:
    def add() -> None:
        case = make_case(postcode="3511 AB")
        InformativeTalk.objects.create(
            region=utrecht,
            held_on=timezone.localdate(),
            with_whom="Iemand",
            outcome=TalkOutcome.REQUEST,
            request=case.request,
            recorded_by=manager,
        )

    add()
    one = _list_queries(manager_client)
    add()
    add()
    assert _list_queries(manager_client) == one


# ---------- who may ----------


def test_the_inbox_and_the_case_page_link_to_the_manager_intake(
    manager_client: Client, utrecht: Region
) -> None:
    inbox = manager_client.get(reverse("cases:inbox")).content.decode()
    assert ENTER in inbox and TALKS in inbox
    case = make_case(postcode="3511 AB")
    page = manager_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("intake:request_change", args=[case.pk]) in page
    assert "Telefonisch" not in page and str(Channel.PUBLIC.label) in page


def test_a_manager_gets_404_for_a_case_outside_their_regions(
    manager_client: Client, groningen: Region
) -> None:
    case = make_case(postcode="9711 AA", region=groningen)
    url = reverse("intake:request_change", args=[case.pk])
    assert manager_client.get(url).status_code == 404
    assert manager_client.post(url, _change(case, variant="group")).status_code == 404
    assert manager_client.get(f"{NEW_TALK}?traject={case.pk}").status_code == 404
    assert Request.objects.get().variant == "family"


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PROFESSIONAL, Role.RESEARCHER])
def test_other_roles_are_refused(client: Client, role: str, utrecht: Region) -> None:
    case = make_case(postcode="3511 AB")
    client.force_login(UserFactory(role=role))
    for url in (ENTER, TALKS, NEW_TALK, reverse("intake:request_change", args=[case.pk])):
        assert client.get(url).status_code == 403, url
    assert client.post(ENTER, _taken(utrecht)).status_code == 403
    assert Request.objects.count() == 1


def test_anonymous_is_sent_to_log_in(client: Client, db: None) -> None:
    response = client.get(ENTER)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


# ---------- bad input ----------

HOSTILE = ["\x00", "9" * 30, "-1", "9999-12-31", "‮gniht", "😀" * 300, ""]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_get_a_form_error_never_a_500(
    manager_client: Client, utrecht: Region, value: str
) -> None:
    case = make_case(postcode="3511 AB")
    pages = [
        (ENTER, _taken(utrecht)),
        (reverse("intake:request_change", args=[case.pk]), _change(case)),
        (NEW_TALK, _talk(utrecht, outcome=TalkOutcome.NO_REQUEST)),
        (f"{ENTER}?gesprek={value}", _taken(utrecht)),
        (f"{NEW_TALK}?traject={value}", _talk(utrecht)),
    ]
    for url, data in pages:
        for name in data:
            if name.startswith("persons-") and name.endswith("_FORMS"):
                continue
            response = manager_client.post(url, {**data, name: value})
            assert response.status_code in {200, 302, 400, 404}, (url, name)
        assert manager_client.post(url, {}).status_code in {200, 400, 404}, url
