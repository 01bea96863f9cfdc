"""Independence checks outside the matching engine.

Two moments: the offer, where the coordinator sees just enough to spot a conflict (surnames,
town, organisations; no first names, no story), and the preparation, where every person and
organisation added to a case is checked against the assigned coordinator's declared
relationships and ties. A hit there warns the coordinator and the region's managers, and is
logged, in the transaction that added the person.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models, transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from kring.accounts.models import Organisation, Postcode, Role, User
from kring.accounts.regions import pc4_of
from kring.audit.log import record
from kring.audit.models import Action
from kring.coordinators.matching import normalise_name
from kring.coordinators.matching_input import involved_organisations, known_names
from kring.coordinators.models import Affiliation, CoordinatorProfile, Offer, OfferStatus
from kring.coordinators.tasks import send_independence_warning

if TYPE_CHECKING:
    from kring.cases.models import Case

# Dutch (and a few other) name particles that belong to the surname: "van der Berg".
PARTICLES = frozenset(
    {"van", "de", "der", "den", "het", "ten", "ter", "te", "in", "'t", "op", "la", "le", "el",
     "al", "da", "di", "du", "dos", "von", "zu"}
)  # fmt: skip


def surname(name: str) -> str:
    """The surname as a Dutch reader writes it: the last word with its particles."""
    words = name.split()
    if not words:
        return ""
    start = len(words) - 1
    while start > 1 and words[start - 1].casefold() in PARTICLES:
        start -= 1
    return " ".join(words[start:])


@dataclass(frozen=True)
class OfferFacts:
    """What the coordinator needs to spot a conflict before saying yes."""

    surnames: list[str]
    town: str
    organisations: list[str]


def offer_facts(offers: Iterable[Offer]) -> dict[int, OfferFacts]:
    """The facts of each open offer, by offer id, in a fixed number of queries."""
    cases = [offer.case for offer in offers if offer.status == OfferStatus.OPEN]
    if not cases:
        return {}
    models.prefetch_related_objects(
        cases,
        "request__main_persons",
        "professionals",
        Prefetch("participants", to_attr="circle_so_far"),
    )
    towns = _towns({case.request.postcode for case in cases})
    org_ids = {case.pk: involved_organisations(case) for case in cases}
    org_names = dict(
        Organisation.objects.filter(pk__in=set().union(*org_ids.values())).values_list("pk", "name")
    )
    return {
        offer.pk: OfferFacts(
            surnames=_surnames(offer.case),
            town=towns.get(pc4_of(offer.case.request.postcode) or "", ""),
            organisations=sorted(org_names[i] for i in org_ids[offer.case.pk] if i in org_names),
        )
        for offer in offers
        if offer.status == OfferStatus.OPEN
    }


def _surnames(case: Case) -> list[str]:
    people = [p.name for p in case.request.main_persons.all()]
    people += [p.name for p in getattr(case, "circle_so_far", [])]
    found = {normalise_name(surname(n)): surname(n) for n in people if n.strip()}
    return sorted(found.values(), key=str.casefold)


def _towns(postcodes: set[str]) -> dict[str, str]:
    areas = {pc4 for pc4 in map(pc4_of, postcodes) if pc4}
    return dict(Postcode.objects.filter(pc4__in=areas).values_list("pc4", "place"))


# ---------- During preparation ----------


def _coordinator_profile(case: Case) -> CoordinatorProfile | None:
    if case.coordinator_id is None:
        return None
    return (
        CoordinatorProfile.objects.filter(user_id=case.coordinator_id)
        .prefetch_related("declared_conflicts")
        .first()
    )


def known_person(case: Case, name: str) -> bool:
    """Whether the case's coordinator declared to know someone of this name."""
    profile = _coordinator_profile(case)
    return profile is not None and normalise_name(name) in known_names(profile)


def tied_organisation(case: Case, organisation_id: int) -> bool:
    """Whether the case's coordinator declared a tie with this organisation."""
    if case.coordinator_id is None:
        return False
    return Affiliation.objects.filter(
        profile__user_id=case.coordinator_id, organisation_id=organisation_id
    ).exists()


def person_warning(name: str) -> str:
    return _(
        "Let op: %(name)s staat bij de mensen die je kent. Dat kan je onafhankelijkheid "
        "raken; je regiomanager heeft een bericht gekregen om het met je te bespreken."
    ) % {"name": name}


def organisation_warning(organisation: str) -> str:
    return _(
        "Let op: je hebt een band met %(organisation)s. Dat kan je onafhankelijkheid raken; "
        "je regiomanager heeft een bericht gekregen om het met je te bespreken."
    ) % {"organisation": organisation}


def report(case: Case, obj: models.Model, action: Action, *, by: User, kind: str) -> None:
    """Log the hit and mail the coordinator and the managers once the addition commits. The
    log and the mail name the kind of tie, never the person."""
    record(by, action, case=case, obj=obj, independence_warning=kind)
    recipients = _coordinator_and_managers(case)
    if recipients:
        transaction.on_commit(lambda: send_independence_warning.enqueue(case.pk, kind, recipients))


def _coordinator_and_managers(case: Case) -> list[str]:
    staff = User.objects.filter(is_active=True)
    if case.region_id is None:
        staff = staff.filter(role=Role.OFFICE)
    else:
        staff = staff.filter(role=Role.MANAGER, regions=case.region_id)
    emails = list(staff.values_list("email", flat=True))
    if case.coordinator is not None:
        emails.insert(0, case.coordinator.email)
    return list(dict.fromkeys(emails))
