"""The one way preparation views fetch a case: scoped, logged, 404 for everyone else."""

from __future__ import annotations

from django.http import Http404

from kring.audit.log import record
from kring.audit.models import Action, Outcome
from kring.cases.models import INVOLVED_STATUSES, Case
from kring.lib.http import AuthenticatedHttpRequest


def preparable_cases(user: object) -> object:
    """Cases the user may prepare: a coordinator their own while involved; managers their
    regions' (the office all) while a coordinator is involved."""
    return Case.objects.visible_to(user).filter(status__in=INVOLVED_STATUSES)  # type: ignore[arg-type]


def get_case_for_preparation(request: AuthenticatedHttpRequest, case_pk: int) -> Case:
    """Fetch a case the user may prepare, and log the read; anything else answers 404."""
    case = (
        preparable_cases(request.user)  # type: ignore[attr-defined]
        .select_related("request", "region", "coordinator")
        .filter(pk=case_pk)
        .first()
    )
    if case is None or not request.user.has_perm("cases.prepare_case", case):
        record(request.user, Action.CASE_ACCESS_DENIED, outcome=Outcome.DENIED, case_id=case_pk)
        raise Http404
    record(
        request.user,
        Action.CASE_VIEWED,
        case=case,
        obj=case,
        page=request.resolver_match.url_name if request.resolver_match else "",
    )
    return case
