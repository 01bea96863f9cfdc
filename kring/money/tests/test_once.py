"""A form that creates something saves once per rendering (kring/accounts/once.py): the same
hours posted twice (a double tap, a resend after a dropped connection) make one line, paid
once; a second entry from a fresh form is a second line."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import FormSubmission, Role
from kring.accounts.once import forget_submissions
from kring.accounts.testing import VerifiedClient, once_on
from kring.factories import UserFactory
from kring.money.models import Line
from kring.money.tests.test_hours import hours_data

pytestmark = pytest.mark.django_db


def test_the_same_form_posted_twice_makes_one_line(coordinator_client, case):
    page = coordinator_client.get(reverse("money:case", args=[case.pk])).content
    token = once_on(page)
    url = reverse("money:add_hours", args=[case.pk])
    first = coordinator_client.post(url, hours_data(once=token))
    second = coordinator_client.post(url, hours_data(once=token), follow=True)
    assert first.status_code == 302
    assert second.redirect_chain[0][0] == first["Location"]
    assert "Dit was al opgeslagen" in second.content.decode()
    assert Line.objects.count() == 1


def test_a_fresh_form_is_a_second_entry(coordinator_client, case):
    money_page = reverse("money:case", args=[case.pk])
    url = reverse("money:add_hours", args=[case.pk])
    for _ in range(2):
        token = once_on(coordinator_client.get(money_page).content)
        assert coordinator_client.post(url, hours_data(once=token)).status_code == 302
    assert Line.objects.count() == 2


def test_a_refused_form_can_be_corrected_and_sent_with_the_same_token(coordinator_client, case):
    url = reverse("money:add_hours", args=[case.pk])
    token = str(uuid.uuid4())
    assert coordinator_client.post(url, hours_data(hours="1,1", once=token)).status_code == 400
    assert coordinator_client.post(url, hours_data(once=token)).status_code == 302
    assert Line.objects.count() == 1


@pytest.mark.parametrize("token", ["", "nee", "0" * 5000, "\x00", "-1", "1" * 40])
def test_a_missing_or_tampered_token_saves_as_a_form_without_one(coordinator_client, case, token):
    url = reverse("money:add_hours", args=[case.pk])
    assert coordinator_client.post(url, hours_data(once=token)).status_code == 302
    assert Line.objects.count() == 1
    assert not FormSubmission.objects.exists()


def test_another_users_token_is_their_own(coordinator_client, case):
    url = reverse("money:add_hours", args=[case.pk])
    token = str(uuid.uuid4())
    someone = UserFactory(role=Role.COORDINATOR)
    FormSubmission.objects.create(user=someone, token=token, location="/elders/")
    response = coordinator_client.post(url, hours_data(once=token))
    assert response["Location"] != "/elders/"
    assert Line.objects.count() == 1


def test_tokens_are_forgotten_after_a_day(coordinator_client, case):
    url = reverse("money:add_hours", args=[case.pk])
    coordinator_client.post(url, hours_data(once=str(uuid.uuid4())))
    assert forget_submissions(timezone.now()) == 0
    assert forget_submissions(timezone.now() + timedelta(days=1, minutes=1)) == 1
    assert not FormSubmission.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_posts_of_one_form_at_the_same_moment_make_one_line(coordinator, case):
    url = reverse("money:add_hours", args=[case.pk])
    data = hours_data(once=str(uuid.uuid4()))
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def post() -> None:
        client = VerifiedClient()
        client.force_login(coordinator)
        try:
            barrier.wait()
            statuses.append(client.post(url, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302]
    assert Line.objects.count() == 1
    assert FormSubmission.objects.count() == 1
