"""The dashboard: how are we doing, for a region or for the country."""

from __future__ import annotations

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify

from kring.accounts.models import Role
from kring.lib.http import AuthenticatedHttpRequest, role_required
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
def table_csv(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    """One of the dashboard's tables as CSV, with the same filters as the page."""
    form = DashboardFilterForm(request.GET or None, user=request.user)
    tables = {table.key: table for table in dashboard(request.user, form.filters()).tables}
    if key not in tables:
        raise Http404
    table = tables[key]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    day = timezone.localdate().isoformat()
    filename = f"kring-{slugify(table.key)}-{day}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response, delimiter=";")  # Dutch spreadsheets expect semicolons
    writer.writerows(csv_rows(table))
    return response


def _scope_label(request: AuthenticatedHttpRequest, form: DashboardFilterForm) -> str:
    region = form.cleaned_data.get("region") if form.is_bound and form.is_valid() else None
    if region is not None:
        return str(region)
    if request.user.is_manager:
        return ", ".join(str(r) for r in request.user.regions.all())
    return ""
