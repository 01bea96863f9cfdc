"""Independence and matching rules that hold (issue 11 §3), through the database and pages."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import Organisation
from kring.audit.models import Action, AuditEvent, Outcome
from kring.cases.domain import decide
from kring.cases.models import Status
from kring.coordinators import views
from kring.coordinators.conflicts import surname
from kring.coordinators.domain import OfferRefused, make_offer, propose
from kring.coordinators.models import (
    Affiliation,
    CoordinatorProfile,
    CoordinatorStatus,
    DeclaredConflict,
    Offer,
    OfferStatus,
)
from kring.coordinators.tests.test_offers import make_profile
from kring.factories import make_case
from kring.preparation.models import Category, Participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def matching_case():
    return make_case(status=Status.MATCHING)


def proposed(case):
    return [p.profile for p in propose(case)]


# ---------- Who may be proposed at all ----------


def test_only_trained_coordinators_of_the_cases_region_with_a_current_declaration(
    matching_case,
):
    today = timezone.localdate()
    fit = make_profile()
    make_profile(status=CoordinatorStatus.CANDIDATE)  # an applicant, not trained
    make_profile(regions=("gelderland",))  # lives near by, works in another region
    make_profile(independence_declared_on=today - timedelta(days=365))  # lapsed yesterday
    make_profile(independence_declared_on=None)  # never signed
    last_day = make_profile(independence_declared_on=today - timedelta(days=364))
    assert sorted(p.pk for p in proposed(matching_case)) == sorted([fit.pk, last_day.pk])


def test_the_declaration_counts_365_days_including_the_day_of_signing():
    profile = make_profile(independence_declared_on=timezone.localdate())
    assert profile.independence_valid_until() == timezone.localdate() + timedelta(days=364)


def test_every_proposed_coordinator_has_at_least_one_reason(matching_case):
    # No home postcode, no wishes, experienced, a case today: nothing else to say about them.
    profile = make_profile(conferences_done=8)
    CoordinatorProfile.objects.filter(pk=profile.pk).update(
        home_postcode=None, last_case_at=timezone.now()
    )
    [proposal] = propose(matching_case)
    assert proposal.ranked.reasons == ["getraind voor individu en familie, werkt in deze regio"]


# ---------- Offers to paused or stopped coordinators, on cases no longer in matching ----------


@pytest.mark.parametrize("status", [CoordinatorStatus.PAUSED, CoordinatorStatus.STOPPED])
def test_an_offer_to_a_paused_or_stopped_coordinator_gets_a_message(
    client, manager, matching_case, status
):
    profile = make_profile(status=status)
    client.force_login(manager)
    response = client.post(
        reverse("coordinators:offer_make", args=[matching_case.pk]),
        {"profile": profile.pk},
        follow=True,
    )
    assert response.status_code == 200
    assert "gepauzeerd of gestopt" in response.content.decode()
    assert not Offer.objects.exists()


def test_an_offer_to_a_switched_off_account_gets_a_message(manager, matching_case):
    profile = make_profile()
    profile.user.is_active = False
    profile.user.save()
    with pytest.raises(OfferRefused, match="kan nu geen traject"):
        make_offer(matching_case, profile, by=manager)


def set_status_on_the_profile_page(client, manager, profile, status):
    """As a manager does it: the pause or resume button on the profile page (the status has
    no field of its own; kring.training owns its changes)."""
    client.force_login(manager)
    if status == CoordinatorStatus.PAUSED:
        url = reverse("training:coordinator_pause", args=[profile.pk])
        response = client.post(url, {"reason": "Even rust."})
    else:
        response = client.post(reverse("training:coordinator_resume", args=[profile.pk]))
    assert response.status_code == 302, response.content.decode()[-2000:]
    profile.refresh_from_db()
    assert profile.status == status


def test_accepting_after_being_paused_withdraws_the_offer_with_a_message(
    client, manager, matching_case, django_capture_on_commit_callbacks
):
    profile = make_profile()
    offer = make_offer(matching_case, profile, by=manager)
    set_status_on_the_profile_page(client, manager, profile, CoordinatorStatus.PAUSED)
    client.force_login(profile.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("coordinators:offer_accept", args=[offer.pk]), follow=True)
    assert response.status_code == 200
    assert "Je staat op pauze of bent gestopt" in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN
    assert CoordinatorProfile.objects.get(pk=profile.pk).load == 0
    matching_case.refresh_from_db()
    assert matching_case.status == Status.MATCHING and matching_case.coordinator is None
    assert AuditEvent.objects.filter(
        action=Action.OFFER_ACCEPTED, outcome=Outcome.REFUSED, case=matching_case
    ).exists()
    assert [m.to for m in mail.outbox if "ingetrokken" in m.subject] == [[manager.email]]
    # The manager may ask them again once they are back.
    set_status_on_the_profile_page(client, manager, profile, CoordinatorStatus.EK2)
    assert profile in proposed(matching_case)


def test_accepting_an_offer_on_a_withdrawn_case_gets_a_message(client, manager, matching_case):
    profile = make_profile()
    offer = make_offer(matching_case, profile, by=manager)
    decide(matching_case, Status.WITHDRAWN, by=manager, note="De familie ziet ervan af.")
    client.force_login(profile.user)
    response = client.post(reverse("coordinators:offer_accept", args=[offer.pk]), follow=True)
    assert response.status_code == 200
    assert "Dit aanbod is ingetrokken" in response.content.decode()
    matching_case.refresh_from_db()
    assert matching_case.status == Status.WITHDRAWN and matching_case.coordinator is None


# ---------- The offer page and "ik ken dit gezin" ----------


def test_surname_keeps_its_particles():
    assert surname("Jan van der Berg") == "van der Berg"
    assert surname("Fatima El Amrani") == "El Amrani"
    assert surname("Truus de Vries") == "de Vries"
    assert surname("Cher") == "Cher"
    assert surname("  ") == ""


def test_the_offer_shows_surnames_town_and_organisations(client, manager):
    referrer_org = Organisation.objects.create(name="Wijkteam Oost")
    case = make_case(status=Status.MATCHING, referrer_organisation=referrer_org, postcode="3811 AB")
    case.request.main_persons.update(name="Quirijn van der Berg")
    Participant.objects.create(case=case, name="Olufemi Aziz", category=Category.FAMILY)
    profile = make_profile()
    make_offer(case, profile, by=manager)
    client.force_login(profile.user)
    page = client.get(reverse("coordinators:offers")).content.decode()
    assert "van der Berg" in page and "Aziz" in page
    assert "Quirijn" not in page and "Olufemi" not in page  # surnames only
    assert "Amersfoort" in page  # the town of postcode 3811
    assert "Wijkteam Oost" in page


def test_declining_as_knowing_the_family_blocks_them_for_that_family_next_time(
    client, manager, matching_case
):
    name = matching_case.request.main_persons.get().name
    profile = make_profile()
    offer = make_offer(matching_case, profile, by=manager)
    client.force_login(profile.user)
    client.post(reverse("coordinators:offer_decline", args=[offer.pk]), {"knows_family": "on"})
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DECLINED
    assert offer.decline_reason == "Ik ken dit gezin of heb er belang bij."
    conflict = DeclaredConflict.objects.get(profile=profile, case=matching_case)
    assert conflict.names  # kept normalised for matching
    assert AuditEvent.objects.filter(
        action=Action.PROFILE_UPDATED, case=matching_case, detail__declared_conflict=True
    ).exists()
    # A new request from the same family, months later.
    again = make_case(status=Status.MATCHING)
    again.request.main_persons.update(name=name.upper())
    assert profile not in proposed(again)
    assert profile in proposed(make_case(status=Status.MATCHING))  # other families: fine
    # Their profile lists the case, never the names.
    page = client.get(reverse("coordinators:my_profile")).content.decode()
    assert matching_case.request.reference in page and name not in page


def test_a_plain_decline_records_no_relationship(client, manager, matching_case):
    profile = make_profile()
    offer = make_offer(matching_case, profile, by=manager)
    client.force_login(profile.user)
    client.post(reverse("coordinators:offer_decline", args=[offer.pk]), {"reason": "Geen tijd"})
    assert not DeclaredConflict.objects.exists()


# ---------- People and organisations added during preparation ----------


@pytest.fixture
def assigned():
    profile = make_profile(declared_relationships="Truus de Vries\n")
    case = make_case(status=Status.PREPARATION, coordinator=profile.user)
    return case, profile


def test_adding_someone_the_coordinator_knows_warns_both_and_is_logged(
    client, manager, assigned, django_capture_on_commit_callbacks
):
    case, profile = assigned
    client.force_login(profile.user)
    url = reverse("preparation:participant_add", args=[case.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"name": "truus  de vries", "relation": "oma", "category": Category.FAMILY},
            follow=True,
        )  # fmt: skip
    assert "Let op: truus de vries staat bij de mensen die je kent" in response.content.decode()
    person = Participant.objects.get(case=case, name__iexact="truus de vries")
    event = AuditEvent.objects.get(case=case, detail__independence_warning="relationship")
    assert event.object_id == str(person.pk) and event.actor == profile.user
    [warning] = [m for m in mail.outbox if "onafhankelijkheid" in m.subject]
    assert warning.to == [profile.user.email, manager.email]
    assert "Truus" not in warning.body  # the mail names the case, not the person


def test_adding_someone_else_warns_nobody(client, assigned):
    case, profile = assigned
    client.force_login(profile.user)
    client.post(
        reverse("preparation:participant_add", args=[case.pk]),
        {"name": "Henk Jansen", "relation": "buurman", "category": Category.COMMUNITY},
    )
    assert Participant.objects.filter(case=case, name="Henk Jansen").exists()
    assert not AuditEvent.objects.filter(detail__has_key="independence_warning").exists()
    assert not [m for m in mail.outbox if "onafhankelijkheid" in m.subject]


def test_inviting_a_professional_of_a_tied_organisation_warns_and_is_logged(
    client, manager, assigned, django_capture_on_commit_callbacks
):
    case, profile = assigned
    tie = Organisation.objects.create(name="Veilig Thuis Utrecht")
    Affiliation.objects.create(profile=profile, organisation=tie)
    client.force_login(profile.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("preparation:professionals", args=[case.pk]),
            {"name": "Els de Wit", "email": "els@vt.example",
             "organisation": "veilig thuis utrecht"},
            follow=True,
        )  # fmt: skip
    assert "je hebt een band met Veilig Thuis Utrecht" in response.content.decode()
    assert AuditEvent.objects.filter(
        case=case, action=Action.PROFESSIONAL_INVITED, detail__independence_warning="affiliation"
    ).exists()
    [warning] = [m for m in mail.outbox if "onafhankelijkheid" in m.subject]
    assert manager.email in warning.to and "organisatie" in warning.body


def test_the_periodic_command_enqueues_the_declaration_reminders(db, capsys):
    call_command("kring_periodic")
    assert "send_due_independence_reminders enqueued" in capsys.readouterr().out


# ---------- The batch page says what it left out ----------


def test_the_batch_page_states_what_it_left_out_and_why(client, manager, monkeypatch):
    monkeypatch.setattr(views, "BATCH_LIMIT", 3)
    served = make_case(status=Status.MATCHING)
    crowded = make_case(status=Status.MATCHING)
    nobody_may = make_case(status=Status.MATCHING, variant="restorative")
    make_case(status=Status.MATCHING)  # the fourth: beyond the limit of three
    make_profile(status=CoordinatorStatus.CERTIFIED)  # family only
    client.force_login(manager)
    response = client.get(reverse("coordinators:batch"))
    proposal = response.context["proposal"]
    rows = {row.case.pk: row for row in proposal.rows}
    # Two family cases, one coordinator: one is served, the other left out for capacity.
    assert {rows[served.pk].left_out, rows[crowded.pk].left_out} == {None, "capacity"}
    assert rows[nobody_may.pk].left_out == "no_allowed"
    assert (proposal.no_allowed, proposal.capacity, proposal.over_limit) == (1, 1, 1)
    page = response.content.decode()
    assert "3 trajecten krijgen geen voorstel" in page
    assert "hooguit 3 trajecten" in page


def test_the_batch_page_counts_cases_waiting_for_an_answer(client, manager):
    case = make_case(status=Status.MATCHING)
    make_offer(case, make_profile(), by=manager)
    client.force_login(manager)
    page = client.get(reverse("coordinators:batch")).content.decode()
    assert "1 traject wacht op het antwoord op een aanbod" in page
