"""A test client whose ``force_login`` also passes the second factor.

Every role that reads case data must prove a second factor (``kring.accounts.second_factor``).
Tests about something else log in with ``force_login``; this client then gives the user a
confirmed TOTP device and marks the session verified the way django-otp itself does (the
device's persistent id under ``DEVICE_ID_SESSION_KEY``) — real library state, no mock.
"""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def confirmed_totp_device(user: Any) -> TOTPDevice:
    """The user's confirmed authenticator app, made when they have none yet."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return device


class VerifiedClient(Client):
    def force_login(self, user: Any, backend: str | None = None) -> None:
        super().force_login(user, backend)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = confirmed_totp_device(user).persistent_id
        session.save()

    def force_login_unverified(self, user: Any) -> None:
        """Logged in with the password only, as right after the login form."""
        super().force_login(user)


def seen_on(page: bytes) -> str:
    """The ``seen`` digest a form on this page carries (kring/lib/seen.py)."""
    found = re.search(rb'name="seen" value="([0-9a-f]*)"', page)
    assert found is not None, "the page has no seen digest"
    return found.group(1).decode()


def once_on(page: bytes) -> str:
    """The one-time token a create form on this page carries (kring/accounts/once.py)."""
    found = re.search(rb'name="once" value="([0-9a-f-]{36})"', page)
    assert found is not None, "the page has no create form with a token"
    return found.group(1).decode()
