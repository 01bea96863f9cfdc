"""A trained candidate's first conference is supported by a regional manager (issue 14).

"Can support", concretely: an active manager of the case's region who supports fewer than
``KRING_SUPPORT_MAX_FIRST_CONFERENCES`` (default 2) first conferences in progress, i.e. cases
with them as ``supporting_manager`` whose coordinator is still involved (``INVOLVED_STATUSES``:
assigned up to the plan being sent). Matching proposes an EK1 coordinator only where such a
manager exists (``regions_with_support`` → ``MatchRequest.first_conference_support``), and
accepting the offer records one on the case (``choose_supporting_manager``, under row locks).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from kring.accounts.models import Region, Role, User
from kring.cases.models import INVOLVED_STATUSES, Case


def max_first_conferences() -> int:
    """How many first conferences one manager supports at a time (the setting, never < 0)."""
    return max(0, int(settings.KRING_SUPPORT_MAX_FIRST_CONFERENCES))


def _in_progress() -> Q:
    return Q(supported_cases__status__in=INVOLVED_STATUSES)


def free_managers() -> QuerySet[User]:
    """Active managers below the limit of first conferences they support."""
    return (
        User.objects.filter(role=Role.MANAGER, is_active=True)
        .annotate(supporting=Count("supported_cases", filter=_in_progress(), distinct=True))
        .filter(supporting__lt=max_first_conferences())
    )


def regions_with_support(region_ids: Iterable[int | None]) -> frozenset[int]:
    """Of these regions, those with a manager free to support a first conference (one query)."""
    wanted = {pk for pk in region_ids if pk is not None}
    if not wanted:
        return frozenset()
    free = free_managers().values("pk")
    found = Region.objects.filter(pk__in=wanted, managers__in=free).values_list("pk", flat=True)
    return frozenset(found)


def supported_in_progress(manager: User) -> int:
    return Case.objects.filter(supporting_manager=manager, status__in=INVOLVED_STATUSES).count()


def choose_supporting_manager(case: Case, *, prefer: User | None = None) -> User | None:
    """The manager who will support this case's first conference, or None when nobody of its
    region can. Call inside the transaction that assigns the case: the region's managers are
    locked first (in id order), so two candidates accepting at once cannot both take a
    manager's last place; the count is read after the lock, so it sees the other's commit.
    The manager who made the offer is preferred when free, else the least busy one."""
    if case.region_id is None:
        return None
    managers = list(
        User.objects.select_for_update()
        .filter(role=Role.MANAGER, is_active=True, regions=case.region_id)
        .order_by("pk")
    )
    limit = max_first_conferences()
    load = {manager.pk: supported_in_progress(manager) for manager in managers}
    free = [manager for manager in managers if load[manager.pk] < limit]
    if not free:
        return None
    if prefer is not None and any(manager.pk == prefer.pk for manager in free):
        return next(manager for manager in free if manager.pk == prefer.pk)
    return min(free, key=lambda manager: (load[manager.pk], manager.pk))
