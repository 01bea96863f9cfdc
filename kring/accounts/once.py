"""A create form saves once, however often it is posted.

A coordinator on a phone taps "Opslaan" twice, or the browser resends a post after a dropped
connection: without this, two hour lines (paid twice), two notes, two meetings. Each rendering
of such a form carries a fresh token (``{% once_field %}``, kring/lib/form_tags.py); the view,
wrapped in ``@once_per_form``, runs in one transaction with the row that remembers the token,
so of two posts with the same token one saves and the other is sent where the first went.
A legitimate second entry comes from a fresh rendering of the form, with a new token.

Not a library: django-idempotency-key and its kin key on a request header that a plain HTML
form cannot send, and keep the response rather than the place it led to (docs/security.md).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from kring.accounts.models import FormSubmission
from kring.lib.form_tags import ONCE_FIELD

# How long a token is remembered: long enough for any resend, short enough to keep nothing.
REMEMBERED = timedelta(days=1)


def _token(request: HttpRequest) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get(ONCE_FIELD, ""))
    except ValueError:  # absent (a form from before this), or tampered: as without a token
        return None


def _earlier(request: HttpRequest, token: uuid.UUID) -> HttpResponse | None:
    done = FormSubmission.objects.filter(user=request.user.pk, token=token).first()
    if done is None:
        return None
    messages.info(request, _("Dit was al opgeslagen; het is niet nog een keer opgeslagen."))
    return redirect(done.location)


def once_per_form(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run a POST whose form carries a token at most once per user and token; a repeat is
    redirected to where the first one went. Only a redirect (a save) uses up the token: a
    refused form can be corrected and sent again."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = _token(request) if request.method == "POST" else None
        if token is None or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if (earlier := _earlier(request, token)) is not None:
            return earlier
        try:
            with transaction.atomic():
                response = view(request, *args, **kwargs)
                if response.status_code in (301, 302, 303) and response.has_header("Location"):
                    location = response["Location"][:500]
                    FormSubmission.objects.create(user=request.user, token=token, location=location)
        except IntegrityError:
            # The same post at the same moment: the other one saved (and this one's work was
            # rolled back with it). Anything else is not ours to swallow.
            if (earlier := _earlier(request, token)) is None:
                raise
            return earlier
        return response

    return wrapper


def forget_submissions(now: datetime) -> int:
    """Tokens older than a day are no use any more (the daily purge)."""
    return FormSubmission.objects.filter(submitted_at__lt=now - REMEMBERED).delete()[0]
