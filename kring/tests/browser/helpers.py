"""Steps the browser tests share."""

import time

from django_otp.oath import TOTP

from kring.accounts.models import User
from kring.accounts.testing import confirmed_totp_device
from kring.factories import PASSWORD


def log_in(page, base, email):
    """Log in through the login form as a factory-made user, then the second step with a real
    code from the user's authenticator app (made for them when they have none)."""
    device = confirmed_totp_device(User.objects.get(email=email))
    page.goto(f"{base}/account/inloggen/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_label("Code").fill(code_for(device))
    page.get_by_role("button", name="Doorgaan").click()


def code_for(device):
    """The app's code now; the next time step's when this one was used already (a second
    login within 30 seconds), which the server accepts as one step of clock drift."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time()
    drift = 1 if totp.t() <= device.last_t else 0
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, drift).token():06d}"
