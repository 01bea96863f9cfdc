"""Who may see and do what on a case, its plan and the people in it: the one way a view
reaches them.

- **Out of scope is 404, always.** Another region's case, someone else's offer, a case whose
  course has moved past the coordinator, a participant of another case, an id that does not
  exist: the same "not found", so no page tells that a case exists. Each refusal writes a
  ``case.access_denied`` row (with the id asked for, never linked to a case the user may not
  know about).
- **Each read of case data is logged**: ``get_case(..., viewed=True)`` and ``case_to_prepare``
  write the ``case.viewed`` row, and ``log_view`` does for pages that show a case through a
  person's own part.
- **403 only where it reveals nothing**: a role that never uses a page is refused by
  ``lib.http.role_required`` before any case is looked up, and ``require`` refuses someone
  who may see the case but not do this on it (a manager on a page where only the coordinator
  writes down the family's plan).

The rules themselves are ``rules`` predicates next to the model (``cases/rules.py``) and the
QuerySet method ``Case.objects.visible_to``. Objects of the parts above the case (the circle,
the plan, offers, profiles) are handed in as querysets by their views, so this layer imports
none of them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any, NoReturn

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from kring.audit.log import record
from kring.audit.models import Action, Outcome
from kring.cases.models import INVOLVED_STATUSES, Case, CaseQuerySet

if TYPE_CHECKING:
    from kring.accounts.models import User
    from kring.lib.http import AuthenticatedHttpRequest


class Reach(StrEnum):
    """How far into a case the user wants to go."""

    # Read the case page: the office, the region's managers, the professional who referred.
    VIEW = "view"
    # Decide on the course: the office and the region's managers.
    MANAGE = "manage"
    # The preparation and plan pages: the assigned coordinator while involved, and the
    # managers who coach them; only while a coordinator is involved.
    PREPARE = "prepare"


_PERMISSION = {Reach.MANAGE: "cases.manage_case", Reach.PREPARE: "cases.prepare_case"}


# ---------- Scopes: which cases at all ----------


def cases_within(
    user: User | Any, reach: Reach = Reach.VIEW, *, also: QuerySet[Case] | None = None
) -> CaseQuerySet:
    """The cases ``user`` may reach this far (lists and fetches start here). ``also`` adds
    the cases a part above lets the user reach besides, handed in as a queryset (the money
    pages: a coordinator's cases they still record on, or have hours on, after their part)."""
    cases = _within(user, reach)
    if also is None:
        return cases
    return Case.objects.filter(Q(pk__in=cases.values("pk")) | Q(pk__in=also.values("pk")))


def _within(user: User | Any, reach: Reach) -> CaseQuerySet:
    cases = Case.objects.visible_to(user)
    if reach == Reach.PREPARE:
        return cases.filter(status__in=INVOLVED_STATUSES)
    if reach == Reach.MANAGE and not (
        getattr(user, "is_office", False) or getattr(user, "is_manager", False)
    ):
        return cases.none()
    return cases


def cases_coordinated_by(user: User) -> CaseQuerySet:
    """Every case ``user`` was the coordinator of, also after their part ended. Only to
    recognise a second click on a button whose first click ended their access; never to show
    a case."""
    return Case.objects.filter(coordinator=user)


# ---------- One case ----------


def get_case(
    request: AuthenticatedHttpRequest,
    pk: int,
    *,
    reach: Reach = Reach.VIEW,
    viewed: bool = False,
    page: str | None = None,
    also: QuerySet[Case] | None = None,
) -> Case:
    """The case if the user may reach it this far (or it is in ``also``, see
    ``cases_within``), else 404 (logged). ``viewed`` writes the ``case.viewed`` row (with
    ``page`` when given)."""
    case = (
        cases_within(request.user, reach, also=also)
        .select_related(
            "request__region", "request__referrer_organisation", "region", "coordinator"
        )
        .filter(pk=pk)
        .first()
    )
    permission = _PERMISSION.get(reach)
    if case is None or (permission and not request.user.has_perm(permission, case)):
        deny(request, case_id=pk)
    if viewed:
        log_view(request, case, page=page)
    return case


def case_to_prepare(request: AuthenticatedHttpRequest, pk: int) -> Case:
    """A case on the coordinator's pages (preparation, conference, plan), its read logged
    with the page's name."""
    return get_case(request, pk, reach=Reach.PREPARE, viewed=True, page=page_name(request))


def log_view(
    request: AuthenticatedHttpRequest,
    case: Case,
    *,
    obj: Model | None = None,
    page: str | None = None,
) -> None:
    """The ``case.viewed`` row: who read which case (through ``obj``, when not the case)."""
    detail: dict[str, Any] = {} if page is None else {"page": page}
    record(request.user, Action.CASE_VIEWED, case=case, obj=obj or case, **detail)


def require(request: AuthenticatedHttpRequest, case: Case, permission: str, *, reason: str) -> None:
    """403 (logged, with ``reason``) for someone who may see ``case`` but not do this on it;
    asking says nothing they do not know."""
    if request.user.has_perm(permission, case):
        return
    record(
        request.user,
        Action.CASE_ACCESS_DENIED,
        outcome=Outcome.DENIED,
        case=case,
        page=page_name(request),
        reason=reason,
    )
    raise PermissionDenied


# ---------- What hangs from a case, and what is a person's own ----------


def of_case[M: Model](
    request: AuthenticatedHttpRequest,
    case: Case,
    objects: QuerySet[M],
    pk: int,
    *,
    via: str = "case",
) -> M:
    """An object of ``case`` reached through it (a participant, a professional's
    involvement; an agreement ``via="plan__case"``): another case's id is 404 (logged)."""
    found = objects.filter(pk=pk, **{via: case}).first()
    if found is None:
        deny(request, case_id=case.pk, object_type=_name(objects), object_id=pk)
    if via == "case":
        found.case = case  # type: ignore[attr-defined]  # read once, with its scope
    return found


def own[M: Model](
    request: AuthenticatedHttpRequest, objects: QuerySet[M], pk: int, *, owner: str = "user"
) -> M:
    """Something that is the user's own (an offer to them, a period they are away; ``owner``
    is the path to its user): anyone else's is 404 (logged)."""
    found = objects.filter(pk=pk, **{owner: request.user}).first()
    if found is None:
        deny(request, object_type=_name(objects), object_id=pk)
    return found


def own_part[M: Model](request: AuthenticatedHttpRequest, objects: QuerySet[M], pk: int) -> M:
    """A professional's own involvement, while its case runs (the professional's part, the
    acceptance of the plan); anything else is 404 (logged)."""
    user = request.user
    found = None
    if user.is_authenticated and user.is_active and user.is_professional:
        found = objects.filter(pk=pk, user=user, case__status__in=INVOLVED_STATUSES).first()
    if found is None:
        deny(request, involvement_id=pk)
    return found


def in_regions[M: Model](
    request: AuthenticatedHttpRequest, objects: QuerySet[M], pk: int, *, region: str = "region"
) -> M:
    """Something kept per region (an informative talk, a coordinator's profile; ``region`` is
    the path to its region or regions): the office reaches all, a manager their regions';
    anything else is 404 (logged)."""
    user = request.user
    if not (user.is_office or user.is_manager):
        objects = objects.none()
    elif not user.is_office:
        objects = objects.filter(**{f"{region}__in": user.regions.all()}).distinct()
    found = objects.filter(pk=pk).first()
    if found is None:
        deny(request, object_type=_name(objects), object_id=pk)
    return found


# ---------- Refusing ----------


def deny(request: AuthenticatedHttpRequest, **detail: Any) -> NoReturn:
    """Not found, whatever the reason; logged with what was asked for."""
    record(request.user, Action.CASE_ACCESS_DENIED, outcome=Outcome.DENIED, **detail)
    raise Http404


def page_name(request: AuthenticatedHttpRequest) -> str:
    return request.resolver_match.url_name or "" if request.resolver_match else ""


def _name(objects: QuerySet[Any]) -> str:
    return objects.model._meta.model_name or ""
