"""Logging in: failures and lockouts logged, password-reset mail queued and throttled.

django-axes counts failures per account and address and locks (settings ``AXES_*``); this
module adds the audit rows and the reset view. The answers never tell whether an address has
an account: the same error on a wrong login, the same page after a reset request.

It also keeps logins from starving the pages (docs/performance.md). Checking a password is
PBKDF2 at full strength, half a second of one core; 75 people logging in at once would take
every CPU and every worker thread for half a minute. So each web process checks one password
at a time, on a thread of its own at a low CPU priority (``PacedPBKDF2PasswordHasher``: the
same algorithm, iterations and stored format), and lets at most ``KRING_LOGIN_CHECKS``
logins wait for it; the next login gets, within a quarter second, the login page again with "even
druk, probeer het over een paar seconden opnieuw" (503 with Retry-After) instead of holding
a thread that a page needs. Across the processes of one machine at most
``KRING_LOGIN_HASHERS`` (its cores) hash at once: each hash first takes one of that many lock
files (``flock``; released by the kernel if the process dies), so four web processes on two
cores hash two passwords at a time, not four.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar
from urllib.parse import urlsplit

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.views import LoginView, PasswordResetView
from django.core.mail import send_mail
from django.dispatch import receiver
from django.forms.utils import ErrorDict
from django.http import HttpResponse, HttpResponseRedirect
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

from kring.audit.log import record
from kring.audit.models import Action, Outcome

# At most this many reset mails per address per hour: enough for a typo, useless for flooding
# someone's mailbox.
RESET_RATE = "3/h"
# The password thread's nice value: a page's thread gets three times its share of a core
# (CFS weights 1024 against 335), yet the hashing still moves on a machine that is busy.
HASHING_NICENESS = 5
# How long a login waits for its turn before it is asked to come back, and when.
LOGIN_WAIT_SECONDS = 0.25
LOGIN_RETRY_AFTER_SECONDS = 5

Result = TypeVar("Result")


class _Paced:
    """This process's password thread and the logins' places in its queue, made in the
    process that uses them (gunicorn forks its workers after the settings are read)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pid = 0
        self.thread: ThreadPoolExecutor | None = None
        self.places: threading.BoundedSemaphore | None = None

    def _ready(self) -> tuple[ThreadPoolExecutor, threading.BoundedSemaphore]:
        with self.lock:
            if self.thread is None or self.places is None or self.pid != os.getpid():
                self.pid = os.getpid()
                self.thread = ThreadPoolExecutor(1, "kring-password", _lower_priority)
                self.places = threading.BoundedSemaphore(max(1, settings.KRING_LOGIN_CHECKS))
            return self.thread, self.places

    def run(self, work: Callable[[], Result]) -> Result:
        return self._ready()[0].submit(_on_a_machine_slot, work).result()

    def place(self) -> threading.BoundedSemaphore:
        return self._ready()[1]


_paced = _Paced()


def slot_paths() -> list[str]:
    """The machine's hashing slots: one lock file each."""
    directory = settings.KRING_LOGIN_LOCK_DIR or tempfile.gettempdir()
    count = max(1, settings.KRING_LOGIN_HASHERS)
    return [os.path.join(directory, f"kring-password-{n}.lock") for n in range(count)]


def try_slot(path: str) -> int | None:
    """The open, locked slot file, or None when another process holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


@contextlib.contextmanager
def machine_slot() -> Iterator[None]:
    """Hold one of the machine's hashing slots: a free one, or else wait for this process's
    own (so the waiting is spread over the slots)."""
    paths = slot_paths()
    fd = next((found for path in paths if (found := try_slot(path)) is not None), None)
    if fd is None:
        fd = os.open(paths[os.getpid() % len(paths)], os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
    try:
        yield
    finally:
        os.close(fd)  # closing the file releases the lock


def _on_a_machine_slot[Done](work: Callable[[], Done]) -> Done:
    with machine_slot():
        return work()


def _lower_priority() -> None:
    # On Linux the nice value belongs to the thread, so only the hashing yields to the pages.
    # Elsewhere, or where it is not allowed, it runs at normal priority.
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASHING_NICENESS)


class PacedPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """Django's PBKDF2 (same name, iterations and format, so stored passwords stay valid),
    computed on the process's one low-priority password thread."""

    def encode(self, password: str, salt: str, iterations: int | None = None) -> str:
        encode = super().encode
        return _paced.run(lambda: encode(password, salt, iterations))


class PacedLoginView(LoginView):
    """The login page; a password is checked only when this process has a place for it."""

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        place = _paced.place()
        if not place.acquire(timeout=LOGIN_WAIT_SECONDS):
            return self._busy()
        try:
            return super().post(request, *args, **kwargs)
        finally:
            place.release()

    def _busy(self) -> HttpResponse:
        # Not a failed login (nothing was checked, so nothing is counted against the account):
        # the same page with what was typed, and when to try again.
        # The form is never cleaned here (cleaning it would check the password).
        form = self.get_form()
        form._errors, form.cleaned_data = ErrorDict(), {}  # type: ignore[attr-defined]
        form.add_error(
            None,
            _("Er loggen nu veel mensen tegelijk in. Probeer het over een paar seconden opnieuw."),
        )
        response = self.render_to_response(self.get_context_data(form=form), status=503)
        response["Retry-After"] = str(LOGIN_RETRY_AFTER_SECONDS)
        return response


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
