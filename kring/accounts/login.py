"""Logging in: failures and lockouts logged, password-reset mail queued and throttled.

django-axes counts failures per account and address and locks (settings ``AXES_*``); this
module adds the audit rows and the reset view. The answers never tell whether an address has
an account: the same error on a wrong login, the same page after a reset request.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.views import PasswordResetView
from django.core.mail import send_mail
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseRedirect
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_ratelimit.core import is_ratelimited

from kring.audit.log import record
from kring.audit.models import Action, Outcome

# At most this many reset mails per address per hour: enough for a typo, useless for flooding
# someone's mailbox.
RESET_RATE = "3/h"


def _account(username: str | None) -> Any:
    """The account for a typed address, or None; only ever used for the log, never shown."""
    if not username:
        return None
    return get_user_model().objects.filter(email__iexact=username.strip()).first()


@receiver(user_login_failed)
def _log_failed_login(
    sender: object, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    account = _account(credentials.get("username"))
    record(None, Action.LOGIN_FAILED, obj=account, outcome=Outcome.REFUSED, known=bool(account))


@receiver(user_locked_out)
def _log_lockout(sender: object, request: Any, username: str | None = None, **kwargs: Any) -> None:
    account = _account(username)
    record(None, Action.LOGIN_LOCKED_OUT, obj=account, outcome=Outcome.REFUSED)


@task()
def send_password_reset_mail(user_id: int, domain: str, protocol: str) -> int:
    """The link is made here, in the worker, so no reset token waits in the task table."""
    user = get_user_model().objects.get(pk=user_id)
    context = {
        "user": user,
        "domain": domain,
        "protocol": protocol,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/mail/password_reset_subject.txt", context)
        body = render_to_string("accounts/mail/password_reset.txt", context)
    return send_mail("".join(subject.splitlines()), body, None, [user.email])


class QueuedPasswordResetForm(PasswordResetForm):
    def save(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        # The link points at the site's one address (SITE_URL), like every other mail link,
        # never at whatever Host the request came with.
        site = urlsplit(settings.SITE_URL)
        for user in self.get_users(self.cleaned_data["email"]):
            send_password_reset_mail.enqueue(user.pk, site.netloc, site.scheme or "https")


class ThrottledPasswordResetView(PasswordResetView):
    """Known or unknown, throttled or not: the same "kijk in uw mailbox" page."""

    form_class = QueuedPasswordResetForm

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        email = form.cleaned_data["email"].strip().lower()
        throttled = is_ratelimited(
            self.request,
            group="password_reset",
            key=lambda _group, _request: email,
            rate=RESET_RATE,
            increment=True,
        )
        account = _account(email)
        outcome = Outcome.REFUSED if throttled else Outcome.OK
        record(None, Action.PASSWORD_RESET_REQUESTED, obj=account, outcome=outcome)
        if throttled:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
