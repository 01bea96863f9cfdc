"""The family's translations: how far each language is approved (the office and translators),
and approving unchecked strings (translators and the office). Editing a translation happens in
django-rosetta under /vertalen/bewerken/."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kring.audit.log import record
from kring.audit.models import Action
from kring.lib.http import AuthenticatedHttpRequest, role_required
from kring.translations.access import TRANSLATING_ROLES
from kring.translations.catalogues import (
    approve,
    coverage,
    entry_key,
    family_catalogue_languages,
    unchecked_entries,
)


@role_required(*TRANSLATING_ROLES)
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "translations/overview.html", {"rows": coverage()})


@role_required(*TRANSLATING_ROLES)
@require_http_methods(["GET", "POST"])
def review(request: AuthenticatedHttpRequest, language: str) -> HttpResponse:
    names = dict(family_catalogue_languages())
    if language not in names:
        raise Http404
    entries = unchecked_entries(language)
    if request.method == "POST":
        keys = set(request.POST.getlist("approve"))
        count = approve(language, keys & {entry_key(e) for e in entries})
        if count:
            record(request.user, Action.TRANSLATIONS_APPROVED, language=language, count=count)
            messages.success(request, _("%(count)s vertalingen goedgekeurd.") % {"count": count})
        else:
            messages.info(request, _("Kies de vertalingen die je hebt nagekeken."))
        return redirect("translations:review", language=language)
    rows = [{"key": entry_key(e), "entry": e} for e in entries[:100]]
    context = {"language": language, "name": names[language], "rows": rows, "left": len(entries)}
    return render(request, "translations/review.html", context)
