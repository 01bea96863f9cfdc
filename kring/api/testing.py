"""The API in the hostile-forms test's small world (kring/tests/test_hostile_forms.py): a key,
so the office's page shows its rotate and revoke buttons to the crawl. Test support only."""

from __future__ import annotations

from typing import Any

from kring.accounts.models import Organisation, Role
from kring.api import keys
from kring.api.models import Scope


def api_world(users: dict[str, Any]) -> None:
    funder, _created = Organisation.objects.get_or_create(
        name="Gemeente Vijandig", defaults={"kind": Organisation.Kind.MUNICIPALITY}
    )
    keys.issue_key(funder, scope=Scope.FUNDING, name="crawl", acts_for=None, by=users[Role.OFFICE])
