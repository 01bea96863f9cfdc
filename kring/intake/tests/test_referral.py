import uuid

import pytest
from django.urls import reverse

from kring.accounts.models import Role
from kring.factories import UserFactory, make_case
from kring.intake.models import Channel, Request

pytestmark = pytest.mark.django_db
URL = reverse("intake:referral_create")


def referral_data(**overrides):
    data = {
        "persons-TOTAL_FORMS": "2",
        "persons-INITIAL_FORMS": "0",
        "persons-MIN_NUM_FORMS": "1",
        "persons-MAX_NUM_FORMS": "3",
        "persons-0-name": "Kevin de Vries",
        "persons-0-birth_year": "2010",
        "persons-0-postcode": "9712 CP",
        "situation": "Kevin gaat al maanden niet naar school.",
        "life_domains": ["education"],
        "question": "Wat is er nodig zodat Kevin weer naar school gaat?",
        "variant": "learning",
        "compelled_help": "pressured",
        "compelled_help_kind": "supervision_order",
        "family_agrees": "on",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_a_professional_refers_a_family_and_the_organisation_is_stored(client, professional):
    client.force_login(professional)
    response = client.post(URL, referral_data())
    assert response.status_code == 302
    request = Request.objects.get()
    assert request.channel == Channel.REFERRAL
    assert request.referrer == professional
    assert request.referrer_organisation == professional.organisation
    assert request.family_agrees
    assert request.region.slug == "groningen"


def test_a_referral_needs_the_familys_agreement(client, professional):
    client.force_login(professional)
    response = client.post(URL, referral_data(family_agrees=""))
    assert "Meld een gezin alleen aan als het ermee instemt" in response.content.decode()
    assert Request.objects.count() == 0


def test_professionals_see_their_own_referrals_and_nothing_else(client, professional):
    mine = make_case(referrer=professional, channel=Channel.REFERRAL)
    colleague = UserFactory(role=Role.PROFESSIONAL, organisation=professional.organisation)
    theirs = make_case(referrer=colleague, channel=Channel.REFERRAL)
    public = make_case()
    client.force_login(professional)
    content = client.get(reverse("intake:my_referrals")).content.decode()
    assert mine.request.reference in content
    assert theirs.request.reference not in content
    assert public.request.reference not in content
    assert client.get(reverse("cases:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("cases:detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("cases:detail", args=[public.pk])).status_code == 404


def test_a_professional_does_not_see_special_category_wishes(client, professional):
    case = make_case(referrer=professional, channel=Channel.REFERRAL, wish_religion="hindoeïsme")
    client.force_login(professional)
    content = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "hindoeïsme" not in content
    assert "Tijdlijn" not in content


@pytest.mark.parametrize("role", [Role.MANAGER, Role.COORDINATOR, Role.RESEARCHER, Role.OFFICE])
def test_only_professionals_may_refer(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("intake:my_referrals")).status_code == 403


def test_my_referrals_query_count_does_not_grow_with_rows(
    client, professional, django_assert_max_num_queries
):
    client.force_login(professional)
    make_case(referrer=professional, channel=Channel.REFERRAL)
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("intake:my_referrals"))
    for _ in range(4):
        make_case(referrer=professional, channel=Channel.REFERRAL)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("intake:my_referrals"))


def test_a_referral_is_logged_with_the_professional_as_actor(client, professional):
    from kring.audit.models import Action, AuditEvent

    client.force_login(professional)
    client.post(URL, referral_data())
    event = AuditEvent.objects.get(action=Action.REQUEST_REFERRED)
    assert (event.actor, event.actor_role) == (professional, "professional")
    assert event.case == Request.objects.get().case
