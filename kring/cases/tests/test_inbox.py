from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import Region, Role
from kring.audit.models import Action, AuditEvent
from kring.cases.models import Status
from kring.factories import UserFactory, make_case

pytestmark = pytest.mark.django_db
URL = reverse("cases:inbox")


def references(response):
    return [case.request.reference for case in response.context["page"].object_list]


def test_a_manager_sees_only_the_requests_of_their_regions(client, manager, groningen):
    mine = make_case()
    elsewhere = make_case(region=groningen, postcode="9712 CP")
    national = make_case(region=None, postcode="")
    client.force_login(manager)
    shown = references(client.get(URL))
    assert shown == [mine.request.reference]
    assert elsewhere.request.reference not in shown
    assert national.request.reference not in shown


def test_a_manager_of_two_regions_sees_both_and_can_filter_one(client, utrecht, groningen):
    both = UserFactory(role=Role.MANAGER, regions=[utrecht, groningen])
    a = make_case()
    b = make_case(region=groningen)
    client.force_login(both)
    assert set(references(client.get(URL))) == {a.request.reference, b.request.reference}
    assert references(client.get(URL, {"region": groningen.pk})) == [b.request.reference]


def test_the_office_sees_everything_including_the_national_queue(client, office, groningen):
    a, b = make_case(), make_case(region=groningen)
    national = make_case(region=None)
    client.force_login(office)
    assert len(references(client.get(URL))) == 3
    assert references(client.get(URL, {"region": "landelijk"})) == [national.request.reference]
    assert {a.request.reference, b.request.reference} < set(references(client.get(URL)))


def test_oldest_first_with_time_left_against_the_deadlines(client, manager):
    now = timezone.localtime()
    # Within today's date where the office is (just after midnight an hour ago was yesterday).
    submitted = max(now - timedelta(hours=1), now.replace(hour=0, minute=0, second=0))
    late = make_case(submitted_at=submitted - timedelta(days=5))
    fresh = make_case(submitted_at=submitted)
    client.force_login(manager)
    response = client.get(URL)
    assert references(response) == [late.request.reference, fresh.request.reference]
    content = response.content.decode()
    assert "2 dagen te laat" in content  # first contact was due after 3 days
    assert "nog 2 dagen" in content  # work must start within 7 days
    assert "nog 3 dagen" in content  # the fresh one's first contact


def test_filters_by_status_and_variant(client, manager):
    new = make_case()
    matching = make_case(status=Status.MATCHING)
    school = make_case(variant="learning")
    closed = make_case(status=Status.WITHDRAWN)
    client.force_login(manager)
    assert references(client.get(URL, {"status": "matching"})) == [matching.request.reference]
    assert references(client.get(URL, {"variant": "learning"})) == [school.request.reference]
    open_refs = references(client.get(URL))
    assert closed.request.reference not in open_refs
    assert {new.request.reference, matching.request.reference} <= set(open_refs)
    assert references(client.get(URL, {"status": "withdrawn"})) == [closed.request.reference]


def test_a_bad_filter_value_is_ignored_not_an_error(client, manager):
    case = make_case()
    client.force_login(manager)
    response = client.get(URL, {"status": "nonsense"})
    assert response.status_code == 200
    assert references(response) == [case.request.reference]


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.COORDINATOR, Role.RESEARCHER])
def test_other_roles_have_no_inbox(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(URL).status_code == 403


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_viewing_the_inbox_is_logged(client, manager):
    client.force_login(manager)
    client.get(URL, {"variant": "family"})
    event = AuditEvent.objects.get(action=Action.INBOX_VIEWED)
    assert event.actor == manager
    assert event.detail["filters"] == {"variant": "family"}


@pytest.mark.parametrize("user_fixture", ["manager", "office"])
def test_inbox_query_count_does_not_grow_with_rows(
    client, request, user_fixture, django_assert_num_queries
):
    user = request.getfixturevalue(user_fixture)
    client.force_login(user)
    make_case()
    with CaptureQueriesContext(connection) as one_row:
        client.get(URL)
    for region in Region.objects.all()[:3]:
        make_case(region=region)
        make_case(region=region)
    make_case()
    with django_assert_num_queries(len(one_row.captured_queries)):
        client.get(URL)


def test_a_request_without_a_funder_is_marked_and_can_be_filtered(client, manager, utrecht):
    from kring.accounts.models import Organisation
    from kring.factories import OrganisationFactory

    funder = OrganisationFactory(name="Gemeente Houten", kind=Organisation.Kind.MUNICIPALITY)
    paid = make_case(funder=funder)
    unpaid = make_case(funder=None, funder_name="de gemeente, denk ik")
    client.force_login(manager)
    response = client.get(URL)
    rows = response.content.decode().split('<tr class="utrecht-table__row">')[2:]
    marked = {
        row.split("</a>")[0].rsplit(">", 1)[1] for row in rows if 'data-testid="no-funder"' in row
    }
    assert marked == {unpaid.request.reference}
    assert references(client.get(URL, {"without_funder": "on"})) == [unpaid.request.reference]
    assert set(references(client.get(URL))) == {paid.request.reference, unpaid.request.reference}
    # The case page says so too, with the way to choose one.
    page = client.get(reverse("cases:detail", args=[unpaid.pk])).content.decode()
    assert "geen financier gekoppeld" in page
    assert reverse("intake:request_change", args=[unpaid.pk]) in page
