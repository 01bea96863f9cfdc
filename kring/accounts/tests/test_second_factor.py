"""The second factor: required for every role, enrolment with a real code, recovery codes,
the office's reset."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from kring.accounts.models import Role
from kring.accounts.second_factor import (
    OPEN_NAMESPACES,
    OPEN_URL_NAMES,
    PENDING_SESSION_KEY,
    pending_key,
    secret_of,
)
from kring.audit.models import Action, AuditEvent
from kring.factories import UserFactory, make_case

pytestmark = pytest.mark.django_db

ENROL = reverse("accounts:second_factor_enrol")
VERIFY = reverse("accounts:second_factor")


def _plain_routes(patterns: list[URLPattern | URLResolver], prefix: str = "") -> list[str]:
    """Every named page without parameters, outside the login steps and the admin."""
    names = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in OPEN_NAMESPACES or pattern.namespace == "admin":
                continue
            inner = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names += _plain_routes(pattern.url_patterns, inner)
        # re_path patterns (django-rosetta's) name their parameters as regex groups.
        elif pattern.name and not pattern.pattern.converters and not pattern.pattern.regex.groups:
            names.append(f"{prefix}{pattern.name}")
    return [name for name in names if name not in OPEN_URL_NAMES]


def code_now(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=drift):06d}"


def pending(client, user) -> TOTPDevice:
    """The app being set up, as the enrolment page keeps it: in the session, not stored."""
    key = pending_key(client.session, user)
    assert key is not None
    return TOTPDevice(user=user, key=key)


@pytest.mark.parametrize("role", Role.values)
def test_an_unverified_login_reaches_no_page_but_the_second_factor(client, utrecht, role):
    user = UserFactory(role=role, is_superuser=role == Role.OFFICE)
    user.regions.set([utrecht])
    case = make_case()
    client.force_login_unverified(user)
    urls = [reverse(name) for name in _plain_routes(get_resolver().url_patterns)]
    urls += [reverse("cases:detail", args=[case.pk]), "/beheer/"]
    assert len(urls) > 20
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(ENROL), url


def test_a_verified_login_reaches_the_inbox(client, manager):
    client.force_login(manager)
    assert client.get(reverse("cases:inbox")).status_code == 200


def test_enrolment_with_a_real_code_then_recovery_codes_shown_once(client, manager):
    client.force_login_unverified(manager)
    page = client.get(ENROL + "?next=/trajecten/inbox/")
    body = page.content.decode()
    assert 'src="data:image/svg+xml' in body
    device = pending(client, manager)
    assert secret_of(device) in body
    wrong = client.post(ENROL, {"code": "000000" if code_now(device) != "000000" else "111111"})
    assert "Deze code klopt niet" in wrong.content.decode()
    assert secret_of(device) in wrong.content.decode()
    assert not client.session.get(DEVICE_ID_SESSION_KEY)
    assert not TOTPDevice.objects.filter(user=manager).exists()  # a wrong code stores nothing

    done = client.post(ENROL, {"code": code_now(device), "next": "/trajecten/inbox/"})
    codes = done.context["codes"]
    assert len(codes) == 10 and all(code in done.content.decode() for code in codes)
    assert done["Cache-Control"] == "no-store"
    assert client.get(reverse("cases:inbox")).status_code == 200
    assert AuditEvent.objects.filter(actor=manager, action=Action.SECOND_FACTOR_ENROLLED).exists()
    stored = TOTPDevice.objects.get(user=manager)
    assert stored.confirmed and stored.key == device.key
    assert PENDING_SESSION_KEY not in client.session
    # Enrolled: a new login asks the code, and the enrolment page no longer hands out a key.
    client.logout()
    client.force_login_unverified(manager)
    assert client.get(ENROL)["Location"].startswith(VERIFY)
    assert client.get(reverse("cases:inbox"))["Location"].startswith(VERIFY)


def test_opening_the_enrolment_page_stores_nothing_and_keeps_its_key(client, manager):
    client.force_login_unverified(manager)
    first = client.get(ENROL).content.decode()
    device = pending(client, manager)
    assert secret_of(device) in first
    assert secret_of(device) in client.get(ENROL).content.decode()  # a reload: the same key
    assert not TOTPDevice.objects.filter(user=manager).exists()
    assert not AuditEvent.objects.filter(actor=manager).exists()


def test_a_tampered_or_anothers_pending_key_is_not_used(client, manager, coordinator):
    client.force_login_unverified(manager)
    client.get(ENROL)
    theirs = client.session[PENDING_SESSION_KEY]
    assert pending_key(client.session, coordinator) is None
    session = client.session
    session[PENDING_SESSION_KEY] = theirs[:-2] + ("AA" if not theirs.endswith("AA") else "BB")
    session.save()
    assert pending_key(client.session, manager) is None


def _enrolled(client, user) -> list[str]:
    client.force_login_unverified(user)
    client.get(ENROL)
    codes = client.post(ENROL, {"code": code_now(pending(client, user))}).context["codes"]
    client.logout()
    client.force_login_unverified(user)
    return codes


def test_the_app_code_passes_the_second_step(client, coordinator):
    _enrolled(client, coordinator)
    device = TOTPDevice.objects.get(user=coordinator)
    device.last_t = -1  # the enrolment used this time step; a later login gets the next one
    device.save()
    response = client.post(VERIFY, {"code": code_now(device), "next": "/voorbereiding/"})
    assert response.status_code == 302 and response["Location"] == "/voorbereiding/"
    assert client.get(reverse("preparation:my_cases")).status_code == 200
    # Once through, the step sends on to a path of ours only: a bare word (which redirect
    # would take for a view's name) or another site goes to the start page.
    for target in ("-1", "inbox", "https://elders.example/", "//elders.example/"):
        again = client.get(VERIFY, {"next": target})
        assert again.status_code == 302 and again["Location"] == "/", target


def test_a_recovery_code_works_once(client, coordinator):
    codes = _enrolled(client, coordinator)
    assert client.post(VERIFY, {"code": codes[0].upper()}).status_code == 302
    assert client.get(reverse("preparation:my_cases")).status_code == 200
    client.logout()
    client.force_login_unverified(coordinator)
    again = client.post(VERIFY, {"code": codes[0]})
    assert "klopt niet of is al gebruikt" in again.content.decode()
    assert client.get(reverse("preparation:my_cases")).status_code == 302
    assert StaticDevice.objects.get(user=coordinator).token_set.count() == 9
    refused = AuditEvent.objects.filter(actor=coordinator, action=Action.SECOND_FACTOR_FAILED)
    assert refused.exists()


def test_a_wrong_code_is_a_dutch_error_not_a_500(client, coordinator):
    _enrolled(client, coordinator)
    for hostile in ["", "x" * 500, "'; drop table", "１２３４５６"]:
        response = client.post(VERIFY, {"code": hostile})
        assert response.status_code == 200
        assert "code" in response.context["form"].errors


def test_the_office_resets_a_second_factor_and_it_is_logged(client, office, coordinator):
    _enrolled(client, coordinator)
    office.is_staff = office.is_superuser = True
    office.save()
    admin_client = client.__class__()
    admin_client.force_login(office)
    changelist = reverse("admin:accounts_user_changelist")
    response = admin_client.post(
        changelist,
        {"action": "reset_second_factor", "_selected_action": [coordinator.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert not StaticDevice.objects.filter(user=coordinator).exists()
    row = AuditEvent.objects.get(action=Action.SECOND_FACTOR_RESET)
    assert row.actor == office and row.object_id == str(coordinator.pk)
    # The coordinator's next step is enrolment again, not the code.
    assert client.get(reverse("preparation:my_cases"))["Location"].startswith(ENROL)


def test_recovery_codes_are_renewed_on_the_security_page(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("accounts:security"))
    assert 'id="passkey-registration-placeholder"' in page.content.decode()
    first = client.post(reverse("accounts:security")).context["codes"]
    second = client.post(reverse("accounts:security")).context["codes"]
    assert set(first).isdisjoint(second)
    assert StaticDevice.objects.get(user=coordinator).token_set.count() == 10
