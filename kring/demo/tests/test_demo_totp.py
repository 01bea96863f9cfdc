"""The demo's accounts pass the second factor with the one documented key."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from kring.accounts.models import Role
from kring.demo.people import DOMAIN
from kring.demo.totp import enrol_demo_users
from kring.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_demo_account_logs_in_with_the_code_demo_totp_prints(client, capsys):
    demo_user = UserFactory(email=f"coordinator1@{DOMAIN}", role=Role.COORDINATOR)
    other = UserFactory(email="iemand@elders.example")
    assert enrol_demo_users() == 1
    assert enrol_demo_users() == 0  # once per account
    call_command("demo_totp", "--quiet")
    code = capsys.readouterr().out.strip()
    client.force_login_unverified(demo_user)
    response = client.post(reverse("accounts:second_factor"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("preparation:my_cases")).status_code == 200
    client.force_login_unverified(other)
    assert client.get(reverse("preparation:my_cases"))["Location"].startswith(
        reverse("accounts:second_factor_enrol")
    )
