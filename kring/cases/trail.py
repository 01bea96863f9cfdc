"""Who saw this case: the office's view of one case's log (NEN 7513), itself logged."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from kring.accounts.models import Role
from kring.audit.log import record
from kring.audit.models import Action, AuditEvent
from kring.cases import access
from kring.lib.http import AuthenticatedHttpRequest, role_required

TRAIL_PAGE_SIZE = 100


@role_required(Role.OFFICE)
def case_trail(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """Every read and write of one case: who, in which role, when, what and how it ended.

    For the office, and through the office for the person concerned (an access request).
    """
    case = access.get_case(request, case_pk)  # the office reaches every case
    record(request.user, Action.TRAIL_VIEWED, case=case, obj=case)
    events = AuditEvent.objects.filter(case=case).select_related("actor").order_by("-seq")
    page = Paginator(events, TRAIL_PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "cases/case_trail.html", {"case": case, "page": page})
