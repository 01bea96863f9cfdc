"""Research exports: what they hold, the download (always with a stated purpose), the log.

Researchers and the national office may export; everyone else gets 403. Managers are left
out on purpose: they see their own regions' cases and figures already, and exports of data
beyond their regions are not theirs to make.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from kring.accounts.models import Organisation, Role
from kring.audit.log import record
from kring.audit.models import Action
from kring.cases.choices import (
    CompelledHelp,
    CompelledHelpKind,
    LifeDomain,
    RequesterKind,
    Variant,
)
from kring.cases.models import StopReason
from kring.intake.models import Channel
from kring.lib.http import AuthenticatedHttpRequest, role_required
from kring.lib.ratelimits import limited
from kring.lib.spreadsheet import csv_download
from kring.plans.models import Implementation
from kring.stats import research
from kring.stats.facts import refresh_stale
from kring.stats.models import ExportKind, RequestOutcome, ResearchExport
from kring.stats.research_forms import ExportForm

EXPORT_ROLES = (Role.RESEARCHER, Role.OFFICE)


def _urls(request: AuthenticatedHttpRequest) -> dict[str, str]:
    """This app's pages, reversed in whatever namespace it is mounted under."""
    namespace = request.resolver_match.namespace if request.resolver_match else "research"
    return {name: reverse(f"{namespace}:{name}") for name in ("index", "export", "history")}


@role_required(*EXPORT_ROLES)
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    codes = [
        ("variant", Variant.choices),
        ("channel", Channel.choices),
        ("requester_kind", RequesterKind.choices),
        ("funder_kind", Organisation.Kind.choices),
        ("life_domains", LifeDomain.choices),
        ("compelled_help", CompelledHelp.choices),
        ("compelled_help_kind", CompelledHelpKind.choices),
        ("outcome", RequestOutcome.choices),
        ("stop_reason", StopReason.choices),
        ("implementation", Implementation.choices),
    ]
    return render(
        request,
        "stats/research_index.html",
        {
            "urls": _urls(request),
            "columns": research.RECORD_COLUMNS,
            "codes": codes,
            "age_bands": [label for _low, _high, label in research.AGE_BANDS],
            "small": research.SMALL,
            "hidden": research.HIDDEN,
        },
    )


@role_required(*EXPORT_ROLES)
@require_http_methods(["GET", "POST"])
@limited("export", "KRING_RATE_EXPORT", method="POST")
def export(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["kind"] == ExportKind.AGGREGATE:
            return _aggregate(request, form)
        return _records(request, form)
    return render(
        request,
        "stats/research_export.html",
        {"form": form, "urls": _urls(request)},
        status=400 if form.is_bound else 200,
    )


@role_required(*EXPORT_ROLES)
def history(request: AuthenticatedHttpRequest) -> HttpResponse:
    exports = ResearchExport.objects.select_related("user")
    if not request.user.is_office:
        exports = exports.filter(user=request.user)
    page = Paginator(exports, 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "stats/research_history.html",
        {"page": page, "urls": _urls(request), "everyone": request.user.is_office},
    )


def _log(request: AuthenticatedHttpRequest, form: ExportForm, rows: int) -> ResearchExport:
    """The export's row in the log and in the audit trail, in one transaction."""
    user, kind = request.user, form.cleaned_data["kind"]
    filters = form.logged_filters()
    with transaction.atomic():
        entry = ResearchExport.objects.create(
            user=user,
            user_role=user.role,
            kind=kind,
            purpose=form.cleaned_data["purpose"],
            filters=filters,
            rows=rows,
        )
        record(
            user,
            Action.RESEARCH_EXPORTED,
            obj=entry,
            kind=kind,
            purpose=entry.purpose,
            filters=filters,
            rows=rows,
        )
    return entry


def _records(request: AuthenticatedHttpRequest, form: ExportForm) -> HttpResponse:
    refresh_stale()
    filters = form.filters()
    # Counted when the download starts; a case added while it streams may make it one more.
    _log(request, form, research.record_count(request.user, filters))
    rows = research.record_rows(request.user, filters)
    return _download(csv_download(rows, _filename("trajecten"), stream=True))


def _aggregate(request: AuthenticatedHttpRequest, form: ExportForm) -> HttpResponse:
    refresh_stale()
    table = research.aggregate_counts(request.user, form.filters())
    _log(request, form, len(table))
    rows = research.aggregate_csv_rows(table)
    return _download(csv_download(rows, _filename("tellingen")))


def _filename(what: str) -> str:
    return f"kring-onderzoek-{what}-{timezone.localdate():%Y%m%d}.csv"


def _download(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"  # never kept by a browser or proxy cache
    return response
