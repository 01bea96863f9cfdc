"""Who saw this case: a page for the office, linked from the case page, itself logged."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from kring.audit.models import Action, AuditEvent
from kring.factories import make_case

pytestmark = pytest.mark.django_db


def test_the_office_sees_who_read_a_case_and_its_own_look_is_logged(client, manager, office):
    case = make_case()
    other = make_case()
    client.force_login(manager)
    client.get(reverse("cases:detail", args=[case.pk]))
    client.force_login(office)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    trail_url = reverse("cases:trail", args=[case.pk])
    assert trail_url in page
    response = client.get(trail_url)
    assert response.status_code == 200
    rows = response.content.decode().count('data-testid="trail-row"')
    assert rows == AuditEvent.objects.filter(case=case).count()
    # Escaped as the page does: faker's names include "van 't Wel".
    assert escape(manager.get_full_name()) in response.content.decode()
    assert AuditEvent.objects.filter(case=case, actor=office, action=Action.TRAIL_VIEWED).exists()
    assert not AuditEvent.objects.filter(case=other, action=Action.TRAIL_VIEWED).exists()


def test_nobody_but_the_office_gets_the_trail_or_its_link(client, manager, utrecht):
    case = make_case(region=utrecht)
    client.force_login(manager)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:trail", args=[case.pk]) not in page
    assert client.get(reverse("cases:trail", args=[case.pk])).status_code == 403
    assert not AuditEvent.objects.filter(action=Action.TRAIL_VIEWED).exists()
