"""Demo money (issue 13): rates with a change on 1 January, norms per variant, coordinators'
bank accounts, hours spread around 30 per conference with kilometres and a few expenses,
statements for the months that are over, funders' contracts, and six months of invoices.

Written after the cases, with bulk inserts; the last month's lines wait for the manager's
review and this month's are still drafts, so every page has something to show.
"""

from __future__ import annotations

import contextlib
import random
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count
from schwifty import IBAN

from kring.accounts.models import Organisation, Region, Role, User
from kring.cases.models import CONFERENCE_HELD_STATUSES, INVOLVED_STATUSES, Case
from kring.money import domain, invoicing
from kring.money.models import (
    Activity,
    BankAccount,
    Contract,
    ExpenseKind,
    Line,
    LineKind,
    LineStatus,
    Norm,
    Rate,
    Statement,
    cents,
    first_of_month,
)

NORMS = {"family": 30, "restorative": 24, "group": 36, "learning": 26}
# How a coordinator's hours divide over the work (a share each, before noise).
SHARES = [
    (Activity.FIRST_VISIT, 3),
    (Activity.CIRCLE, 10),
    (Activity.PROFESSIONALS, 4),
    (Activity.CONFERENCE, 5),
    (Activity.PLAN, 3),
    (Activity.FOLLOW_UP, 2),
    (Activity.TRAVEL, 3),
]
# Hours only for cases of the last years: a national demo stays quick.
YEARS_OF_HOURS = 2
QUARTER = Decimal("0.25")
MONTHS_INVOICED = 6


def seed_money(rng: random.Random, now: datetime) -> None:
    today = now.date()
    rates = _rates(today)
    for variant, hours in NORMS.items():
        Norm.objects.get_or_create(variant=variant, defaults={"hours": Decimal(hours)})
    office = User.objects.filter(role=Role.OFFICE).order_by("pk").first()
    if office is None:
        return
    cases = _cases_with_work(today)
    _bank_accounts(rng, {case.coordinator_id for case in cases if case.coordinator_id})
    reviewers = _reviewers(office)
    lines = [
        line for case in cases for line in _lines_of(rng, case, today, rates, reviewers, office)
    ]
    Line.objects.bulk_create(lines, batch_size=2000)
    _statements(today, office)
    _contracts(rng, today, office)
    _invoices(today, office)


def _rates(today: date) -> list[Rate]:
    new_year = date(today.year, 1, 1)
    old, _ = Rate.objects.get_or_create(
        starts_on=date(today.year - 10, 1, 1),
        defaults={
            "hourly_fee": Decimal("42.50"),
            "km_allowance": Decimal("0.21"),
            "expense_cap": Decimal("250.00"),
        },
    )
    new, _ = Rate.objects.get_or_create(
        starts_on=new_year,
        defaults={
            "hourly_fee": Decimal("45.00"),
            "km_allowance": Decimal("0.23"),
            "expense_cap": Decimal("300.00"),
        },
    )
    return [new, old]  # newest first


def _rate_on(rates: list[Rate], day: date) -> Rate:
    return next(rate for rate in rates if rate.starts_on <= day)


def _cases_with_work(today: date) -> list[Case]:
    since = today - timedelta(days=365 * YEARS_OF_HOURS)
    statuses = set(CONFERENCE_HELD_STATUSES) | set(INVOLVED_STATUSES)
    return list(
        Case.objects.filter(
            coordinator__isnull=False, status__in=statuses, opened_at__date__gte=since
        )
        .select_related("conference", "coordinator")
        .order_by("pk")
    )


def _bank_accounts(rng: random.Random, coordinator_ids: set[int]) -> None:
    existing = set(BankAccount.objects.values_list("user_id", flat=True))
    users = User.objects.filter(pk__in=coordinator_ids - existing)
    BankAccount.objects.bulk_create(
        BankAccount(
            user=user,
            iban=str(
                IBAN.generate(
                    "NL", bank_code="INGB", account_code=f"{rng.randrange(10**9):09d}"
                ).compact
            ),
            holder=user.get_full_name()[:70] or user.email[:70],
        )
        for user in users
    )


