import uuid

import pytest
from django.core import mail
from django.urls import reverse

from kring.audit.models import Action, AuditEvent
from kring.cases.models import Case, Status
from kring.coordinators.models import Language
from kring.intake.models import MainPerson, Request

pytestmark = pytest.mark.django_db
URL = reverse("intake:public_request")


def valid_data(**overrides):
    data = {
        "requester_kind": "family",
        "requester_name": "Fatima el Amrani",
        "requester_email": "fatima@voorbeeld.nl",
        "requester_phone": "",
        "persons-TOTAL_FORMS": "2",
        "persons-INITIAL_FORMS": "0",
        "persons-MIN_NUM_FORMS": "1",
        "persons-MAX_NUM_FORMS": "3",
        "persons-0-name": "Samira el Amrani",
        "persons-0-birth_year": "1988",
        "persons-0-postcode": "3511 AB",
        "situation": "Mijn zus kan de zorg voor haar kinderen niet meer aan.",
        "life_domains": ["parenting", "finances"],
        "question": "Wat is er nodig zodat de kinderen thuis kunnen blijven wonen?",
        "variant": "family",
        "compelled_help": "none",
        "consent": "on",
        "submission_token": str(uuid.uuid4()),
        "website": "",
    }
    data.update(overrides)
    return data


def test_a_valid_request_lands_with_its_case_in_the_right_region(client, manager):
    response = client.post(URL, valid_data())
    assert response.status_code == 302
    request = Request.objects.get()
    assert request.region.slug == "utrecht"
    assert request.life_domains == ["parenting", "finances"]
    assert MainPerson.objects.get().name == "Samira el Amrani"
    assert Case.objects.get(request=request).status == Status.NEW
    assert AuditEvent.objects.filter(action=Action.REQUEST_SUBMITTED, case=request.case).exists()


def test_the_requester_sees_the_reference_and_what_happens_next(client, manager):
    response = client.post(URL, valid_data(), follow=True)
    content = response.content.decode()
    reference = Request.objects.get().reference
    assert reference in content
    assert "Binnen een paar dagen neemt de coördinator contact met u op" in content


def test_confirmation_mail_to_requester_and_notice_to_the_regions_manager(
    client, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(URL, valid_data()).status_code == 302
    recipients = {tuple(message.to) for message in mail.outbox}
    assert recipients == {("fatima@voorbeeld.nl",), (manager.email,)}
    confirmation = next(m for m in mail.outbox if m.to == ["fatima@voorbeeld.nl"])
    assert Request.objects.get().reference in confirmation.body
    assert "Samira" not in "".join(m.body for m in mail.outbox)  # no case details by mail


def test_unknown_postcode_lands_in_the_national_queue_and_office_is_told(
    client, office, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, valid_data(**{"persons-0-postcode": "1000 AA"}))
    request = Request.objects.get()
    assert request.region is None
    assert request.case.region is None
    assert [m.to for m in mail.outbox if m.to != ["fatima@voorbeeld.nl"]] == [[office.email]]


def test_missing_postcode_also_lands_in_the_national_queue(client):
    client.post(URL, valid_data(**{"persons-0-postcode": ""}))
    assert Request.objects.get().region is None


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"requester_name": ""}, "requester_name", "Dit veld is verplicht."),
        ({"persons-0-postcode": "12345"}, "persons-0-postcode", "Vul een Nederlandse postcode in"),
        ({"persons-0-birth_year": "1850"}, "persons-0-birth_year", "Vul een geboortejaar in"),
        (
            {"persons-0-name": ""},
            "persons-0-name",
            "Vul de naam in van de persoon om wie het gaat.",
        ),
        ({"consent": ""}, "consent", "Zonder uw toestemming"),
        (
            {"requester_email": "", "requester_phone": ""},
            "requester_email",
            "e-mailadres of een telefoonnummer",
        ),
        ({"requester_email": "geen-adres"}, "requester_email", "geldig e-mailadres"),
        ({"compelled_help": "compulsory"}, "compelled_help_kind", "Kies welke maatregel"),
        ({"variant": "circus"}, "variant", "geen beschikbare keuze"),
        ({"language_required": "on"}, "wish_languages", "Kies de taal"),
    ],
)
def test_bad_input_gets_a_dutch_error_next_to_the_field_and_nothing_is_saved(
    client, overrides, field, message
):
    response = client.post(URL, valid_data(**overrides))
    assert response.status_code == 200
    content = response.content.decode()
    assert f'id="id_{field}_error"' in content
    error_block = content.split(f'id="id_{field}_error"', 1)[1][:400]
    assert message in error_block
    assert "Wat is er nodig zodat de kinderen thuis kunnen blijven wonen?" in content  # kept
    assert Request.objects.count() == 0
    assert Case.objects.count() == 0
    assert MainPerson.objects.count() == 0


