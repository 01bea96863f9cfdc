from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from kring.accounts.models import Organisation, Postcode, Region, Role
from kring.audit.models import Action, AuditEvent
from kring.cases.domain import decide
from kring.cases.models import Case, Status
from kring.coordinators.domain import (
    OfferRefused,
    accept_offer,
    decline_offer,
    expire_offers,
    make_offer,
    propose,
)
from kring.coordinators.models import (
    Affiliation,
    CoordinatorProfile,
    CoordinatorStatus,
    Language,
    Offer,
    OfferStatus,
    Unavailability,
)
from kring.factories import UserFactory, make_case
from kring.preparation.workspace.domain import start_preparation

pytestmark = pytest.mark.django_db


def make_profile(
    pc4="3512", status=CoordinatorStatus.EK2, languages=(), regions=("utrecht",), **fields
):
    user = UserFactory(role=Role.COORDINATOR)
    recent = timezone.localdate() - timedelta(days=100)
    profile = CoordinatorProfile.objects.create(
        user=user,
        home_postcode=Postcode.objects.get(pc4=pc4),
        status=status,
        vog_issued_on=fields.pop("vog_issued_on", recent),
        independence_declared_on=fields.pop("independence_declared_on", recent),
        birth_year=1975,
        gender=fields.pop("gender", "female"),
        **fields,
    )
    profile.languages.set(Language.objects.filter(code__in=languages))
    profile.regions.set(Region.objects.filter(slug__in=regions))
    return profile


@pytest.fixture
def matching_case():
    return make_case(status=Status.MATCHING)


def test_the_manager_gets_up_to_ten_explained_candidates_nearest_first(matching_case):
    near = make_profile(pc4="3512")
    far = make_profile(pc4="9712")
    for _ in range(10):
        make_profile(pc4="3581")
    proposals = propose(matching_case)
    assert len(proposals) == 10
    ids = [p.profile.pk for p in proposals]
    assert near.pk in ids
    assert far.pk not in ids  # Groningen is beyond everyone's 40 km
    top = proposals[0]
    assert any("km" in reason for reason in top.ranked.reasons)


def test_hard_rules_keep_a_conflicted_coordinator_out(matching_case):
    organisation = Organisation.objects.create(name="Jeugdzorg Utrecht")
    matching_case.request.referrer_organisation = organisation
    matching_case.request.save()
    tied = make_profile()
    Affiliation.objects.create(profile=tied, organisation=organisation)
    make_profile(vog_issued_on=date(2015, 1, 1))  # expired VOG
    away = make_profile()
    today = timezone.localdate()
    Unavailability.objects.create(profile=away, starts_on=today, ends_on=today + timedelta(days=3))
    free = make_profile()
    proposed = {p.profile.pk for p in propose(matching_case)}
    assert proposed == {free.pk}
    with pytest.raises(OfferRefused):
        make_offer(matching_case, tied, by=UserFactory(role=Role.OFFICE))


def test_a_language_wish_gives_its_reason(matching_case):
    matching_case.request.wish_languages.set(Language.objects.filter(code="tir"))
    speaker = make_profile(languages=["tir", "nld"])
    make_profile(languages=["nld"])
    best = propose(matching_case)[0]
    assert best.profile == speaker
    assert any("Tigrinya" in reason for reason in best.ranked.reasons)


def test_offer_accept_assigns_the_case_and_starts_the_contact_clock(
    matching_case, manager, django_capture_on_commit_callbacks
):
    profile = make_profile()
    with django_capture_on_commit_callbacks(execute=True):
        offer = make_offer(matching_case, profile, by=manager)
    assert mail.outbox[-1].to == [profile.user.email]
    assert offer.reasons
    with django_capture_on_commit_callbacks(execute=True):
        accept_offer(offer, by=profile.user)
    case = Case.objects.get(pk=matching_case.pk)
    assert case.status == Status.ASSIGNED
    assert case.coordinator == profile.user
    assert case.first_contact_due > timezone.now() + timedelta(days=2)
    assert mail.outbox[-1].to == [manager.email]
    actions = list(AuditEvent.objects.filter(case=case).values_list("action", flat=True))
    assert Action.OFFER_MADE in actions and Action.OFFER_ACCEPTED in actions
    assert CoordinatorProfile.objects.get(pk=profile.pk).load == 1


