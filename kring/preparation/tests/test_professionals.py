"""Professionals: invitation by the coordinator, the personal link, their own part, the kader."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp

from kring.accounts.models import Organisation, Role, User
from kring.accounts.testing import confirmed_totp_device, seen_on
from kring.audit.models import Action, AuditEvent
from kring.cases.choices import CompelledHelp
from kring.cases.models import Status
from kring.factories import OrganisationFactory, UserFactory, a_case, set_preparation, walk_to
from kring.lib.tokens import hash_token
from kring.preparation.models import (
    Category,
    Participant,
    ProfessionalInvolvement,
    SafetyCondition,
)
from kring.preparation.professionals.domain import (
    conditions_for_case,
    invite_professional,
    involved_organisation_ids,
)
from kring.preparation.professionals.links import issue_invitation_link

pytestmark = pytest.mark.django_db

SITUATION = "Vader drinkt en de buren bellen vaak de politie."
PASSWORD = "Zonnebloem-Akker-77"


@pytest.fixture
def case(coordinator):
    return a_case(
        at=Status.PREPARATION,
        situation=SITUATION,
        compelled_help=CompelledHelp.COMPULSORY,
        coordinator=coordinator,
    )


@pytest.fixture
def involvement(case, coordinator):
    return ProfessionalInvolvement.objects.create(
        case=case,
        name="Petra de Wit",
        email="petra@jeugdbescherming.example",
        organisation=OrganisationFactory(name="Jeugdbescherming Midden"),
        role="jeugdbeschermer",
        invited_at=timezone.now(),
        invited_by=coordinator,
    )


def join_url(involvement: ProfessionalInvolvement) -> str:
    """A fresh invitation link, as the invitation mail hands it out."""
    return reverse("preparation:professional_join", args=[issue_invitation_link(involvement)])


def _linked(involvement: ProfessionalInvolvement) -> User:
    user = UserFactory(
        role=Role.PROFESSIONAL, email=involvement.email, organisation=involvement.organisation
    )
    ProfessionalInvolvement.objects.filter(pk=involvement.pk).update(
        user=user, joined_at=timezone.now()
    )
    involvement.refresh_from_db()
    return user


def _invite(client, case, **fields):
    data = {
        "name": "Karim Aziz",
        "email": "Karim@WijkteamOost.example",
        "organisation": "Wijkteam Oost",
        "role": "wijkcoach",
        **fields,
    }
    return client.post(reverse("preparation:professionals", args=[case.pk]), data)


def _events(action: Action, **filters: object):
    return AuditEvent.objects.filter(action=action, **filters)


# ---------- Inviting ----------


def test_coordinator_invites_a_professional_who_gets_a_personal_link(
    client, coordinator, case, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, case)
    assert response.status_code == 302
    involvement = ProfessionalInvolvement.objects.get(case=case)
    assert involvement.email == "karim@wijkteamoost.example"
    assert involvement.organisation.name == "Wijkteam Oost"
    assert involvement.invited_by == coordinator and involvement.user is None
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["karim@wijkteamoost.example"]
    link = f"{settings.SITE_URL.rstrip('/')}/voorbereiding/professional/"
    token = mail.body.split(link)[1].split("/")[0]
    assert involvement.token_hash == hash_token(token)  # the mailed link is the stored one
    assert SITUATION not in mail.body
    assert _events(Action.PROFESSIONAL_INVITED, case=case, actor=coordinator).count() == 1


def test_an_existing_organisation_is_chosen_by_name_and_a_new_one_is_created(
    client, coordinator, case
):
    existing = OrganisationFactory(name="Veilig Thuis Utrecht")
    client.force_login(coordinator)
    _invite(client, case, email="a@vt.example", organisation="veilig thuis utrecht")
    _invite(client, case, email="b@school.example", organisation="  Het  Nieuwe Lyceum ")
    by_email = {i.email: i.organisation for i in case.professionals.all()}
    assert by_email["a@vt.example"] == existing
    assert by_email["b@school.example"].name == "Het Nieuwe Lyceum"
    assert Organisation.objects.filter(name__iexact="veilig thuis utrecht").count() == 1


def test_a_second_invitation_of_the_same_address_is_refused_with_a_clear_message(
    client, coordinator, case, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, case)
        response = _invite(client, case, email="karim@wijkteamoost.example", name="K. Aziz")
    assert response.status_code == 200
    assert "al uitgenodigd voor dit traject" in response.content.decode()
    assert 'value="K. Aziz"' in response.content.decode()  # the input is kept
    assert case.professionals.count() == 1
    assert len(mailoutbox) == 1


def test_the_domain_refuses_a_duplicate_even_without_the_form(case, coordinator):
    from kring.preparation.professionals.domain import AlreadyInvited

    fields = {"name": "A", "email": "a@x.example", "organisation": "X", "role": ""}
    invite_professional(case, **fields, by=coordinator)
    with pytest.raises(AlreadyInvited):
        invite_professional(case, **{**fields, "email": "A@X.example"}, by=coordinator)
    assert case.professionals.count() == 1
    assert Organisation.objects.filter(name="X").count() == 1


def test_the_address_of_a_coordinator_account_cannot_be_invited(client, coordinator, case):
    client.force_login(coordinator)
    response = _invite(client, case, email=coordinator.email)
    assert response.status_code == 200
    assert "geen professional-account" in response.content.decode()
    assert not case.professionals.exists()


def test_missing_fields_are_explained_next_to_the_field(client, coordinator, case):
    client.force_login(coordinator)
    response = _invite(client, case, name="", organisation=" ", email="geen-adres")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("kring-field--invalid") == 3
    assert not case.professionals.exists()


def test_the_link_can_be_sent_again(
    client, coordinator, case, involvement, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    url = reverse("preparation:professional_resend", args=[case.pk, involvement.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert len(mailoutbox) == 1
    token = mailoutbox[0].body.split("/voorbereiding/professional/")[1].split("/")[0]
    assert ProfessionalInvolvement.objects.get(pk=involvement.pk).token_hash == hash_token(token)
    assert _events(Action.PROFESSIONAL_INVITED, case=case, detail__resent=True).count() == 1


# ---------- The coordinator's page ----------


def test_the_coordinator_sees_each_part_and_the_kader(client, coordinator, case, involvement):
    involvement.information = "Sara gaat sinds maart niet meer naar school."
    involvement.concerns = "Er is geen vast bedtijdritme."
    involvement.help_offer = "Twee keer per week een gezinscoach."
    involvement.save()
    SafetyCondition.objects.create(involvement=involvement, text="Sara slaapt thuis of bij oma.")
    client.force_login(coordinator)
    response = client.get(reverse("preparation:professionals", args=[case.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    for text in [
        "Petra de Wit",
        "Jeugdbescherming Midden",
        "jeugdbeschermer",
        "Nog niet aangemeld",
        involvement.information,
        involvement.concerns,
        involvement.help_offer,
        "Sara slaapt thuis of bij oma.",
    ]:
        assert text in body
    assert _events(Action.CASE_VIEWED, case=case, actor=coordinator).exists()


def test_the_professionals_page_does_not_grow_in_queries_with_more_professionals(
    client, coordinator, case
):
    client.force_login(coordinator)
    url = reverse("preparation:professionals", args=[case.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    invite_professional(
        case, name="A", email="a@x.example", organisation="X", role="", by=coordinator
    )
    one = count()
    for n in range(2):
        invite_professional(
            case,
            name=f"B{n}",
            email=f"b{n}@y.example",
            organisation=f"Y{n}",
            role="",
            by=coordinator,
        )
    assert count() == one


def test_another_coordinator_cannot_open_the_professionals_page(client, case):
    other = UserFactory(role=Role.COORDINATOR)
    client.force_login(other)
    assert client.get(reverse("preparation:professionals", args=[case.pk])).status_code == 404


def test_the_manager_of_the_region_may_open_it(client, manager, case):
    client.force_login(manager)
    assert client.get(reverse("preparation:professionals", args=[case.pk])).status_code == 200


# ---------- The personal link ----------


def test_joining_creates_the_account_links_it_and_logs_in(client, involvement):
    url = join_url(involvement)
    response = client.get(url)
    assert response.status_code == 200
    assert "Maak uw account aan" in response.content.decode()
    response = client.post(
        url,
        {
            "first_name": "Petra",
            "last_name": "de Wit",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response["Location"] == reverse("preparation:professional_part", args=[involvement.pk])
    involvement.refresh_from_db()
    user = involvement.user
    assert user is not None and involvement.joined_at is not None
    assert user.role == Role.PROFESSIONAL
    assert user.email == involvement.email
    assert user.organisation == involvement.organisation
    assert user.check_password(PASSWORD)
    # Logged in, and first sent to set up the second factor, then back to their part.
    enrol = reverse("accounts:second_factor_enrol")
    assert client.get(response["Location"])["Location"].startswith(enrol)
    assert _events(Action.PROFESSIONAL_JOINED, case=involvement.case, actor=user).count() == 1


def test_a_weak_or_mistyped_password_is_explained_in_dutch(client, involvement):
    url = join_url(involvement)
    response = client.post(
        url, {"first_name": "Petra", "last_name": "de Wit", "password1": "123", "password2": "123"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "te kort" in body and "te vaak gebruikt" in body
    assert 'value="Petra"' in body
    response = client.post(
        url,
        {"first_name": "P", "last_name": "W", "password1": PASSWORD, "password2": PASSWORD + "x"},
    )
    assert "niet gelijk" in response.content.decode()
    assert not User.objects.filter(email=involvement.email).exists()
    involvement.refresh_from_db()
    assert involvement.user is None


def test_a_second_submit_of_the_join_form_creates_no_second_account(client, involvement):
    url = join_url(involvement)
    data = {"first_name": "P", "last_name": "W", "password1": PASSWORD, "password2": PASSWORD}
    client.post(url, data)
    client.logout()
    response = client.post(url, data)
    assert response.status_code == 302
    assert User.objects.filter(email=involvement.email).count() == 1
    assert _events(Action.PROFESSIONAL_JOINED).count() == 1


def test_an_existing_professional_logs_in_and_is_linked(client, involvement):
    user = UserFactory(role=Role.PROFESSIONAL, email=involvement.email)
    url = join_url(involvement)
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("accounts:login") in body and "Maak uw account aan" not in body
    client.force_login(user)
    response = client.get(url)
    assert 'data-testid="link-invitation"' in response.content.decode()
    involvement.refresh_from_db()
    assert involvement.user is None  # opening the link writes nothing; its button links it
    response = client.post(url)
    assert response["Location"] == reverse("preparation:professional_part", args=[involvement.pk])
    involvement.refresh_from_db()
    assert involvement.user == user
    assert _events(Action.PROFESSIONAL_JOINED, actor=user, detail__new_account=False).exists()


def test_the_login_form_sends_the_professional_back_to_the_link(client, involvement):
    user = UserFactory(role=Role.PROFESSIONAL, email=involvement.email, password=PASSWORD)
    device = confirmed_totp_device(user)
    url = join_url(involvement)
    response = client.post(
        reverse("accounts:login") + f"?next={url}",
        {"username": involvement.email, "password": PASSWORD},
        follow=True,
    )
    # The second step comes first and keeps the link to return to.
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:second_factor"))
    code = f"{totp(device.bin_key):06d}"
    response = client.post(
        reverse("accounts:second_factor"), {"code": code, "next": url}, follow=True
    )
    assert response.redirect_chain[-1][0] == url
    response = client.post(url)
    assert response["Location"] == reverse("preparation:professional_part", args=[involvement.pk])
    involvement.refresh_from_db()
    assert involvement.user is not None


def test_an_unknown_token_is_not_found(client, professional):
    url = reverse("preparation:professional_join", args=["geen-bestaande-link"])
    assert client.get(url).status_code == 404
    client.force_login(professional)
    assert client.get(url).status_code == 404


def test_a_used_token_is_not_found_for_anyone_else(client, involvement, professional):
    _linked(involvement)
    client.force_login(professional)
    url = join_url(involvement)
    response = client.get(url)
    assert response.status_code == 404
    assert "Petra" not in response.content.decode()


def test_an_unused_token_opened_by_another_account_reveals_nothing(
    client, involvement, coordinator
):
    client.force_login(coordinator)
    response = client.get(join_url(involvement))
    body = response.content.decode()
    assert response.status_code == 403
    assert involvement.organisation.name not in body and SITUATION not in body
    involvement.refresh_from_db()
    assert involvement.user is None


def test_the_link_of_a_finished_case_no_longer_works(client, involvement):
    walk_to(involvement.case, Status.CLOSED)
    url = join_url(involvement)
    assert client.get(url).status_code == 404


# ---------- The professional's part ----------


def test_the_part_shows_the_question_and_nothing_of_the_circle(client, case, involvement):
    user = _linked(involvement)
    set_preparation(case, question="Wat is er nodig zodat Sara veilig thuis kan wonen?")
    Participant.objects.create(case=case, name="Oma Truus Bakker", category=Category.FAMILY)
    other = ProfessionalInvolvement.objects.create(
        case=case,
        name="Henk Mulder",
        email="henk@ggz.example",
        organisation=OrganisationFactory(name="GGZ Centraal"),
        information="Vader is in behandeling.",
        invited_at=timezone.now(),
        invited_by=case.coordinator,
    )
    SafetyCondition.objects.create(involvement=other, text="Geen alcohol in huis.")
    main_person = case.request.main_persons.get().name
    client.force_login(user)
    response = client.get(reverse("preparation:professional_part", args=[involvement.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Wat is er nodig zodat Sara veilig thuis kan wonen?" in body
    assert "nog niet bekend" in body  # no date or place yet
    for secret in [
        SITUATION,
        "Oma Truus Bakker",
        main_person,
        case.request.requester_name,
        "Henk Mulder",
        "Vader is in behandeling.",
        "Geen alcohol in huis.",
        "GGZ Centraal",
    ]:
        assert secret not in body


def test_the_part_falls_back_to_the_requests_question_and_shows_date_and_place(
    client, case, involvement
):
    user = _linked(involvement)
    set_preparation(
        case,
        conference_at=timezone.make_aware(timezone.datetime(2031, 3, 14, 19, 30)),
        venue="Buurthuis De Linde, Utrecht",
    )
    client.force_login(user)
    body = client.get(reverse("preparation:professional_part", args=[involvement.pk])).content
    assert case.request.question in body.decode()
    assert "Buurthuis De Linde, Utrecht" in body.decode()
    assert "14 maart 2031, 19:30" in body.decode()


def test_the_professional_saves_their_part_and_reads_and_writes_are_logged(
    client, case, involvement
):
    user = _linked(involvement)
    client.force_login(user)
    url = reverse("preparation:professional_part", args=[involvement.pk])
    client.get(url)
    assert _events(Action.CASE_VIEWED, case=case, actor=user).count() == 1
    data = {"information": "Sara is 9.", "concerns": "Veel ruzie.", "help_offer": "Gezinscoach."}
    assert client.post(url, data).status_code == 302
    involvement.refresh_from_db()
    assert (involvement.information, involvement.concerns, involvement.help_offer) == (
        "Sara is 9.",
        "Veel ruzie.",
        "Gezinscoach.",
    )
    assert _events(Action.PROFESSIONAL_PART_SAVED, case=case, actor=user).count() == 1


def test_a_save_from_a_second_window_does_not_overwrite_the_first(client, case, involvement):
    user = _linked(involvement)
    client.force_login(user)
    url = reverse("preparation:professional_part", args=[involvement.pk])
    phone = seen_on(client.get(url).content)
    laptop = seen_on(client.get(url).content)
    first = {"information": "Van de laptop.", "concerns": "", "help_offer": "", "seen": laptop}
    assert client.post(url, first).status_code == 302
    # The phone's form still shows the old text: its save is refused, nothing is lost.
    second = {"information": "Van de telefoon.", "concerns": "Zorg.", "help_offer": ""}
    refused = client.post(url, {**second, "seen": phone})
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "intussen ergens anders opgeslagen" in page
    assert 'data-testid="saved-elsewhere"' in page and "Van de laptop." in page
    assert "Van de telefoon." in page and "Zorg." in page  # what was typed, kept
    involvement.refresh_from_db()
    assert involvement.information == "Van de laptop."
    # Saving again after reading it: the professional's choice is kept.
    again = client.post(url, {**second, "seen": seen_on(refused.content)})
    assert again.status_code == 302
    involvement.refresh_from_db()
    assert (involvement.information, involvement.concerns) == ("Van de telefoon.", "Zorg.")
    # A double submit of the same text is no conflict; a tampered digest is refused safely.
    assert client.post(url, {**second, "seen": phone}).status_code == 302
    tampered = client.post(url, {**second, "information": "Anders.", "seen": "x\x00"})
    assert tampered.status_code in (400, 409)
    involvement.refresh_from_db()
    assert involvement.information == "Van de telefoon."


def test_conditions_are_added_one_per_line_and_removed(client, case, involvement):
    user = _linked(involvement)
    client.force_login(user)
    add = reverse("preparation:professional_condition_add", args=[involvement.pk])
    text = "De kinderen zijn nooit alleen met vader.\n\n  Sara gaat elke dag naar school. \n"
    assert client.post(add, {"conditions": text}).status_code == 302
    client.post(add, {"conditions": "De kinderen zijn nooit alleen met vader."})  # once only
    texts = list(involvement.conditions.values_list("text", flat=True))
    assert texts == ["De kinderen zijn nooit alleen met vader.", "Sara gaat elke dag naar school."]
    assert [c.text for c in conditions_for_case(case)] == texts
    body = client.get(reverse("preparation:professional_part", args=[involvement.pk])).content
    assert "Sara gaat elke dag naar school." in body.decode()
    assert "vanaf het begin" in body.decode()

    first = involvement.conditions.first()
    remove = reverse("preparation:professional_condition_remove", args=[involvement.pk, first.pk])
    assert client.post(remove).status_code == 302
    assert involvement.conditions.count() == 1
    assert _events(Action.PROFESSIONAL_PART_SAVED, case=case, actor=user).count() == 2


def test_a_too_long_condition_is_refused_and_nothing_is_saved(client, case, involvement):
    client.force_login(_linked(involvement))
    add = reverse("preparation:professional_condition_add", args=[involvement.pk])
    response = client.post(add, {"conditions": "Kort.\n" + "x" * 501})
    assert response.status_code == 200
    assert "Regel 2 is langer dan 500 tekens" in response.content.decode()
    assert not involvement.conditions.exists()


def test_conditions_only_when_help_is_pressured_or_compulsory(client, coordinator):
    free = a_case(
        at=Status.PREPARATION,
        situation=SITUATION,
        compelled_help=CompelledHelp.NONE,
        coordinator=coordinator,
    )
    involvement = invite_professional(
        free, name="A", email="a@x.example", organisation="X", role="", by=coordinator
    )
    client.force_login(_linked(involvement))
    body = client.get(reverse("preparation:professional_part", args=[involvement.pk])).content
    assert "Veiligheidsvoorwaarden" not in body.decode()
    add = reverse("preparation:professional_condition_add", args=[involvement.pk])
    client.post(add, {"conditions": "Iets."})
    assert not SafetyCondition.objects.exists()

    pressured = a_case(
        at=Status.PREPARATION,
        situation=SITUATION,
        compelled_help=CompelledHelp.PRESSURED,
        coordinator=coordinator,
    )
    involvement = invite_professional(
        pressured, name="A", email="a@x.example", organisation="X", role="", by=coordinator
    )
    ProfessionalInvolvement.objects.filter(pk=involvement.pk).update(
        user=User.objects.get(email="a@x.example")
    )
    body = client.get(reverse("preparation:professional_part", args=[involvement.pk])).content
    assert "Veiligheidsvoorwaarden" in body.decode()


def test_after_the_conference_the_part_is_read_only(client, case, involvement):
    user = _linked(involvement)
    walk_to(case, Status.HELD)
    client.force_login(user)
    url = reverse("preparation:professional_part", args=[involvement.pk])
    assert "<textarea" not in client.get(url).content.decode()
    client.post(url, {"information": "Te laat."})
    client.post(
        reverse("preparation:professional_condition_add", args=[involvement.pk]),
        {"conditions": "Te laat."},
    )
    involvement.refresh_from_db()
    assert involvement.information == "" and not involvement.conditions.exists()


def test_a_professional_cannot_open_the_coordinators_page(client, case, involvement):
    user = _linked(involvement)
    client.force_login(user)
    assert client.get(reverse("preparation:professionals", args=[case.pk])).status_code == 404
    assert _events(Action.CASE_ACCESS_DENIED, actor=user).exists()


def test_a_professional_cannot_open_another_involvement(client, case, involvement, coordinator):
    _linked(involvement)
    other = invite_professional(
        case, name="B", email="b@y.example", organisation="Y", role="", by=coordinator
    )
    other_user = _linked(other)
    client.force_login(other_user)
    for url in [
        reverse("preparation:professional_part", args=[involvement.pk]),
        reverse("preparation:professional_condition_add", args=[involvement.pk]),
    ]:
        assert client.post(url, {"conditions": "x", "information": "x"}).status_code == 404
    assert (
        client.get(reverse("preparation:professional_part", args=[involvement.pk])).status_code
        == 404
    )
    involvement.refresh_from_db()
    assert involvement.information == "" and not involvement.conditions.exists()


def test_the_coordinator_cannot_open_the_professionals_part(client, coordinator, involvement):
    _linked(involvement)
    client.force_login(coordinator)
    url = reverse("preparation:professional_part", args=[involvement.pk])
    assert client.get(url).status_code == 404


def test_my_involvements_lists_linked_cases_and_waiting_invitations(
    client, case, involvement, coordinator
):
    user = _linked(involvement)
    waiting = invite_professional(
        a_case(at=Status.PREPARATION, situation=SITUATION, coordinator=coordinator),
        name="P",
        email=user.email.upper(),
        organisation="Z",
        role="",
        by=coordinator,
    )
    client.force_login(user)
    body = client.get(reverse("preparation:my_involvements")).content.decode()
    assert reverse("preparation:professional_part", args=[involvement.pk]) in body
    assert case.request.question[:40] in body
    assert reverse("preparation:professional_accept", args=[waiting.pk]) in body


def test_involved_organisation_ids_are_the_invited_professionals_organisations(
    case, involvement, coordinator
):
    invite_professional(
        case, name="B", email="b@y.example", organisation="Y", role="", by=coordinator
    )
    assert involved_organisation_ids(case) == {
        involvement.organisation_id,
        Organisation.objects.get(name="Y").pk,
    }
    assert involved_organisation_ids(a_case(at=Status.NEW)) == set()
