"""One walk over every page × every role: deny by default, allow what the role needs."""

import pytest
from django.urls import reverse

from kring.accounts.models import Role
from kring.factories import UserFactory, make_case

pytestmark = pytest.mark.django_db

ANON = "anonymous"
# page name → the roles that get 200; everyone else is redirected to login (anonymous),
# refused (403) or told the object does not exist (404).
PAGES = {
    "home": {ANON, Role.RESEARCHER},
    "intake:public_request": {ANON, *Role.values},
    "intake:privacy": {ANON, *Role.values},
    "intake:referral_create": {Role.PROFESSIONAL},
    "intake:my_referrals": {Role.PROFESSIONAL},
    "cases:inbox": {Role.MANAGER, Role.OFFICE},
    "cases:detail": {Role.MANAGER, Role.OFFICE},  # the professional below is not the referrer
}


@pytest.fixture
def users(utrecht):
    made = {role: UserFactory(role=role) for role in Role.values}
    made[Role.MANAGER].regions.set([utrecht])
    return made


@pytest.mark.parametrize("role", [ANON, *Role.values])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_access_by_role(client, users, name, role):
    case = make_case()
    if role != ANON:
        client.force_login(users[role])
    args = [case.pk] if name == "cases:detail" else []
    response = client.get(reverse(name, args=args))
    if role in PAGES[name]:
        assert response.status_code == 200
    elif role == ANON:
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    else:
        assert response.status_code in {302, 403, 404}
        if response.status_code == 302:  # home forwards a role to its own work page
            assert name == "home"


@pytest.mark.parametrize("name", ["cases:move", "cases:first_contact", "cases:route"])
@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.COORDINATOR, Role.RESEARCHER])
def test_case_actions_are_refused_to_other_roles(client, users, name, role):
    case = make_case()
    client.force_login(users[role])
    assert client.post(reverse(name, args=[case.pk]), {"to": "matching"}).status_code == 403
