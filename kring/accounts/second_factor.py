"""The second factor at login: an authenticator app (TOTP), ten recovery codes, or a passkey.

Every role reads case data (youth care, GDPR art. 9), so everyone who logs in proves a second
factor before any page but these login steps (``SecondFactorMiddleware``). The devices are
django-otp's own models; this module only decides when to ask and logs what happened.
"""

from __future__ import annotations

from base64 import b32encode
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import segno
from django.core import signing
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from kring.audit.log import record
from kring.audit.models import Action, Outcome

if TYPE_CHECKING:
    from django.contrib.sessions.backends.base import SessionBase

    from kring.accounts.models import User

RECOVERY_CODE_COUNT = 10
# Pages an unverified user may open: the login steps themselves, leaving, and the passkey API.
OPEN_URL_NAMES = {
    "accounts:login",
    "accounts:logout",
    "accounts:second_factor",
    "accounts:second_factor_enrol",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "set_language",
}
OPEN_NAMESPACES = {"otp_webauthn"}


class SecondFactorMiddleware:
    """Sends a logged-in user who has not passed the second factor to enrol or verify."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, *args: object) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or user.is_verified():  # type: ignore[union-attr,attr-defined]
            return None
        match = request.resolver_match
        if match and (match.view_name in OPEN_URL_NAMES or match.namespace in OPEN_NAMESPACES):
            return None
        target = second_factor_url(user)  # type: ignore[arg-type]
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")


def second_factor_url(user: User) -> str:
    from django.urls import reverse

    name = "second_factor" if user_has_device(user, confirmed=True) else "second_factor_enrol"
    return reverse(f"accounts:{name}")


# The key of the app being set up waits in the session, signed, until a code confirms it.
PENDING_SESSION_KEY = "kring_totp_pending"
_PENDING_SALT = "kring.accounts.second_factor.pending"


def pending_totp_device(request: HttpRequest) -> TOTPDevice:
    """The authenticator app being set up, not stored: its key stays in the session (signed,
    bound to the user) so the QR code does not change across reloads while the user scans
    it, and opening the page writes no device. ``confirm_enrolment`` stores it."""
    user: User = request.user  # type: ignore[assignment]
    key = pending_key(request.session, user)
    if key is None:
        key = default_key()
        pending = {"user": user.pk, "key": key}
        request.session[PENDING_SESSION_KEY] = signing.dumps(pending, salt=_PENDING_SALT)
    return TOTPDevice(user=user, name="app", key=key, confirmed=False)


def pending_key(session: SessionBase, user: User) -> str | None:
    """The key waiting in ``session`` for ``user``; None without one, or a tampered one."""
    try:
        pending = signing.loads(session.get(PENDING_SESSION_KEY, ""), salt=_PENDING_SALT)
    except signing.BadSignature:
        return None
    ours = isinstance(pending, dict) and pending.get("user") == user.pk
    return str(pending["key"]) if ours else None


def secret_of(device: TOTPDevice) -> str:
    """The key as an authenticator app takes it by hand: base32 in groups of four."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// link as an inline SVG (the CSP allows data: images, no third party)."""
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2))


@transaction.atomic
def confirm_enrolment(request: HttpRequest, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the app (``pending_totp_device``) with a code from it: only then is the device
    stored; the session is verified and the user gets fresh recovery codes (returned once, to
    show once). None when the code is wrong, and nothing stored."""
    user: User = request.user  # type: ignore[assignment]
    with transaction.atomic():
        verified = device.verify_token(token)  # saves the device, also after a wrong code
        if not verified:
            transaction.set_rollback(True)
    if not verified:
        record(user, Action.SECOND_FACTOR_FAILED, outcome=Outcome.REFUSED)
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    request.session.pop(PENDING_SESSION_KEY, None)
    otp_login(request, device)
    record(user, Action.SECOND_FACTOR_ENROLLED, obj=device)
    return new_recovery_codes(user)


def new_recovery_codes(user: User) -> list[str]:
    """Ten single-use codes; earlier ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="herstelcodes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def verify(request: HttpRequest, token: str) -> bool:
    """A code from the app or one recovery code (used up by this); logged either way."""
    user: User = request.user  # type: ignore[assignment]
    token = "".join(token.split()).lower()
    for device in devices_for_user(user, for_verify=True):
        if isinstance(device, TOTPDevice | StaticDevice) and device.verify_token(token):
            otp_login(request, device)
            recovery = isinstance(device, StaticDevice)
            record(user, Action.SECOND_FACTOR_PASSED, obj=device, recovery_code=recovery)
            return True
    record(user, Action.SECOND_FACTOR_FAILED, outcome=Outcome.REFUSED)
    return False


def has_passkey(user: User) -> bool:
    from django_otp_webauthn.models import WebAuthnCredential

    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def reset(user: User, *, by: User) -> int:
    """The office removes every device of someone who lost them; they enrol at next login."""
    removed = sum(device.delete()[0] > 0 for device in devices_for_user(user, confirmed=None))
    record(by, Action.SECOND_FACTOR_RESET, obj=user, devices=removed)
    return removed