def _reviewers(office: User) -> dict[int | None, User]:
    """A manager of each region (the office where a region has none)."""
    found: dict[int | None, User] = defaultdict(lambda: office)
    for manager in User.objects.filter(role=Role.MANAGER).prefetch_related("regions"):
        for region in manager.regions.all():
            found.setdefault(region.pk, manager)
    return found


def _total_hours(rng: random.Random, case: Case) -> Decimal:
    norm = NORMS.get(case.variant, 30)
    hours = min(max(rng.gauss(norm, norm * 0.2), norm * 0.4), norm * 1.8)
    return Decimal(hours)


def _lines_of(
    rng: random.Random,
    case: Case,
    today: date,
    rates: list[Rate],
    reviewers: dict[int | None, User],
    office: User,
) -> list[Line]:
    start = (case.assigned_at or case.opened_at).date()
    held = getattr(case, "conference", None)
    end = held.held_on if held is not None else today
    if end < start:
        end = start
    total = _total_hours(rng, case)
    lines = []
    for activity, share in SHARES:
        if held is None and activity in (Activity.CONFERENCE, Activity.PLAN, Activity.FOLLOW_UP):
            continue
        hours = total * share / sum(s for _a, s in SHARES)
        for part in _parts(rng, hours):
            day = _day_for(rng, activity, start, end, today)
            km = Decimal(rng.choice([0, 0, 8, 14, 22, 35, 48])) if activity != Activity.PLAN else 0
            lines.append(
                _line(
                    case, day, today, rates, reviewers, office, hours=part, km=km, activity=activity
                )
            )
    if held is not None:
        lines += _expenses(rng, case, held.held_on, today, rates, reviewers, office)
    return lines


def _parts(rng: random.Random, hours: Decimal) -> list[Decimal]:
    """Hours in quarters, in pieces of at most a working day."""
    left = (hours / QUARTER).to_integral_value() * QUARTER
    parts = []
    while left > 0:
        piece = min(left, Decimal(rng.choice([1, 1.5, 2, 2.5, 3, 4])).quantize(QUARTER))
        parts.append(piece)
        left -= piece
    return parts


def _day_for(rng: random.Random, activity: str, start: date, end: date, today: date) -> date:
    if activity == Activity.CONFERENCE:
        return min(end, today)
    if activity in (Activity.PLAN, Activity.FOLLOW_UP):
        return min(end + timedelta(days=rng.randint(1, 30)), today)
    span = max((end - start).days, 0)
    return min(start + timedelta(days=rng.randint(0, span)), today)


def _line(
    case: Case,
    day: date,
    today: date,
    rates: list[Rate],
    reviewers: dict[int | None, User],
    office: User,
    **work: Any,
) -> Line:
    rate = _rate_on(rates, day)
    line = Line(
        case=case,
        coordinator=case.coordinator,
        kind=LineKind.HOURS if "hours" in work else LineKind.EXPENSE,
        worked_on=day,
        month=first_of_month(day),
        hours=work.get("hours", Decimal(0)),
        kilometres=work.get("km", Decimal(0)),
        activity=work.get("activity", ""),
        expense_kind=work.get("expense_kind", ""),
        expense=work.get("expense", Decimal(0)),
        rate=rate,
    )
    line.amount = domain.line_amount(line, rate)
    this_month = first_of_month(today)
    last_month = first_of_month(this_month - timedelta(days=1))
    if line.month < last_month:
        line.status = LineStatus.APPROVED
        line.reviewed_by = reviewers[case.region_id]
        line.submitted_at = line.reviewed_at = datetime.combine(
            line.month + timedelta(days=40), datetime.min.time()
        ).astimezone()
    elif line.month == last_month:
        line.status = LineStatus.SUBMITTED
        line.submitted_at = datetime.combine(this_month, datetime.min.time()).astimezone()
    return line


