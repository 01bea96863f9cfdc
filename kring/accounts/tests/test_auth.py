import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from kring.accounts.models import Role
from kring.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_login_with_email_and_logout(client):
    UserFactory(email="an@kring.example", role=Role.MANAGER)
    response = client.post(
        reverse("accounts:login"),
        {"username": "an@kring.example", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert client.session.get("_auth_user_id")
    client.post(reverse("accounts:logout"))
    assert not client.session.get("_auth_user_id")


def test_wrong_password_gives_a_dutch_error_and_keeps_the_email(client):
    UserFactory(email="an@kring.example")
    response = client.post(
        reverse("accounts:login"), {"username": "an@kring.example", "password": "x"}
    )
    content = response.content.decode()
    assert "horen niet bij elkaar" in content
    assert 'value="an@kring.example"' in content


def test_password_reset_by_mail(client):
    user = UserFactory(email="an@kring.example")
    client.post(reverse("accounts:password_reset"), {"email": "an@kring.example"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    # The site's one address (SITE_URL), not the Host the request came with.
    assert link.startswith(settings.SITE_URL.rstrip("/") + "/")
    path = urlsplit(link).path
    form_page = client.get(path, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "een-nieuw-wachtwoord-42", "new_password2": "een-nieuw-wachtwoord-42"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("een-nieuw-wachtwoord-42")


def test_home_sends_each_role_to_its_work(
    client, manager, office, professional, coordinator, researcher
):
    client.force_login(manager)
    assert client.get(reverse("home"))["Location"] == reverse("cases:inbox")
    client.force_login(office)
    assert client.get(reverse("home"))["Location"] == reverse("cases:inbox")
    client.force_login(researcher)  # issue 15 §2: the researcher lands on the figures
    assert client.get(reverse("home"))["Location"] == reverse("stats:dashboard")
    client.force_login(UserFactory(role=Role.TRANSLATOR))
    assert client.get(reverse("home"))["Location"] == reverse("translations:overview")
    client.force_login(professional)
    assert client.get(reverse("home"))["Location"] == reverse("intake:my_referrals")
    client.force_login(coordinator)
    assert client.get(reverse("home"))["Location"] == reverse("preparation:my_cases")


def test_a_too_short_new_password_is_refused_in_dutch(client):
    UserFactory(email="an@kring.example")
    client.post(reverse("accounts:password_reset"), {"email": "an@kring.example"})
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    form_page = client.get(urlsplit(link).path, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "kort", "new_password2": "kort"}
    )
    assert "Dit wachtwoord is te kort" in response.content.decode()
