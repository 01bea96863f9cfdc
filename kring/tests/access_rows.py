"""The vocabulary of the access table (test_access.py): the roles' columns, what a role can
get, a row, and the small world the rows are asked in. Apart, so that the pages of later apps
can keep their rows and objects in ``kring/tests/access_parts/`` without importing the test."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from kring.accounts.models import Role, User

ANON = "anonymous"
ROLES = (
    ANON,
    Role.COORDINATOR,
    Role.MANAGER,
    Role.OFFICE,
    Role.PROFESSIONAL,
    Role.RESEARCHER,
    Role.TRANSLATOR,
    Role.TRAINER,
)
GET, POST = "get", "post"
LOGIN = "login"  # 302 to the login page
NEXT = "next"  # 302 to the page that comes next (never the login)
Expected = int | str


class Row(NamedTuple):
    """What each role gets on one page: ``target`` names the world's objects its URL is
    built from; ``how`` GET or POST (a button, posted with ``data``); then one column per
    role, in the order of ``ROLES``; ``other``: what another case's ids get."""

    target: str
    how: str
    anonymous: Expected
    coordinator: Expected
    manager: Expected
    office: Expected
    professional: Expected
    researcher: Expected
    translator: Expected
    # Last and 403 unless a row says otherwise: trainers use only the training's pages (and
    # what every role uses: login, security, public pages).
    trainer: Expected = 403
    data: dict[str, Any] | None = None
    other: Expected = 404


@dataclass
class World:
    users: dict[str, User]
    targets: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Another case's ids: under another region's case (``region``: the office reaches it)
    # or under one's own case (everyone, the office included, finds nothing).
    others: dict[str, tuple[dict[str, Any], bool]] = field(default_factory=dict)
