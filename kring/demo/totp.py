"""The demo's second factor: every demo account shares ONE documented authenticator key.

The second factor holds in the demo too (README, "Demo logins"); to log in as any demo
account, add this key to an authenticator app or run ``manage.py demo_totp`` for the code.
Never use it outside the demo: it is public.
"""

from __future__ import annotations

from base64 import b32decode

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from kring.accounts.models import User
from kring.demo.people import DOMAIN

DEMO_TOTP_KEY = "KRINGDEMOKRINGDEMOKRINGDEMOKRING"  # base32, as an authenticator app takes it
_HEX_KEY = b32decode(DEMO_TOTP_KEY).hex()


def enrol_demo_users() -> int:
    """Give every demo account without an authenticator app the demo key; returns how many."""
    enrolled = TOTPDevice.objects.filter(confirmed=True).values("user_id")
    users = User.objects.filter(email__endswith=f"@{DOMAIN}").exclude(pk__in=enrolled)
    devices = [TOTPDevice(user=u, name="demo", key=_HEX_KEY, confirmed=True) for u in users]
    TOTPDevice.objects.bulk_create(devices, batch_size=2000)
    return len(devices)


def current_code() -> tuple[str, int]:
    """The code an app with the demo key shows now, and the seconds it stays valid."""
    totp = TOTP(b32decode(DEMO_TOTP_KEY))
    return f"{totp.token():06d}", 30 - int(totp.time) % 30