def test_declining_frees_the_place_and_proposes_someone_else(matching_case, manager):
    first, second = make_profile(), make_profile()
    offer = make_offer(matching_case, first, by=manager)
    assert propose(matching_case) == []  # an open offer: nothing else is proposed meanwhile
    decline_offer(offer, by=first.user, reason="te ver weg")
    assert CoordinatorProfile.objects.get(pk=first.pk).load == 0
    assert [p.profile for p in propose(matching_case)] == [second]


def test_silence_expires_the_offer_once(matching_case, manager, django_capture_on_commit_callbacks):
    profile = make_profile()
    offer = make_offer(matching_case, profile, by=manager)
    later = timezone.now() + timedelta(hours=25)
    with django_capture_on_commit_callbacks(execute=True):
        assert expire_offers(later) == 1
    assert expire_offers(later) == 0
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.EXPIRED
    assert CoordinatorProfile.objects.get(pk=profile.pk).load == 0
    assert mail.outbox[-1].to == [manager.email]
    with pytest.raises(OfferRefused):
        accept_offer(offer, by=profile.user, now=later)


def test_a_coordinator_is_never_offered_beyond_capacity(manager):
    profile = make_profile()
    make_offer(make_case(status=Status.MATCHING), profile, by=manager)
    with pytest.raises(OfferRefused, match="geen ruimte"):
        make_offer(make_case(status=Status.MATCHING), profile, by=manager)
    assert CoordinatorProfile.objects.get(pk=profile.pk).load == 1


def test_the_database_refuses_a_load_above_capacity():
    profile = make_profile()
    with pytest.raises(IntegrityError):
        CoordinatorProfile.objects.filter(pk=profile.pk).update(load=2)


def test_only_one_open_offer_per_case(matching_case, manager):
    make_offer(matching_case, make_profile(), by=manager)
    with pytest.raises(OfferRefused):
        make_offer(matching_case, make_profile(), by=manager)


def test_only_the_offered_coordinator_can_answer(matching_case, manager):
    offer = make_offer(matching_case, make_profile(), by=manager)
    other = make_profile()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        accept_offer(offer, by=other.user)


def test_the_end_of_involvement_frees_the_coordinators_place(matching_case, manager):
    profile = make_profile()
    accept_offer(make_offer(matching_case, profile, by=manager), by=profile.user)
    case = Case.objects.get(pk=matching_case.pk)
    start_preparation(case, by=manager)
    assert CoordinatorProfile.objects.get(pk=profile.pk).load == 1
    decide(case, Status.STOPPED, by=manager, stop_reason="other")
    assert CoordinatorProfile.objects.get(pk=profile.pk).load == 0


def test_the_full_flow_through_the_pages(client, manager, django_capture_on_commit_callbacks):
    case = make_case(status=Status.MATCHING)
    profile = make_profile(languages=["nld"])
    client.force_login(manager)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert f"Aanbieden aan {escape(str(profile))}" in page  # names like "van 't Hek" escape
    client.post(reverse("coordinators:offer_make", args=[case.pk]), {"profile": profile.pk})
    offer = Offer.objects.get()
    client.force_login(profile.user)
    offers_page = client.get(reverse("coordinators:offers")).content.decode()
    assert case.request.question in offers_page
    assert case.request.situation not in offers_page  # no dossier before accepting
    client.post(reverse("coordinators:offer_accept", args=[offer.pk]))
    assert Case.objects.get(pk=case.pk).coordinator == profile.user
    client.force_login(manager)
    timeline = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Aanbod geaccepteerd" in timeline


def test_a_coordinator_cannot_answer_someone_elses_offer_through_the_page(client, manager):
    offer = make_offer(make_case(status=Status.MATCHING), make_profile(), by=manager)
    client.force_login(make_profile().user)
    assert client.post(reverse("coordinators:offer_accept", args=[offer.pk])).status_code == 404
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.OPEN


def test_the_batch_page_proposes_distinct_coordinators(client, manager):
    cases = [make_case(status=Status.MATCHING) for _ in range(3)]
    profiles = [make_profile() for _ in range(2)]
    client.force_login(manager)
    response = client.get(reverse("coordinators:batch"))
    rows = response.context["rows"]
    assert [row.case for row in rows] == cases
    chosen = [row.profile for row in rows if row.profile]
    assert sorted(p.pk for p in chosen) == sorted(p.pk for p in profiles)
    assert (
        "De coördinatoren die dit mogen doen zijn voor een ander traject"
        in response.content.decode()
    )


