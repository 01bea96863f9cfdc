"""Rows for the HTTP API (/api/v1/) and the office's page of keys (/koppelingen/).

The API knows no logins: every role, logged in or not, is a caller without a key and gets
401 (the key's own scope is tested in kring/api/tests). The schema and its page are public:
they describe the API, they hold no data. The key pages are the office's alone."""

from __future__ import annotations

from typing import Any

from kring.accounts.models import Role, User
from kring.tests.access_rows import ANON, GET, LOGIN, NEXT, POST, ROLES, Expected, Row, World


def _row(target: str, how: str, everyone: Expected, **per_role: Expected) -> Row:
    """A row whose columns are all ``everyone`` but the roles named (whatever roles exist)."""
    values = [per_role.get(str(role), everyone) for role in ROLES]
    return Row(target, how, *values)


def _office(target: str, how: str, office: Expected) -> Row:
    return _row(target, how, 403, **{ANON: LOGIN, Role.OFFICE.value: office})


ROWS: dict[str, Row] = {
    "api:openapi-json": _row("none", GET, 200),
    "api:openapi-view": _row("none", GET, 200),
    "api:api-root": _row("none", GET, 404),
    "api:list_referrals": _row("none", GET, 401),
    "api:create_referral": _row("none", POST, 401),
    "api:get_referral": _row("api/referral", GET, 401),
    "api:list_contracts": _row("none", GET, 401),
    "api:list_invoices": _row("none", GET, 401),
    "api:get_invoice_pdf": _row("api/invoice", GET, 401),
    "api:list_regions": _row("none", GET, 401),
    "api:get_figures": _row("none", GET, 401),
    # One address for GET, PUT and DELETE: the table asks it with GET; PUT and DELETE without
    # a key are 401 too (kring/api/tests/test_own_webhook.py).
    "api:get_webhook": _row("none", GET, 401),
    "api:set_webhook": _row("none", GET, 401),
    "api:switch_off_webhook": _row("none", GET, 401),
    "koppelingen:keys": _office("none", GET, 200),
    # An empty button: rotating needs nothing more, so the office gets the new secret's page.
    "koppelingen:rotate": _office("api/key", POST, 200),
    "koppelingen:revoke": _office("api/key", POST, NEXT),
    "koppelingen:webhook": _office("none", POST, 400),
    # No webhook in the world (setting one needs a name that resolves to a public address;
    # kring/api/tests/test_own_webhook.py switches one off): who reaches the button, and the
    # office finds no such webhook.
    "koppelingen:webhook_off": _office("api/webhook", POST, 404),
    # No message in the world (that takes an API referral, a webhook and six failed
    # attempts; kring/api/tests/test_webhooks.py walks it): the row checks who reaches the
    # button; the office finds no such message.
    "koppelingen:resend": _office("api/delivery", POST, 404),
}


def build(world: World, mine: dict[str, User], theirs: dict[str, Any]) -> None:
    from kring.api import keys
    from kring.api.models import Scope
    from kring.factories import OrganisationFactory

    organisation = OrganisationFactory(name="Toegangstabel Jeugdhulp")
    key, _secret = keys.issue_key(
        organisation, scope=Scope.FUNDING, name="tabel", acts_for=None, by=mine[Role.OFFICE]
    )
    world.targets["api/key"] = {"pk": key.pk}
    world.targets["api/referral"] = {"reference": "EK-AAAA-AAAA"}
    world.targets["api/delivery"] = {"pk": 10**9}
    world.targets["api/webhook"] = {"pk": 10**9}
    world.targets["api/invoice"] = {"number": "2026-00001"}