def _expenses(
    rng: random.Random,
    case: Case,
    day: date,
    today: date,
    rates: list[Rate],
    reviewers: dict[int | None, User],
    office: User,
) -> list[Line]:
    kinds = [(ExpenseKind.CATERING, 35, 140)]
    if rng.random() < 0.35:
        kinds.append((ExpenseKind.VENUE, 50, 220))
    if rng.random() < 0.15:
        kinds.append((ExpenseKind.INTERPRETER, 90, 240))
    if rng.random() < 0.1:
        kinds.append((ExpenseKind.CHILDCARE, 20, 80))
    return [
        _line(
            case,
            min(day, today),
            today,
            rates,
            reviewers,
            office,
            expense_kind=kind,
            expense=cents(Decimal(rng.uniform(low, high))),
        )
        for kind, low, high in kinds
    ]


def _statements(today: date, office: User) -> None:
    """A statement per coordinator per month that is over and whose lines are approved."""
    approved = Line.objects.filter(status=LineStatus.APPROVED, statement__isnull=True)
    groups: dict[tuple[int, date], list[Line]] = defaultdict(list)
    for line in approved.select_related("rate").order_by("pk"):
        groups[(line.coordinator_id, line.month)].append(line)
    accounts = {a.user_id: a for a in BankAccount.objects.all()}
    statements = [
        Statement(
            coordinator_id=coordinator_id,
            month=month,
            created_by=office,
            iban=accounts[coordinator_id].iban if coordinator_id in accounts else "",
            holder=accounts[coordinator_id].holder if coordinator_id in accounts else "",
            **domain.statement_sums(lines),
        )
        for (coordinator_id, month), lines in groups.items()
    ]
    Statement.objects.bulk_create(statements, batch_size=2000)
    made = {(s.coordinator_id, s.month): s.pk for s in Statement.objects.all()}
    by_statement: dict[int, list[int]] = defaultdict(list)
    for key, lines in groups.items():
        by_statement[made[key]] += [line.pk for line in lines]
    for statement_pk, pks in by_statement.items():
        Line.objects.filter(pk__in=pks).update(statement_id=statement_pk)


def _contracts(rng: random.Random, today: date, office: User) -> None:
    """Contracts (last year and this one) with the funders that fund the most cases, over
    the regions of their cases; caps set so that some are near their limit."""
    if Contract.objects.exists():
        return
    funded = Case.objects.filter(request__funder__isnull=False, region__isnull=False)
    busiest = funded.values("request__funder").annotate(cases=Count("pk")).order_by("-cases")[:15]
    for index, row in enumerate(busiest):
        funder = Organisation.objects.get(pk=row["request__funder"])
        regions = Region.objects.filter(
            pk__in=funded.filter(request__funder=funder).values("region")
        )
        per_hour = index % 4 == 3
        contract = invoicing.add_contract(
            funder,
            by=office,
            regions=list(regions),
            reference=f"INK-{today.year}-{100 + index:04d}",
            starts_on=date(today.year - 1, 1, 1),
            ends_on=date(today.year, 12, 31),
            pricing="per_hour" if per_hour else "per_conference",
            price=Decimal("92.50") if per_hour else Decimal(rng.choice([1750, 1850, 2100])),
            cap=None,
            invoicing="per_conference" if index == 1 else "monthly",
            invoice_address=f"{funder.name}\nAfdeling Financiën\nPostbus {1000 + index * 17}",
        )
        if not per_hour:
            used = invoicing.contract_use(contract).used
            Contract.objects.filter(pk=contract.pk).update(cap=used + rng.choice([0, 1, 2, 6]))


def _invoices(today: date, office: User) -> None:
    month = first_of_month(today)
    for _i in range(MONTHS_INVOICED):
        month = first_of_month(month - timedelta(days=1))
    for _i in range(MONTHS_INVOICED):
        with contextlib.suppress(domain.MoneyRefused):  # nothing held that month
            invoicing.issue_invoices(month, by=office)
        month = first_of_month(month + timedelta(days=32))
