"""Removing someone added to the circle by mistake: confirm first, what goes with them, refused
while anything else depends on them, logged without the name, scoped like the circle."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kring.audit.models import Action, AuditEvent, Outcome
from kring.cases.models import Status
from kring.factories import UserFactory, make_case, walk_to
from kring.plans.models import (
    Agreement,
    Attendance,
    Conference,
    Distribution,
    FamilyLink,
    Phase,
    Plan,
)
from kring.preparation.circle.domain import (
    RemovalBlocker,
    removal_blockers,
    remove_participant,
)
from kring.preparation.models import (
    Category,
    ContactNote,
    Invitation,
    InvitationStatus,
    Participant,
    PollAnswer,
    PollResponse,
    PollSlot,
    Separation,
)
from kring.stats.models import StaleCase

pytestmark = pytest.mark.django_db

SUGGESTION = "Zet de uitnodiging dan op ‘Komt niet’."


@pytest.fixture
def case(coordinator):
    return make_case(status=Status.PREPARATION, coordinator=coordinator)


def remove_url(participant):
    return reverse("preparation:participant_remove", args=[participant.case_id, participant.pk])


def circle_url(case):
    return reverse("preparation:circle", args=[case.pk])


def person(case, name="Truus Bakker", relation="oma", **fields):
    return Participant.objects.create(
        case=case, name=name, relation=relation, category=Category.FAMILY, **fields
    )


def note(participant, line="Gebeld"):
    return ContactNote.objects.create(
        participant=participant, on=timezone.localdate(), line=line, by=participant.case.coordinator
    )


def with_everything_that_goes(case):
    """Truus with three notes, a separation, a poll answer, and Ans whom she named."""
    truus = person(case)
    for line in ("Gebeld", "Bezocht", "Ge-sms't"):
        note(truus, line)
    piet = person(case, name="Piet Bakker", relation="opa")
    Separation.objects.create(case=case, first=truus, second=piet, arrangement="Apart")
    slot = PollSlot.objects.create(case=case, starts_at=timezone.now() + timedelta(days=10))
    PollResponse.objects.create(slot=slot, participant=truus, answer=PollAnswer.YES)
    ans = person(case, name="Ans Bakker", relation="tante", named_by=truus)
    return truus, piet, ans


# ---------- Removing ----------


def test_the_confirm_page_says_who_goes_and_what_goes_with_them(case, coordinator_client):
    truus, _piet, _ans = with_everything_that_goes(case)
    response = coordinator_client.get(remove_url(truus))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Truus Bakker wordt uit de kring verwijderd." in body
    assert "3 notities uit het contactlogboek" in body
    assert "1 afspraak over wie elkaar niet zomaar kunnen treffen" in body
    assert "1 antwoord op de datumprikker" in body
    assert "Deze persoon noemde 1 ander; die blijft in de kring" in body
    assert "Ans Bakker" in body
    assert f'action="{remove_url(truus)}"' in body
    # Looking is not removing.
    assert Participant.objects.filter(pk=truus.pk).exists()
    assert ContactNote.objects.filter(participant=truus).count() == 3


def test_someone_with_nothing_recorded(case, coordinator_client):
    truus = person(case)
    body = coordinator_client.get(remove_url(truus)).content.decode()
    assert "Er is verder niets over deze persoon vastgelegd." in body


def test_removing_takes_what_goes_with_them_and_keeps_whom_they_named(
    case, coordinator, coordinator_client
):
    truus, piet, ans = with_everything_that_goes(case)
    truus_pk = truus.pk
    StaleCase.objects.all().delete()

    response = coordinator_client.post(remove_url(truus), follow=True)

    assert response.redirect_chain[-1][0] == circle_url(case)
    assert "Truus Bakker staat niet meer in de kring." in response.content.decode()
    assert not Participant.objects.filter(pk=truus_pk).exists()
    assert not ContactNote.objects.filter(participant_id=truus_pk).exists()
    assert not Separation.objects.filter(case=case).exists()
    assert not PollResponse.objects.filter(participant_id=truus_pk).exists()
    ans.refresh_from_db()
    assert ans.named_by is None  # Ans stays, only "genoemd door" goes
    assert Participant.objects.filter(pk=piet.pk).exists()
    # The figures are marked to be recomputed (stats signal on Participant delete).
    assert StaleCase.objects.filter(case_id=case.pk).exists()


def test_the_removal_is_logged_with_id_and_relation_never_the_name(
    case, coordinator, coordinator_client
):
    truus, _piet, ans = with_everything_that_goes(case)
    truus_pk = truus.pk
    coordinator_client.post(remove_url(truus))
    event = AuditEvent.objects.get(action=Action.PARTICIPANT_REMOVED)
    assert event.actor == coordinator
    assert event.case_id == case.pk
    assert event.outcome == Outcome.OK
    assert (event.object_type, event.object_id) == ("participant", str(truus_pk))
    assert event.detail["relation"] == "oma"
    assert event.detail["notes"] == 3
    assert event.detail["named_by_cleared"] == [ans.pk]
    assert not AuditEvent.objects.filter(detail__icontains="Truus").exists()


def test_a_second_post_finds_nothing_and_says_so(case, coordinator_client):
    truus = person(case)
    url = remove_url(truus)
    assert coordinator_client.post(url).status_code == 302
    response = coordinator_client.post(url, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == circle_url(case)
    assert "Deze persoon staat niet (meer) in de kring." in response.content.decode()
    assert AuditEvent.objects.filter(action=Action.PARTICIPANT_REMOVED).count() == 1
    # Going back to the confirm page afterwards is just as harmless.
    assert coordinator_client.get(url).status_code == 302


def test_the_domain_function_is_idempotent(case, coordinator):
    truus = person(case)
    assert remove_participant(case, truus.pk, by=coordinator) is not None
    assert remove_participant(case, truus.pk, by=coordinator) is None


def test_a_participant_of_another_case_is_not_removed_through_this_case(
    case, coordinator, coordinator_client
):
    stranger = person(make_case(status=Status.PREPARATION))
    url = reverse("preparation:participant_remove", args=[case.pk, stranger.pk])
    assert coordinator_client.post(url).status_code == 302
    assert Participant.objects.filter(pk=stranger.pk).exists()
    assert remove_participant(case, stranger.pk, by=coordinator) is None
    assert Participant.objects.filter(pk=stranger.pk).exists()


def test_the_manager_of_the_region_may_remove(case, client, manager):
    truus = person(case)
    client.force_login(manager)
    assert client.get(remove_url(truus)).status_code == 200
    assert client.post(remove_url(truus)).status_code == 302
    assert not Participant.objects.filter(pk=truus.pk).exists()


def test_the_edit_page_offers_removal_except_for_a_main_person(case, coordinator_client):
    truus = person(case)
    main = person(case, name="Sanne de Vries", relation="", is_main_person=True)
    edit = "preparation:participant_edit"
    body = coordinator_client.get(reverse(edit, args=[case.pk, truus.pk])).content.decode()
    assert remove_url(truus) in body
    body = coordinator_client.get(reverse(edit, args=[case.pk, main.pk])).content.decode()
    assert 'data-testid="remove-link"' not in body


# ---------- Refused while something depends on them ----------


def _plan(case):
    return Plan.objects.get_or_create(case=case)[0]


def _conference(case):
    return Conference.objects.create(
        case=case, held_on=timezone.localdate(), place="Buurthuis", recorded_by=case.coordinator
    )


def make_main_person(participant):
    Participant.objects.filter(pk=participant.pk).update(is_main_person=True)


def make_agreement(participant):
    agreement = Agreement.objects.create(
        plan=_plan(participant.case), what="Oma haalt Sara op", life_domain="parenting"
    )
    agreement.who_participants.add(participant)


def make_attendance(participant):
    conference = _conference(participant.case)
    Attendance.objects.create(
        conference=conference, phase=Phase.INFORMATION, participant=participant
    )


def make_invitation(participant):
    Invitation.objects.create(
        participant=participant,
        channel=Invitation.Channel.EMAIL,
        sent_at=timezone.now(),
        conference_at=timezone.now() + timedelta(days=14),
    )


def make_distribution(participant):
    Distribution.objects.create(
        plan=_plan(participant.case),
        participant=participant,
        plan_version=1,
        channel=Distribution.Channel.EMAIL,
        sent_at=timezone.now(),
        sent_by=participant.case.coordinator,
    )


def make_family_link(participant):
    FamilyLink.objects.create(
        plan=_plan(participant.case),
        participant=participant,
        token_hash="0" * 64,
        created_by=participant.case.coordinator,
        expires_at=timezone.now() + timedelta(days=365),
    )


DEPENDENCIES = [
    (make_main_person, RemovalBlocker.MAIN_PERSON, "Deze persoon is hoofdpersoon."),
    (make_agreement, RemovalBlocker.AGREEMENT, "Deze persoon staat bij een afspraak in het plan."),
    (make_attendance, RemovalBlocker.ATTENDANCE, "Deze persoon was bij de conferentie"),
    (make_invitation, RemovalBlocker.INVITATION, "al een uitnodiging voor de conferentie"),
    (make_distribution, RemovalBlocker.DISTRIBUTION, "heeft het plan toegestuurd gekregen"),
    (make_family_link, RemovalBlocker.FAMILY_LINK, "een eigen link om het plan te lezen"),
]


@pytest.mark.parametrize(
    ("depend", "blocker", "message"), DEPENDENCIES, ids=[d[1].value for d in DEPENDENCIES]
)
def test_refused_while_something_depends_on_them(
    case, coordinator, coordinator_client, depend, blocker, message
):
    truus = person(case, status=InvitationStatus.COMES)
    note(truus)
    ans = person(case, name="Ans Bakker", relation="tante", named_by=truus)
    depend(truus)
    assert removal_blockers(truus) == [blocker]

    page = coordinator_client.get(remove_url(truus))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Truus Bakker kan niet uit de kring worden verwijderd:" in body
    assert message in body
    assert SUGGESTION in body
    assert "Ja, Truus Bakker verwijderen" not in body  # no button to go ahead

    response = coordinator_client.post(remove_url(truus))
    assert response.status_code == 409
    assert message in response.content.decode()
    assert SUGGESTION in response.content.decode()
    # Nothing half-deleted.
    assert Participant.objects.filter(pk=truus.pk).exists()
    assert ContactNote.objects.filter(participant=truus).count() == 1
    ans.refresh_from_db()
    assert ans.named_by_id == truus.pk
    refused = AuditEvent.objects.get(action=Action.PARTICIPANT_REMOVED)
    assert refused.outcome == Outcome.REFUSED
    assert refused.detail == {"participant": truus.pk, "blockers": [blocker.value]}


def test_every_reason_is_listed(case):
    truus = person(case)
    make_invitation(truus)
    make_agreement(truus)
    assert removal_blockers(truus) == [RemovalBlocker.AGREEMENT, RemovalBlocker.INVITATION]


def test_every_relation_to_a_participant_either_blocks_or_goes_along():
    """A new model pointing at Participant must be decided on here (and in circle.py)."""
    blocking = {
        ("plans", "attendance"),
        ("plans", "agreement"),
        ("plans", "agreement_who_participants"),
        ("plans", "distribution"),
        ("plans", "familylink"),
        ("preparation", "invitation"),
    }
    goes_along = {
        ("preparation", "contactnote"),
        ("preparation", "separation"),
        ("preparation", "pollresponse"),
        ("preparation", "participant"),  # named_by: set to null
        # Made only for someone who took part or said they would come (an attendance or an
        # invitation already blocks the removal); cascades with them otherwise.
        ("evaluation", "questionnaire"),
    }
    related = {
        (rel.related_model._meta.app_label, rel.related_model._meta.model_name)
        for rel in Participant._meta.get_fields(include_hidden=True)
        if rel.is_relation and rel.auto_created
    }
    assert related == blocking | goes_along


# ---------- Who may remove ----------


def test_a_coordinator_of_another_case_gets_404(case, client):
    truus = person(case)
    client.force_login(UserFactory(role="coordinator"))
    assert client.get(remove_url(truus)).status_code == 404
    assert client.post(remove_url(truus)).status_code == 404
    assert Participant.objects.filter(pk=truus.pk).exists()


def test_a_coordinator_whose_involvement_ended_gets_404(case, coordinator_client):
    truus = person(case)
    walk_to(case, Status.FOLLOWED_UP)
    assert coordinator_client.get(remove_url(truus)).status_code == 404
    assert coordinator_client.post(remove_url(truus)).status_code == 404
    assert Participant.objects.filter(pk=truus.pk).exists()


def test_a_manager_of_another_region_gets_404(case, client, other_manager):
    truus = person(case)
    client.force_login(other_manager)
    assert client.post(remove_url(truus)).status_code == 404
    assert Participant.objects.filter(pk=truus.pk).exists()


@pytest.mark.parametrize("role", ["professional", "researcher"])
def test_other_roles_are_refused(case, client, role, request):
    truus = person(case)
    client.force_login(request.getfixturevalue(role))
    assert client.get(remove_url(truus)).status_code == 403
    assert client.post(remove_url(truus)).status_code == 403
    assert Participant.objects.filter(pk=truus.pk).exists()
    assert not AuditEvent.objects.filter(action=Action.PARTICIPANT_REMOVED).exists()


# ---------- Query count ----------


def test_the_circle_page_costs_the_same_after_a_removal(case, coordinator_client):
    for i in range(6):
        note(person(case, name=f"Persoon {i}", relation="neef"))
    coordinator_client.get(circle_url(case))  # the first visit adds the main persons

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert coordinator_client.get(circle_url(case)).status_code == 200
        return len(queries)

    before = count()
    coordinator_client.post(remove_url(Participant.objects.get(name="Persoon 0")))
    assert count() == before
