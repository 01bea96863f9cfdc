"""API keys: made, rotated and revoked by the office, each step checked and logged.

A key reads ``kr_<prefix>_<secret>``. The prefix is what people see on the page and in the
log; the secret is shown once and only its SHA-256 is stored (256 random bits need no salt,
``kring.lib.tokens``). Rotation makes a new key with the same organisation, scope and person;
the old one keeps working for ``KRING_API_KEY_OVERLAP_HOURS`` (default 24) so the
organisation's system can switch without downtime, or stops at once when the office says so
(a key that leaked).
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import Role
from kring.api.models import ApiKey, Scope
from kring.audit.log import record
from kring.audit.models import Action
from kring.lib.errors import DomainError
from kring.lib.tokens import hash_token, new_token

if TYPE_CHECKING:
    from kring.accounts.models import Organisation, User

_PREFIX_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
DEFAULT_OVERLAP_HOURS = 24


class KeyRefused(DomainError):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def overlap() -> timedelta:
    return timedelta(hours=getattr(settings, "KRING_API_KEY_OVERLAP_HOURS", DEFAULT_OVERLAP_HOURS))


def _new_secret() -> tuple[str, str, str]:
    """A fresh key: its prefix, the whole key to hand over once, and the hash to store."""
    prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(10))
    raw = f"kr_{prefix}_{new_token()}"
    return prefix, raw, hash_token(raw)


def check_acts_for(organisation: Organisation, scope: str, acts_for: User | None) -> None:
    """A key never sees more than its person does in Kring: a referral key refers as one of
    the organisation's professionals, a figures key counts as the office or a manager."""
    if scope == Scope.REFERRALS:
        if (
            acts_for is None
            or acts_for.role != Role.PROFESSIONAL
            or acts_for.organisation_id != organisation.pk
            or not acts_for.is_active
        ):
            raise KeyRefused(
                _("Kies een professional van deze organisatie namens wie verwezen wordt."),
                field="acts_for",
            )
    elif scope == Scope.FIGURES:
        if acts_for is None or acts_for.role not in {Role.OFFICE, Role.MANAGER}:
            raise KeyRefused(
                _("Kies iemand van het landelijk bureau of een regiomanager."), field="acts_for"
            )
    elif acts_for is not None:
        raise KeyRefused(_("Een sleutel voor financiering hoort bij niemand."), field="acts_for")


def _office_only(by: User) -> None:
    if not by.is_office:
        raise KeyRefused(_("Alleen het landelijk bureau beheert API-sleutels."))


def issue_key(
    organisation: Organisation, *, scope: str, name: str, acts_for: User | None, by: User
) -> tuple[ApiKey, str]:
    """A new key; returns it and the secret to show once."""
    _office_only(by)
    check_acts_for(organisation, scope, acts_for)
    prefix, raw, hashed = _new_secret()
    with transaction.atomic():
        key = ApiKey.objects.create(
            organisation=organisation,
            scope=scope,
            name=name.strip()[:100],
            acts_for=acts_for,
            prefix=prefix,
            secret_hash=hashed,
            created_by=by,
        )
        record(
            by,
            Action.API_KEY_ISSUED,
            obj=key,
            organisation=organisation.pk,
            scope=scope,
            prefix=prefix,
        )
    return key, raw


def rotate_key(key: ApiKey, *, by: User, at_once: bool = False) -> tuple[ApiKey, str]:
    """Replace a key: the new one works now, the old one until the overlap ends (or now)."""
    _office_only(by)
    with transaction.atomic():
        old = (
            ApiKey.objects.select_for_update(of=("self",)).select_related("acts_for").get(pk=key.pk)
        )
        if not old.is_usable or old.replaced_by_id is not None:
            raise KeyRefused(_("Deze sleutel is al vervangen of ingetrokken."))
        check_acts_for(old.organisation, old.scope, old.acts_for)
        prefix, raw, hashed = _new_secret()
        new = ApiKey.objects.create(
            organisation_id=old.organisation_id,
            scope=old.scope,
            name=old.name,
            acts_for=old.acts_for,
            prefix=prefix,
            secret_hash=hashed,
            created_by=by,
        )
        now = timezone.now()
        old.replaced_by = new
        if at_once:
            old.revoked_at = now
        else:
            old.expires_at = now + overlap()
        old.save(update_fields=["replaced_by", "revoked_at", "expires_at"])
        record(
            by,
            Action.API_KEY_ROTATED,
            obj=new,
            organisation=old.organisation_id,
            old=old.prefix,
            new=prefix,
            at_once=at_once,
        )
    return new, raw


def revoke_key(key: ApiKey, *, by: User) -> ApiKey:
    _office_only(by)
    with transaction.atomic():
        locked = ApiKey.objects.select_for_update().get(pk=key.pk)
        if locked.revoked_at is not None:
            raise KeyRefused(_("Deze sleutel is al ingetrokken."))
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        record(
            by,
            Action.API_KEY_REVOKED,
            obj=locked,
            organisation=locked.organisation_id,
            prefix=locked.prefix,
        )
    return locked


def prefix_of(raw: str) -> str:
    """The prefix a presented key claims ('' when it is no key of ours), for the log."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != "kr" or len(parts[1]) != 10:
        return ""
    return parts[1] if all(c in _PREFIX_ALPHABET for c in parts[1]) else ""


def find_key(raw: str) -> ApiKey | None:
    """The usable key ``raw`` is, or None. Compared in constant time against the stored hash."""
    prefix = prefix_of(raw)
    if not prefix or len(raw) > 200:
        return None
    key = (
        ApiKey.objects.usable()
        .select_related("organisation", "acts_for")
        .filter(prefix=prefix)
        .first()
    )
    if key is None or not hmac.compare_digest(key.secret_hash, hash_token(raw)):
        return None
    return key
