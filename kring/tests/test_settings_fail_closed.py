"""Settings that fail closed: a production start without its keys refuses to run, and
`manage.py check --deploy` is clean with production settings. Each runs a fresh process with
the plain production settings module (not the test settings)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

MANAGE = Path(__file__).resolve().parents[2] / "manage.py"
PRODUCTION = {
    "SECRET_KEY": "a-long-random-production-secret-0123456789abcdefghijklmnop",
    "KRING_PSEUDONYM_KEY": "another-long-random-pseudonym-key-0123456789abcdefghij",
    "ALLOWED_HOSTS": "kring.example.org",
    "KRING_BEHIND_PROXY": "1",
    "EMAIL_BACKEND": "smtp",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        name: value
        for name, value in os.environ.items()
        # The browser tests' conftest allows async-unsafe calls for Playwright; a deployment
        # never does, and check --deploy says so.
        if name not in {"DEBUG", "KRING_ALLOW_INSECURE_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        and name not in PRODUCTION
    }
    base["DJANGO_SETTINGS_MODULE"] = "kring.settings"
    command = [sys.executable, str(MANAGE), *args]
    return subprocess.run(
        command, env={**base, **env}, capture_output=True, text=True, timeout=120, check=False
    )


def without(name: str) -> dict[str, str]:
    return {key: value for key, value in PRODUCTION.items() if key != name}


def test_production_without_a_secret_key_refuses_to_start() -> None:
    result = manage("check", **without("SECRET_KEY"))
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set" in result.stderr


def test_production_without_a_pseudonym_key_refuses_to_start() -> None:
    result = manage("check", **without("KRING_PSEUDONYM_KEY"))
    assert result.returncode != 0
    assert "KRING_PSEUDONYM_KEY must be set" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start() -> None:
    result = manage("check", **without("ALLOWED_HOSTS"))
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_one_key_for_both_refuses_to_start() -> None:
    same = {**PRODUCTION, "KRING_PSEUDONYM_KEY": PRODUCTION["SECRET_KEY"]}
    result = manage("check", **same)
    assert result.returncode != 0
    assert "KRING_PSEUDONYM_KEY must differ from SECRET_KEY" in result.stderr


def test_the_old_escape_no_longer_allows_the_development_key() -> None:
    result = manage("check", KRING_ALLOW_INSECURE_KEY="1", **without("SECRET_KEY"))
    assert result.returncode != 0


def test_debug_starts_with_development_keys_that_differ() -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.SECRET_KEY != s.KRING_PSEUDONYM_KEY and 'development' in s.SECRET_KEY)"
    )
    result = manage("shell", "--no-imports", "-c", code, DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_check_deploy_is_clean_with_production_settings() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_production_without_a_mail_setting_sends_by_smtp_never_to_the_console() -> None:
    code = "from django.conf import settings as s; print(s.MAILERS['default']['BACKEND'])"
    result = manage("shell", "--no-imports", "-c", code, **without("EMAIL_BACKEND"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend"
    development = manage("shell", "--no-imports", "-c", code, DEBUG="1")
    assert development.stdout.strip() == "django.core.mail.backends.console.EmailBackend"


def test_production_settings_hsts_cookies_and_proxy() -> None:
    code = (
        "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER)"
    )
    result = manage("shell", "--no-imports", "-c", code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "31536000", "True", "True", "True", "True", "True", "Lax", "True",
        "('HTTP_X_FORWARDED_PROTO',", "'https')",
    ]  # fmt: skip
