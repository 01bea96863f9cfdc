"""``/favicon.ico``: browsers ask for it on pages that name no icon (rosetta's, the admin's,
a PDF opened in a tab). A redirect to the hashed static icon instead of a 404 in every log."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe


@require_safe
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    # Looked up per request: the static manifest is not loaded when the URLs are imported.
    return HttpResponseRedirect(static("kring/favicon.svg"))
