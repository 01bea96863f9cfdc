"""Recording the conference: phases, times, who was where, HELD and the aftercare deadlines."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import User
from kring.audit.models import Action, AuditEvent
from kring.cases.choices import Variant
from kring.cases.clocks import end_of_day
from kring.cases.models import Case, Status
from kring.coordinators.models import CoordinatorProfile
from kring.factories import OrganisationFactory, UserFactory, a_case, set_preparation, walk_to
from kring.lib.workdays import add_working_days
from kring.plans.conference.domain import (
    ConferenceError,
    ConferenceRecord,
    aftercare_deadlines,
    record_conference,
    times_out_of_order,
)
from kring.plans.models import Attendance, Conference, Phase
from kring.preparation.models import (
    Category,
    InvitationStatus,
    Participant,
    ProfessionalInvolvement,
)

pytestmark = pytest.mark.django_db


def _person(case: Case, name: str, **fields: Any) -> Participant:
    fields.setdefault("status", InvitationStatus.COMES)
    fields.setdefault("category", Category.FAMILY)
    return Participant.objects.create(case=case, name=name, **fields)


def _professional(case: Case) -> ProfessionalInvolvement:
    return ProfessionalInvolvement.objects.create(
        case=case,
        name="Petra de Wit",
        email="petra@jeugdbescherming.example",
        organisation=OrganisationFactory(name="Jeugdbescherming Midden"),
        invited_at=timezone.now(),
        invited_by=case.coordinator,
    )


YESTERDAY = timezone.localdate() - timedelta(days=1)


@pytest.fixture
def case(coordinator: User) -> Case:
    case = a_case(at=Status.PLANNED, coordinator=coordinator)
    start = timezone.make_aware(datetime.combine(YESTERDAY, time(10, 0)))
    set_preparation(case, conference_at=start, venue="Buurthuis De Linde, Dorpsstraat 4, Utrecht")
    return case


@pytest.fixture
def people(case: Case) -> dict[str, Any]:
    return {
        "mother": _person(case, "Sanne Jansen", is_main_person=True, category=Category.HOUSEHOLD),
        "aunt": _person(case, "Tante Ria"),
        "uncle": _person(case, "Oom Kees", status=InvitationStatus.DECLINES),
        "father": _person(case, "Vader Erik", status=InvitationStatus.NOT_INVITED_SAFETY),
        "professional": _professional(case),
    }


def _url(case: Case) -> str:
    return reverse("plans:conference_record", args=[case.pk])


def _post_data(people: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    mother, aunt, pro = people["mother"].pk, people["aunt"].pk, people["professional"].pk
    data: dict[str, Any] = {
        "held_on": YESTERDAY.isoformat(),
        "place": "Buurthuis De Linde",
        "information_started_at": "10:00",
        "private_started_at": "11:15",
        "presentation_started_at": "13:30",
        "ended_at": "14:30",
        "participants_information": [mother, aunt],
        "participants_private": [mother, aunt],
        "participants_presentation": [mother],
        "professionals_information": [pro],
        "professionals_presentation": [pro],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_page_prefills_the_planned_day_and_lists_the_invited_circle(
    coordinator_client: Any, case: Case, people: dict[str, Any]
) -> None:
    response = coordinator_client.get(_url(case))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{YESTERDAY.isoformat()}"' in html
    assert 'value="Buurthuis De Linde, Dorpsstraat 4, Utrecht"' in html
    assert "Tante Ria" in html and "Oom Kees" in html and "Petra de Wit" in html
    assert "Vader Erik" not in html  # not invited for safety: never in the attendance grid
    assert "Besloten tijd zonder coördinator en professionals" in html
    # Professionals get no checkbox in the family's private time.
    assert f'name="professionals_private" value="{people["professional"].pk}"' not in html
    assert f'name="professionals_information" value="{people["professional"].pk}"' in html


def test_recording_moves_the_case_to_held_and_sets_the_deadlines(
    coordinator_client: Any, case: Case, people: dict[str, Any], coordinator: User
) -> None:
    response = coordinator_client.post(_url(case), _post_data(people))

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.HELD
    conference = Conference.objects.get(case=case)
    assert conference.held_on == YESTERDAY
    assert conference.place == "Buurthuis De Linde"
    assert conference.private_started_at == time(11, 15)
    assert conference.coordinator_led_private_time is False
    assert conference.recorded_by == coordinator
    present = set(Attendance.objects.filter(conference=conference).values_list("phase", flat=True))
    assert present == set(Phase.values)
    assert Attendance.objects.filter(
        conference=conference, phase=Phase.PRIVATE, participant=people["aunt"]
    ).exists()
    assert not Attendance.objects.filter(
        conference=conference, phase=Phase.PRESENTATION, participant=people["aunt"]
    ).exists()
    assert Attendance.objects.filter(conference=conference, professional__isnull=False).count() == 2

    day_start = timezone.make_aware(datetime.combine(YESTERDAY, time.min))
    # Two working days after the conference, to the end of that day (weekends do not count).
    assert case.plan_send_due == end_of_day(add_working_days(YESTERDAY, 2))
    assert case.follow_up_due == day_start + timedelta(days=28)
    assert case.implementation_due == day_start + timedelta(days=91)
    actions = list(AuditEvent.objects.filter(case=case).values_list("action", flat=True))
    assert Action.CONFERENCE_RECORDED in actions and Action.CASE_MOVED in actions

    summary = coordinator_client.get(_url(case))
    assert summary.status_code == 200
    assert "besloten tijd zonder coördinator en professionals" in summary.content.decode()


def test_deadlines_follow_the_settings(settings: Any) -> None:
    settings.KRING_PLAN_SEND_DAYS, settings.KRING_FOLLOW_UP_DAYS = 3, 30
    settings.KRING_IMPLEMENTATION_MONTHS = 6
    due = aftercare_deadlines(date(2026, 3, 10))
    start = timezone.make_aware(datetime(2026, 3, 10))

    # Tuesday + three working days: the end of Friday.
    assert due["plan_send_due"] == timezone.make_aware(datetime(2026, 3, 13, 23, 59, 59, 999999))
    assert due["follow_up_due"] == start + timedelta(days=30)
    assert due["implementation_due"] == start + timedelta(days=182)


def test_double_submit_records_one_conference(
    coordinator_client: Any, case: Case, people: dict[str, Any]
) -> None:
    profile = CoordinatorProfile.objects.get(user=case.coordinator)
    done_before = profile.conferences_done
    first = coordinator_client.post(_url(case), _post_data(people))
    second = coordinator_client.post(_url(case), _post_data(people, place="Ergens anders"))

    assert first.status_code == second.status_code == 302
    profile.refresh_from_db()
    assert profile.conferences_done == done_before + 1  # counted once, for the one conference
    assert Conference.objects.filter(case=case).count() == 1
    assert Conference.objects.get(case=case).place == "Buurthuis De Linde"
    assert AuditEvent.objects.filter(case=case, action=Action.CONFERENCE_RECORDED).count() == 1


def test_family_variant_refuses_professionals_in_private_time(
    coordinator_client: Any, case: Case, people: dict[str, Any]
) -> None:
    data = _post_data(people, professionals_private=[people["professional"].pk])

    response = coordinator_client.post(_url(case), data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Zet bij professionals geen vinkje in de besloten tijd." in html
    assert 'value="Buurthuis De Linde"' in html  # input kept
    case.refresh_from_db()
    assert case.status == Status.PLANNED
    assert not Conference.objects.filter(case=case).exists()


def test_family_rule_holds_in_the_domain_function_too(
    case: Case, people: dict[str, Any], coordinator: User
) -> None:
    data = ConferenceRecord(
        held_on=YESTERDAY,
        place="Thuis",
        professionals={Phase.PRIVATE: {people["professional"].pk}},
    )
    with pytest.raises(ConferenceError):
        record_conference(case, data, by=coordinator)
    assert not Conference.objects.filter(case=case).exists()


def test_other_variants_record_that_the_coordinator_led_private_time(
    client: Any, coordinator: User
) -> None:
    case = a_case(at=Status.PLANNED, variant=Variant.RESTORATIVE, coordinator=coordinator)
    pro = _professional(case)
    victim = _person(case, "Jan Smit", is_main_person=True)
    client.force_login(coordinator)

    assert "de coördinator leidde het gesprek" in client.get(_url(case)).content.decode()
    response = client.post(
        _url(case),
        {
            "held_on": YESTERDAY.isoformat(),
            "place": "Wijkcentrum",
            "participants_private": [victim.pk],
            "professionals_private": [pro.pk],
        },
    )

    assert response.status_code == 302
    conference = Conference.objects.get(case=case)
    assert conference.coordinator_led_private_time is True
    assert Attendance.objects.filter(conference=conference, professional=pro).count() == 1


def test_times_out_of_order_are_refused_in_dutch(
    coordinator_client: Any, case: Case, people: dict[str, Any]
) -> None:
    data = _post_data(people, private_started_at="09:30", presentation_started_at=None)

    response = coordinator_client.post(_url(case), data)

    assert response.status_code == 400
    assert "Deze tijd moet later zijn dan 10:00." in response.content.decode()
    assert not Conference.objects.filter(case=case).exists()


def test_time_order_skips_the_times_left_open() -> None:
    assert times_out_of_order({"information_started_at": time(10), "ended_at": time(14)}) == {}
    errors = times_out_of_order({"private_started_at": time(12), "ended_at": time(11)})
    assert list(errors) == ["ended_at"]


def test_a_date_in_the_future_is_refused(
    coordinator_client: Any, case: Case, people: dict[str, Any]
) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = coordinator_client.post(_url(case), _post_data(people, held_on=tomorrow.isoformat()))

    assert response.status_code == 400
    assert "in de toekomst" in response.content.decode()


def test_someone_not_invited_cannot_be_marked_present(
    coordinator_client: Any, case: Case, people: dict[str, Any]
) -> None:
    data = _post_data(people, participants_information=[people["father"].pk])

    response = coordinator_client.post(_url(case), data)

    assert response.status_code == 400
    assert not Conference.objects.filter(case=case).exists()


def test_only_a_planned_case_can_record_a_conference(
    coordinator_client: Any, case: Case, people: dict[str, Any]
) -> None:
    walk_to(case, Status.PREPARATION)  # the date was given up

    response = coordinator_client.post(_url(case), _post_data(people))

    assert response.status_code == 302
    assert response.url == reverse("preparation:workspace", args=[case.pk])
    assert not Conference.objects.filter(case=case).exists()


def test_the_regions_manager_may_record_it(
    client: Any, manager: User, case: Case, people: dict[str, Any]
) -> None:
    client.force_login(manager)

    assert client.post(_url(case), _post_data(people)).status_code == 302
    assert Case.objects.get(pk=case.pk).status == Status.HELD


def test_scoping_other_coordinator_manager_and_professional(
    client: Any, case: Case, people: dict[str, Any], other_manager: User, professional: User
) -> None:
    for user, expected in (
        (UserFactory(role="coordinator"), 404),
        (other_manager, 404),
        (professional, 403),
    ):
        client.force_login(user)
        assert client.get(_url(case)).status_code == expected
        assert client.post(_url(case), _post_data(people)).status_code == expected
    assert not Conference.objects.filter(case=case).exists()
    assert Case.objects.get(pk=case.pk).status == Status.PLANNED
