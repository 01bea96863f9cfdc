"""The dashboard: how are we doing, for a region or for the country."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify

from kring.accounts.models import Role
from kring.lib.http import AuthenticatedHttpRequest, role_required
from kring.lib.ratelimits import limited
from kring.lib.spreadsheet import csv_download
from kring.stats.figures import csv_rows, dashboard
from kring.stats.forms import DashboardFilterForm

DASHBOARD_ROLES = (Role.OFFICE, Role.MANAGER, Role.RESEARCHER)


@role_required(*DASHBOARD_ROLES)
def dashboard_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DashboardFilterForm(request.GET or None, user=request.user)
    figures = dashboard(request.user, form.filters())
    context = {
        "form": form,
        "dashboard": figures,
        "query": request.GET.urlencode(),
        "scope": _scope_label(request, form),
    }
    return render(request, "stats/dashboard.html", context)


@role_required(*DASHBOARD_ROLES)
@limited("csv", "KRING_RATE_CSV")
def table_csv(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    """One of the dashboard's tables as CSV, with the same filters as the page."""
    form = DashboardFilterForm(request.GET or None, user=request.user)
    tables = {table.key: table for table in dashboard(request.user, form.filters()).tables}
    if key not in tables:
        raise Http404
    table = tables[key]
    day = timezone.localdate().isoformat()
    return csv_download(csv_rows(table), f"kring-{slugify(table.key)}-{day}.csv")


def _scope_label(request: AuthenticatedHttpRequest, form: DashboardFilterForm) -> str:
    region = form.cleaned_data.get("region") if form.is_bound and form.is_valid() else None
    if region is not None:
        return str(region)
    if request.user.is_manager:
        return ", ".join(str(r) for r in request.user.regions.all())
    return ""
