"""From the database to the pure matching engine: requests and coordinators as dataclasses."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from kring.accounts.models import Postcode, Region
from kring.accounts.regions import pc4_of
from kring.cases import hooks
from kring.cases.models import Case
from kring.coordinators.first_support import regions_with_support
from kring.coordinators.matching import (
    Candidate,
    CandidateArrays,
    MatchRequest,
    Weights,
    Wishes,
    normalise_name,
)
from kring.coordinators.models import (
    CoordinatorProfile,
    CoordinatorStatus,
    DeclaredConflict,
    Language,
    MatchingWeights,
    Offer,
    OfferStatus,
    Unavailability,
)

AVAILABILITY_WINDOW_DAYS = 7


def current_weights() -> Weights:
    row = MatchingWeights.objects.first()
    return Weights.from_mapping(row.values) if row and row.values else Weights()


def language_names() -> dict[str, str]:
    return dict(Language.objects.values_list("code", "name_nl"))


Centroids = dict[str, tuple[float, float]]


def _centroids(postcodes: set[str]) -> Centroids:
    """The PC4 area centres of these postcodes, in one query."""
    areas = {pc4 for pc4 in map(pc4_of, postcodes) if pc4}
    rows = Postcode.objects.filter(pc4__in=areas).values_list("pc4", "lat", "lon")
    return {pc4: (lat, lon) for pc4, lat, lon in rows}


def involved_organisations(case: Case) -> frozenset[int]:
    """Organisations whose ties disqualify a coordinator: the referrer's, the funder, and
    those of every professional invited to the case."""
    request = case.request
    ids = {request.referrer_organisation_id, request.funder_id} | hooks.involved_organisations(case)
    return frozenset(i for i in ids if i is not None)


def match_requests_for(cases: list[Case]) -> dict[int, MatchRequest]:
    """``match_request_for`` for many cases in a fixed number of queries (the batch page)."""
    prefetch_related_objects(
        cases,
        "request__main_persons",
        "request__wish_languages",
        "professionals",
        "participants",
    )
    centroids = _centroids({case.request.postcode for case in cases})
    supported = regions_with_support(case.region_id for case in cases)
    return {case.pk: match_request_for(case, centroids, supported) for case in cases}


def match_request_for(
    case: Case, centroids: Centroids | None = None, supported: frozenset[int] | None = None
) -> MatchRequest:
    request = case.request
    if centroids is None:
        centroids = _centroids({request.postcode})
    if supported is None:
        supported = regions_with_support([case.region_id])
    lat, lon = centroids.get(pc4_of(request.postcode) or "", (None, None))
    names = family_names(case)
    wishes = Wishes(
        gender=request.wish_gender or None,
        age_band=request.wish_age_band or None,
        languages=tuple(sorted(language.code for language in request.wish_languages.all())),
        required_language=request.language_required,
        culture=request.wish_culture or None,
        religion=request.wish_religion or None,
    )
    return MatchRequest(
        id=case.pk,
        variant=case.variant,
        lat=lat,
        lon=lon,
        region_id=case.region_id,
        wishes=wishes,
        involved_organisations=involved_organisations(case),
        named_people=frozenset(names),
        first_conference_support=case.region_id in supported,
    )


def family_names(case: Case) -> frozenset[str]:
    """Everyone a coordinator might know, normalised: the main persons, the requester (unless
    a professional) and whoever is in the circle so far (a case back in matching)."""
    request = case.request
    names = [p.name for p in request.main_persons.all()]
    names += [p.name for p in case.participants.all()]
    if request.requester_kind != "professional":
        names.append(request.requester_name)
    return frozenset(normalise_name(n) for n in names if n)


def active_profiles(today: date) -> QuerySet[CoordinatorProfile]:
    """Profiles that may be matched at all, with what the engine needs prefetched."""
    window = Unavailability.objects.filter(
        starts_on__lte=today + timedelta(days=AVAILABILITY_WINDOW_DAYS), ends_on__gte=today
    )
    return (
        CoordinatorProfile.objects.exclude(
            status__in=[CoordinatorStatus.PAUSED, CoordinatorStatus.STOPPED]
        )
        .filter(user__is_active=True)
        .select_related("user", "home_postcode")
        .prefetch_related(
            Prefetch("languages", queryset=Language.objects.only("code")),
            Prefetch("regions", queryset=Region.objects.only("id")),
            Prefetch(
                "declared_conflicts", queryset=DeclaredConflict.objects.only("profile_id", "names")
            ),
            "affiliations",
            Prefetch("unavailabilities", queryset=window, to_attr="blocking"),
        )
    )


def candidate_from(profile: CoordinatorProfile, today: date) -> Candidate:
    area = profile.home_postcode
    last = profile.last_case_at
    return Candidate(
        id=profile.pk,
        name=str(profile.user),
        lat=area.lat if area else None,
        lon=area.lon if area else None,
        status=profile.status,
        vog_valid_until=profile.vog_valid_until(),
        independence_valid_until=profile.independence_valid_until(),
        regions=frozenset(region.pk for region in profile.regions.all()),
        birth_year=profile.birth_year,
        gender=profile.gender if profile.gender in {"female", "male"} else None,
        languages=frozenset(lang.code for lang in profile.languages.all()),
        cultures=frozenset(profile.culture_list()),
        religion=(profile.religion or None) if profile.religion_consent_at else None,
        active_cases=profile.load,
        max_cases=profile.max_cases,
        unavailable_next_7_days=bool(getattr(profile, "blocking", [])),
        affiliations=frozenset(a.organisation_id for a in profile.affiliations.all()),
        relationships=known_names(profile),
        max_travel_km=float(profile.max_travel_km) if profile.max_travel_km else None,
        days_since_last_case=(timezone.localdate() - timezone.localdate(last)).days
        if last
        else None,
        conferences_done=profile.conferences_done,
        ek2_variants=None if profile.ek2_variants is None else frozenset(profile.ek2_variants),
    )


def known_names(profile: CoordinatorProfile) -> frozenset[str]:
    """Whom the coordinator declared to know, normalised: their own list and the families of
    offers they declined because they know them."""
    declared = [name for c in profile.declared_conflicts.all() for name in c.names]
    return frozenset(normalise_name(n) for n in [*profile.relationship_names(), *declared])


def load_candidates(today: date, *, excluding: Q | None = None) -> CandidateArrays:
    profiles = active_profiles(today)
    if excluding is not None:
        profiles = profiles.exclude(excluding)
    return CandidateArrays(candidate_from(p, today) for p in profiles)


def asked_offers() -> QuerySet[Offer]:
    """Offers that rule their coordinator out for their case: everything but a withdrawn one
    (declined, expired, open, or accepted before the case came back to matching). The case
    page and the batch proposal both leave these pairs out."""
    return Offer.objects.exclude(status=OfferStatus.WITHDRAWN)


def candidates_for_case(case: Case, today: date) -> CandidateArrays:
    """Everyone who may be asked; those who already said no (or never answered) are left out."""
    asked = asked_offers().filter(case=case)
    return load_candidates(today, excluding=Q(pk__in=asked.values("profile_id")))
