"""The professionals of a demo case (0–2, the referrer often among them) and, when help is
pressured or compulsory, the safety conditions (kader) one of them sets."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings

from kring.accounts.models import Organisation, User
from kring.cases.choices import CompelledHelp, CompelledHelpKind
from kring.demo import names, prep_texts
from kring.demo.drafts import Draft
from kring.demo.people import Cast
from kring.demo.rows import Extra
from kring.demo.tokens import Tokens

COMPELLED = frozenset({CompelledHelp.PRESSURED, CompelledHelp.COMPULSORY})
_HOW_MANY = ((0, 1, 2), (30, 45, 25))


@dataclass
class Involved:
    id: int
    name: str
    organisation_id: int
    role: str
    user_id: int | None
    conditions: list[int] = field(default_factory=list)  # SafetyCondition keys
    conditions_at: datetime | None = None


class Professionals:
    def __init__(
        self,
        rng: random.Random,
        cast: Cast,
        ids: Iterator[int],
        condition_ids: Iterator[int],
        dt: Callable[[datetime], Any],
    ) -> None:
        self.rng, self.cast, self.ids, self.condition_ids, self.dt = (
            rng,
            cast,
            ids,
            condition_ids,
            dt,
        )
        self.tokens = Tokens()
        self.orgs: dict[int, Organisation] = {
            org.pk: org for orgs in cast.organisations.values() for org in orgs
        }
        self.users: dict[int, User] = {}
        for people in cast.professionals.values():
            for user in people:
                self.users[user.pk] = user
                if user.organisation is not None:
                    self.orgs.setdefault(user.organisation.pk, user.organisation)

    def invite(
        self,
        draft: Draft,
        progress: float,
        *,
        coordinator_id: int,
        start: datetime,
        end: datetime,
        words: dict[str, str],
        extra: Extra,
    ) -> list[Involved]:
        """Who is invited by ``end`` (the preparation so far), with their rows in ``extra``."""
        rng, request = self.rng, draft.request
        compelled = request.get("compelled_help") in COMPELLED
        count = rng.choices(*_HOW_MANY)[0]
        if compelled:
            count = max(count, 1)
        count = round(count * min(1.0, progress * 1.3)) if progress < 1 else count
        if compelled and progress >= 0.5:
            count = max(count, 1)
        chosen = self._choose(draft, count)
        span = max((end - start).total_seconds(), 3600.0)
        involved = []
        for index, (name, email, org, role, user) in enumerate(chosen):
            invited = start + timedelta(seconds=span * rng.uniform(0.1, 0.7))
            joined = invited + timedelta(hours=rng.uniform(2, 72)) if user else None
            if joined is not None and joined > end:
                joined = end
            answered = progress >= 1 or rng.random() < progress
            kind = org.kind
            info = prep_texts.INFORMATION.get(kind, "").format(**words) if answered else ""
            concerns = rng.choice(prep_texts.CONCERNS).format(**words) if answered else ""
            offer = rng.choice(prep_texts.HELP_OFFERS) if answered else ""
            person = Involved(next(self.ids), name, org.pk, role, user.pk if user else None)
            extra.involvements.append(
                (
                    person.id,
                    draft.case["id"],
                    name,
                    email,
                    org.pk,
                    role,
                    person.user_id,
                    next(self.tokens),
                    self.dt(invited + timedelta(days=settings.KRING_INVITATION_LINK_DAYS)),
                    self.dt(invited),
                    coordinator_id,
                    self.dt(joined) if joined else None,
                    info,
                    concerns,
                    offer,
                )
            )
            if index == 0 and compelled and answered:
                self._conditions(draft, person, invited, end, words, extra)
            involved.append(person)
        return involved

    def _choose(
        self, draft: Draft, count: int
    ) -> list[tuple[str, str, Organisation, str, User | None]]:
        """The referrer first (often), then colleagues from the region."""
        rng, request = self.rng, draft.request
        chosen: list[tuple[str, str, Organisation, str, User | None]] = []
        emails: set[str] = set()
        referrer_org = self.orgs.get(request.get("referrer_organisation_id") or 0)
        region_id = draft.case["region_id"]
        if count and referrer_org is not None and rng.random() < 0.75:
            role = rng.choice(prep_texts.ROLES.get(referrer_org.kind, ("hulpverlener",)))
            referrer = self.users.get(request.get("referrer_id") or 0)
            name, email = request["requester_name"], request["requester_email"]
            chosen.append((name, email, referrer_org, role, referrer))
            emails.add(email)
        kinds = draft.scenario.referrers if draft.scenario else ()
        local = self.cast.professionals.get(region_id or -1, [])
        orgs = self.cast.organisations.get(region_id or -1) or list(self.orgs.values())[:20]
        while len(chosen) < count:
            fitting = [o for o in orgs if o.kind in kinds and not o.name.startswith("Gemeente ")]
            org = rng.choice(fitting or orgs)
            colleagues = [u for u in local if u.organisation_id == org.pk]
            user = rng.choice(colleagues) if colleagues and rng.random() < 0.6 else None
            if user is not None:
                name, email = user.get_full_name(), user.email
            else:
                background = names.pick_background(rng)
                female = rng.random() < 0.7
                first = names.first_name(rng, background, female)
                last = names.surname(rng, background, female)
                name = f"{first} {last}"
                email = f"{names.email_local(first, last)}@{_mail_domain(org.name)}"
            if email in emails:
                break
            emails.add(email)
            role = rng.choice(prep_texts.ROLES.get(org.kind, ("hulpverlener",)))
            chosen.append((name, email, org, role, user))
        return chosen

    def _conditions(
        self,
        draft: Draft,
        person: Involved,
        invited: datetime,
        end: datetime,
        words: dict[str, str],
        extra: Extra,
    ) -> None:
        rng = self.rng
        kind = draft.request.get("compelled_help_kind") or CompelledHelpKind.OTHER
        options = prep_texts.SAFETY_CONDITIONS.get(kind, prep_texts.SAFETY_CONDITIONS["other"])
        at = min(invited + timedelta(days=rng.uniform(1, 8)), end)
        person.conditions_at = at
        for text in rng.sample(options, min(len(options), rng.randint(2, 4))):
            key = next(self.condition_ids)
            person.conditions.append(key)
            extra.conditions.append((key, person.id, text.format(**words), self.dt(at)))


def _mail_domain(organisation: str) -> str:
    plain = names.email_local(organisation.split(",")[0], "").replace(".", "")
    return f"{plain[:30] or 'zorg'}.example.nl"
