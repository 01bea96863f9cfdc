"""Issue 15 §2: the confirmation says "antwoord op deze e-mail"; the reply reaches the region's
office (Reply-To), not the no-reply sender."""

import pytest
from django.core import mail

from kring.accounts.models import Region, Role
from kring.factories import RequestFactory, UserFactory
from kring.intake.tasks import send_request_confirmation

pytestmark = pytest.mark.django_db


def test_the_reply_goes_to_the_region_s_office_address():
    Region.objects.filter(slug="utrecht").update(email="utrecht@kring.example")
    request = RequestFactory()
    send_request_confirmation.call(request.pk)
    [confirmation] = mail.outbox
    assert confirmation.reply_to == ["utrecht@kring.example"]
    assert "Antwoord dan op deze e-mail" in confirmation.body


def test_without_an_office_address_the_region_s_managers_get_the_reply():
    manager = UserFactory(role=Role.MANAGER, regions=["utrecht"], email="m@kring.example")
    request = RequestFactory()
    send_request_confirmation.call(request.pk)
    assert mail.outbox[0].reply_to == [manager.email]


def test_a_request_in_the_national_queue_replies_to_the_office():
    office = UserFactory(role=Role.OFFICE, email="bureau@kring.example")
    request = RequestFactory(region=None, postcode="")
    send_request_confirmation.call(request.pk)
    assert mail.outbox[0].reply_to == [office.email]