def test_the_honeypot_stops_bots(client):
    response = client.post(URL, valid_data(website="http://spam.example"))
    assert response.status_code == 200
    assert Request.objects.count() == 0


def test_per_address_rate_limit(client, settings):
    settings.KRING_INTAKE_RATE_LIMIT = 2
    for _ in range(2):
        assert client.post(URL, valid_data()).status_code == 302
    response = client.post(URL, valid_data())
    assert response.status_code == 429
    assert "te veel aanvragen" in response.content.decode()
    assert "Samira el Amrani" in response.content.decode()  # what was typed is kept
    assert Request.objects.count() == 2
    other = client.post(URL, valid_data(), REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302


def test_a_refused_request_is_logged_without_the_address_or_what_was_typed(client, settings):
    settings.KRING_INTAKE_RATE_LIMIT = 1
    client.post(URL, valid_data())
    assert not AuditEvent.objects.filter(action=Action.REQUEST_THROTTLED).exists()
    assert client.post(URL, valid_data()).status_code == 429
    event = AuditEvent.objects.get(action=Action.REQUEST_THROTTLED)
    assert (event.actor, event.actor_role, event.outcome) == (None, "public", "refused")
    assert (event.case, event.object_id, event.detail) == (None, "", {})


def test_a_form_with_mistakes_does_not_count_against_the_limit(client, settings):
    settings.KRING_INTAKE_RATE_LIMIT = 1
    for _ in range(3):
        assert client.post(URL, valid_data(requester_name="")).status_code == 200
    assert client.post(URL, valid_data()).status_code == 302


def test_no_mail_is_sent_for_a_request_that_was_not_saved(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(URL, valid_data(consent=""))
    assert callbacks == []
    assert mail.outbox == []


def test_a_double_submit_of_the_same_form_creates_one_request(client):
    data = valid_data()
    first = client.post(URL, data)
    second = client.post(URL, data)
    assert first["Location"] == second["Location"]
    assert Request.objects.count() == 1
    assert Case.objects.count() == 1


def test_wishes_are_stored(client):
    languages = list(
        Language.objects.filter(code__in=["tir", "ara"]).values_list("code", flat=True)
    )
    client.post(
        URL,
        valid_data(
            wish_gender="female",
            wish_languages=languages,
            language_required="on",
            wish_religion="islam",
        ),
    )
    request = Request.objects.get()
    assert request.wish_gender == "female"
    assert sorted(request.wish_languages.values_list("code", flat=True)) == sorted(languages)
    assert request.language_required
    assert request.wish_religion == "islam"


def test_the_form_page_explains_each_variant_in_plain_dutch(client):
    content = client.get(URL).content.decode()
    assert "Na een conflict, incident of misdrijf" in content
    assert "Voor een leervraag in of rond school" in content
    assert 'name="submission_token"' in content


def test_received_page_without_a_request_goes_back_to_the_form(client):
    assert client.get(reverse("intake:received"))["Location"] == URL


def test_no_english_empty_choice_on_the_form(client):
    content = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Select an option" not in content
    assert "Geen voorkeur" in content
