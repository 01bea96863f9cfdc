"""How long rendering the plan document (PDF) takes, warm.

    cd /work/main && .venv/bin/python bench/plan_pdf.py [renders]

Builds, in a throwaway SQLite database, a final plan of 15 agreements over several life
domains with a circle of 20 people, renders it once to warm up (WeasyPrint's import, fonts,
templates), then times ``renders`` renders (default 15) of the whole path: the document's
queries, the template, the circle diagram and the PDF. Prints readable lines, then as its
last line ``{"plan_pdf_ms": <median>}``. Target: <= 300 ms.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from kring.accounts.models import User
    from kring.plans.models import Plan

ROOT = Path(__file__).resolve().parent.parent
DATABASE = Path("/tmp/kring-bench-plan-pdf.sqlite3")
AGREEMENTS = 15
CIRCLE = 20

WHAT = [
    "Oma haalt de kinderen op dinsdag en donderdag uit school.",
    "Papa belt elke zondagavond met de kinderen.",
    "Tante Samira helpt met het ordenen van de post en de rekeningen.",
    "Buurman Kees brengt Sara naar voetbaltraining.",
    "Mama gaat met de schuldhulpverlening in gesprek over een regeling.",
    "De juf belt mama als Sara niet op school is.",
    "Oom Hassan kookt op woensdag voor het hele gezin.",
    "We maken samen een weekrooster dat op de koelkast hangt.",
    "Mama zoekt een huisarts dichter bij huis.",
    "Opa gaat mee naar het gesprek met de woningcorporatie.",
    "De kinderen mogen in de vakantie een week bij tante logeren.",
    "Mama en papa spreken af hoe ze de weekenden verdelen.",
    "Vriendin Ingrid belt mama elke vrijdag even op.",
    "We vragen de wijkcoach om mee te denken over werk.",
    "De oudste zoon helpt zijn zusje met huiswerk op maandag.",
]


def _remove_database() -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)


def _build_plan() -> Plan:
    from django.utils import timezone

    from kring.cases.choices import LifeDomain
    from kring.cases.models import Status
    from kring.factories import UserFactory, make_case
    from kring.plans.models import Agreement, Conference, Plan, PlanStatus
    from kring.preparation.models import Category, InvitationStatus, Participant, Preparation

    coordinator = cast("User", UserFactory(role="coordinator", first_name="A", last_name="Vries"))
    # The course up to the conference through the real actions; the plan's content below is
    # written straight into its rows, as a finished plan of this size would hold.
    case = make_case(status=Status.HELD, coordinator=coordinator)
    Preparation.objects.filter(case=case).update(
        question="Wat is er nodig zodat Sara en Daan weer elke dag naar school gaan?"
    )
    categories = list(Category.values)
    statuses = [InvitationStatus.COMES] * 4 + [InvitationStatus.CONDITIONAL]
    statuses += [InvitationStatus.DECLINES]
    main = Participant.objects.create(
        case=case,
        name="Fatima el Amrani",
        category=Category.HOUSEHOLD,
        is_main_person=True,
        status=InvitationStatus.COMES,
    )
    people = [main]
    for i in range(CIRCLE - 1):
        people.append(
            Participant.objects.create(
                case=case,
                name=f"Deelnemer {i + 1:02d} Jansen",
                relation=["oma", "oom", "buurman", "vriendin", "juf", "neef"][i % 6],
                category=categories[i % len(categories)],
                status=statuses[i % len(statuses)],
                age=9 + i if i % 7 == 0 else None,
                named_by=people[i // 3] if i else main,
            )
        )
    Conference.objects.filter(case=case).update(place="Buurthuis")
    Plan.objects.filter(case=case).delete()
    plan = Plan.objects.create(
        case=case,
        status=PlanStatus.FINAL,
        version=2,
        next_meeting="Over zes weken bij oma thuis, op zondagmiddag.",
        who_calls_together="Tante Samira belt iedereen als iets niet lukt.",
        emergency_plan="Als het thuis misgaat, gaan de kinderen naar oma. Oma belt dan tante.",
        evaluation_on=timezone.localdate() + timedelta(days=90),
        finalised_at=timezone.now(),
    )
    domains = list(LifeDomain.values)[:6]
    for i, what in enumerate(WHAT[:AGREEMENTS]):
        agreement = Agreement.objects.create(
            plan=plan,
            position=i,
            what=what,
            when=["elke week", "voor de zomer", "elke maand", "dinsdag en donderdag"][i % 4],
            life_domain=domains[i % len(domains)],
            professional_help=i % 5 == 0,
        )
        agreement.who_participants.set(people[1 + i % (CIRCLE - 1) : 3 + i % (CIRCLE - 1)])
    return plan


def _reference_ms() -> float:
    """A pure-Python yardstick, to compare figures from different machines."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        sum(range(10**6))
        best = min(best, (time.perf_counter() - started) * 1000)
    return best


def main() -> None:
    renders = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    _remove_database()
    # Before Django reads its settings: a throwaway database, never the developer's own.
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kring.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from kring.plans.distribution.document import render_plan_pdf
    from kring.plans.models import Plan

    call_command("migrate", verbosity=0)
    plan = _build_plan()
    try:
        started = time.perf_counter()
        pdf = render_plan_pdf(Plan.objects.select_related("case__coordinator").get(pk=plan.pk))
        cold_ms = (time.perf_counter() - started) * 1000
        times, cpu_times = [], []
        for _ in range(renders):
            fresh = Plan.objects.select_related("case__coordinator").get(pk=plan.pk)
            started, cpu_started = time.perf_counter(), time.process_time()
            render_plan_pdf(fresh)
            times.append((time.perf_counter() - started) * 1000)
            cpu_times.append((time.process_time() - cpu_started) * 1000)
    finally:
        connections.close_all()
        _remove_database()
    median = statistics.median(times)
    print(f"plan: {AGREEMENTS} agreements, circle of {CIRCLE}; PDF {len(pdf) / 1024:.0f} kB")
    print(f"first render (cold): {cold_ms:.0f} ms")
    print(
        f"warm renders: {renders}, median {median:.0f} ms, min {min(times):.0f} ms, "
        f"max {max(times):.0f} ms (target <= 300 ms); "
        f"CPU median {statistics.median(cpu_times):.0f} ms"
    )
    reference = _reference_ms()
    print(f"machine: sum(range(10**6)) takes {reference:.0f} ms (a recent laptop: 10 to 15)")
    print(json.dumps({"plan_pdf_ms": round(median, 1)}))


if __name__ == "__main__":
    main()
