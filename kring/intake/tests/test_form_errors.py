"""Issue 15 §2: the request form's errors, as a new user meets them."""

import pytest
from django.urls import reverse

from kring.intake.models import Request
from kring.intake.tests.test_public_form import valid_data

pytestmark = pytest.mark.django_db
URL = reverse("intake:public_request")


def test_a_missing_main_person_gets_a_dutch_sentence_in_the_summary_not_a_framework_default(
    client,
):
    empty = {"persons-0-name": "", "persons-0-birth_year": "", "persons-0-postcode": ""}
    response = client.post(URL, valid_data(**empty))
    page = response.content.decode()
    assert response.status_code == 200
    assert not Request.objects.exists()
    assert "formulier" not in page.lower().split("kring-form-errors")[1].split("</ul>")[0]
    assert "Verstuur minimaal" not in page
    summary = page.split('id="kring-form-errors"')[1].split("</div>")[0]
    assert "Vul minstens één hoofdpersoon in" in summary
    # The summary links straight to the main person's name field.
    assert 'href="#id_persons-0-name"' in summary


def test_an_error_about_a_main_person_is_in_the_summary_beside_the_form_s_own(client):
    response = client.post(
        URL, valid_data(**{"persons-0-birth_year": "1700", "requester_name": ""})
    )
    summary = response.content.decode().split('id="kring-form-errors"')[1].split("</div>")[0]
    assert "Hoofdpersoon 1, geboortejaar: Vul een geboortejaar in, zoals 1985." in summary
    assert "Uw naam" in summary


def test_the_error_summary_takes_the_focus_when_the_page_opens(client):
    response = client.post(URL, valid_data(**{"persons-0-name": ""}))
    summary_tag = response.content.decode().split('id="kring-form-errors"')[1].split(">")[0]
    assert 'tabindex="-1"' in summary_tag and "autofocus" in summary_tag


def test_too_many_main_persons_gets_a_dutch_sentence(client):
    extra = {
        "persons-TOTAL_FORMS": "4",
        **{f"persons-{i}-name": f"Persoon {i}" for i in range(4)},
    }
    page = client.post(URL, valid_data(**extra)).content.decode()
    assert "U kunt hoogstens drie hoofdpersonen invullen." in page