def test_an_invited_professionals_organisation_blocks_tied_coordinators(matching_case, manager):
    from kring.preparation.models import ProfessionalInvolvement

    organisation = Organisation.objects.create(name="Veilig Thuis Utrecht")
    ProfessionalInvolvement.objects.create(
        case=matching_case,
        name="Els de Wit",
        email="els@vt.example",
        organisation=organisation,
        invited_at=timezone.now(),
        invited_by=manager,
    )
    tied = make_profile()
    Affiliation.objects.create(profile=tied, organisation=organisation)
    free = make_profile()
    assert [p.profile for p in propose(matching_case)] == [free]


def _asked(case, profile, manager, *, then):
    """Offer `case` to `profile`, who then declines it or lets it expire."""
    offer = make_offer(case, profile, by=manager)
    if then == "declined":
        decline_offer(offer, by=profile.user, reason="Geen tijd")
    else:
        expire_offers(offer.answer_due + timedelta(minutes=1))
    assert Offer.objects.get(pk=offer.pk).status == then


def _batch_rows(client, manager):
    client.force_login(manager)
    response = client.get(reverse("coordinators:batch"))
    return response, {row.case.pk: row for row in response.context["rows"]}


@pytest.mark.parametrize("then", [OfferStatus.DECLINED, OfferStatus.EXPIRED])
def test_the_batch_proposes_the_next_coordinator_after_the_best_was_asked(client, manager, then):
    case = make_case(status=Status.MATCHING)
    best, second = make_profile(pc4="3512"), make_profile(pc4="3581")
    assert [p.profile for p in propose(case)] == [best, second]
    _asked(case, best, manager, then=then)
    _, rows = _batch_rows(client, manager)
    # The same coordinator as on the case page, not "no fitting coordinator".
    assert [p.profile for p in propose(case)] == [second]
    assert rows[case.pk].profile == second
    assert rows[case.pk].ranked is not None and rows[case.pk].ranked.candidate_id == second.pk


def test_the_batch_proposes_nobody_when_every_fitting_coordinator_was_asked(client, manager):
    asked_case, other_case = make_case(status=Status.MATCHING), make_case(status=Status.MATCHING)
    first, second = make_profile(pc4="3512"), make_profile(pc4="3581")
    make_profile(pc4="9712")  # Groningen: beyond the 40 km, fits neither case
    _asked(asked_case, first, manager, then=OfferStatus.DECLINED)
    _asked(asked_case, second, manager, then=OfferStatus.EXPIRED)
    response, rows = _batch_rows(client, manager)
    assert propose(asked_case) == []
    assert rows[asked_case.pk].profile is None and rows[asked_case.pk].ranked is None
    assert rows[other_case.pk].profile == first  # the others are still free for other cases
    assert "Geen coördinator mag dit traject nemen" in response.content.decode()


def test_asked_pairs_cost_the_batch_page_one_query_however_many(client, manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cases = [make_case(status=Status.MATCHING) for _ in range(3)]
    profiles = [make_profile(pc4="3512") for _ in range(4)]
    client.force_login(manager)
    url = reverse("coordinators:batch")
    client.get(url)  # warm caches (session, permissions)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    none_asked = queries()
    for case in cases:
        for profile in profiles[:2]:
            _asked(case, profile, manager, then=OfferStatus.DECLINED)
    assert queries() == none_asked


def test_the_batch_page_costs_the_same_queries_for_two_cases_or_eight(client, manager):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kring.coordinators.models import Language
    from kring.preparation.models import ProfessionalInvolvement

    def waiting_case():
        case = make_case(status=Status.MATCHING)
        case.request.wish_languages.set([Language.objects.get(code="tir")])
        ProfessionalInvolvement.objects.create(
            case=case,
            name="Els de Wit",
            email=f"els{case.pk}@vt.example",
            organisation=Organisation.objects.create(name=f"Wijkteam {case.pk}"),
            invited_at=timezone.now(),
            invited_by=manager,
        )
        return case

    for _ in range(2):
        waiting_case()
    make_profile(pc4="3512")
    client.force_login(manager)
    url = reverse("coordinators:batch")
    client.get(url)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    two = queries()
    for _ in range(6):
        waiting_case()
    assert queries() == two
