"""Tokens for personal links (family plan, date poll, professional invitation).

The raw token exists only where the link is handed over — one mail, letter or screen, at the
moment it is made — and only its SHA-256 is stored. A copy of the database therefore opens no
link. A plain hash (no salt, no HMAC key) is enough because the token itself carries 256 bits
of randomness: there is nothing to brute-force, and an unsalted hash can be looked up through
its unique index.
"""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token() -> tuple[str, str]:
    """A fresh token and the hash to store; hand out the first, save the second."""
    token = new_token()
    return token, hash_token(token)
