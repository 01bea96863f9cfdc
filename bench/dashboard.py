"""How fast the statistics dashboard renders on national-size data in PostgreSQL.

    cd /work/main && .venv/bin/python bench/dashboard.py [--fresh] [--rebuild] [--explain]

Uses its own database ``kring_bench`` on the server of ``KRING_BENCH_POSTGRES`` (default
``postgres://postgres@127.0.0.1:5432``), created when missing. When it holds fewer than
200,000 cases or 2,000,000 agreements it is filled with ``manage.py demo --scale bench``
(240,000 requests over ten years; some minutes). Once filled it is reused, so a rerun takes
seconds; ``--fresh`` drops it and generates again. The case summary rows are rebuilt with
``facts.rebuild_all()`` after a generation, when their number differs from the cases', or with
``--rebuild``; then the table is analysed, as autovacuum would.

Timed: the page ``stats:dashboard`` in Django's test client as the office user (landelijk
bureau), nationally, for the region with most cases and for the last twelve months; each one
warm-up and seven timed requests, the median in ms. Also the query count of the page, its
slowest queries, and ``figures.dashboard`` alone. ``--explain`` prints EXPLAIN ANALYZE of the
three slowest queries of the national page. The last line is JSON:
``{"dashboard_ms": <median national page ms>, "cases": N, "agreements": M}``. Target: 500 ms.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("KRING_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASE = "kring_bench"
SCALE, SEED = "bench", 1
MIN_CASES, MIN_AGREEMENTS = 200_000, 2_000_000
WARMUP, RUNS = 1, 7
TARGET_MS = 500


def _server_sql(*statements: str) -> list[tuple[Any, ...]]:
    """Run statements on the server's maintenance database (outside any transaction)."""
    import psycopg

    rows: list[tuple[Any, ...]] = []
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        for statement in statements:
            cursor = conn.execute(statement)
            if cursor.description:
                rows.extend(cursor.fetchall())
    return rows


def _database_exists() -> bool:
    return bool(_server_sql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'"))


def _drop_database() -> None:
    from django.db import connections

    connections.close_all()
    _server_sql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def _create_database() -> None:
    if not _database_exists():
        _server_sql(f"CREATE DATABASE {DATABASE}")
        print(f"created database {DATABASE}")


def timed_ms[T](fn: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = fn()
    return (time.perf_counter() - start) * 1000, result


def median_ms(fn: Callable[[], object]) -> tuple[float, list[float]]:
    for _ in range(WARMUP):
        fn()
    times = [timed_ms(fn)[0] for _ in range(RUNS)]
    return statistics.median(times), times


def main() -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="drop the database and generate")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the summary rows")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN the slowest queries")
    args = parser.parse_args()

    # Before Django reads its settings: the bench database, never the developer's own.
    os.environ["DATABASE_URL"] = f"{SERVER}/{DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kring.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from kring.cases.models import Case
    from kring.plans.models import Agreement

    if args.fresh:
        _drop_database()
    _create_database()
    call_command("migrate", verbosity=0)
    cases, agreements = Case.objects.count(), Agreement.objects.count()
    generated = False
    if cases < MIN_CASES or agreements < MIN_AGREEMENTS:
        if cases:
            print(f"{DATABASE} holds too little ({cases:,} cases, {agreements:,} agreements)")
            _drop_database()
            _create_database()
            call_command("migrate", verbosity=0)
        print(f"generating: manage.py demo --scale {SCALE} --seed {SEED} ...", flush=True)
        ms, _out = timed_ms(
            lambda: call_command("demo", scale=SCALE, seed=SEED, stdout=io.StringIO())
        )
        print(f"generation: {ms / 1000:.0f} s")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        cases, agreements = Case.objects.count(), Agreement.objects.count()
        generated = True
    else:
        print(f"reusing {DATABASE} (--fresh to generate again)")
    print(f"data: {cases:,} cases, {agreements:,} agreements")

    _facts(rebuild=generated or args.rebuild, cases=cases)
    dashboard_ms = _measure(explain=args.explain)
    return {"dashboard_ms": round(dashboard_ms, 1), "cases": cases, "agreements": agreements}


def _facts(*, rebuild: bool, cases: int) -> None:
    from django.db import connection

    from kring.stats.facts import rebuild_all
    from kring.stats.models import CaseFact

    if not rebuild and CaseFact.objects.count() == cases:
        print(f"summary rows: reusing {cases:,} (--rebuild to recompute)")
        return
    ms, done = timed_ms(rebuild_all)
    print(f"rebuild_all: {done:,} summary rows in {ms / 1000:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {CaseFact._meta.db_table}")


def _measure(*, explain: bool) -> float:
    """Print the timings; returns the median of the national page (or function) in ms."""
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from kring.accounts.models import Region, User
    from kring.accounts.testing import VerifiedClient
    from kring.demo.people import OFFICE_EMAIL
    from kring.stats import figures
    from kring.stats.models import CaseFact

    setup_test_environment()
    # Other work on the machine slows every figure below; say how busy it was.
    print("load average before timing: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    office = User.objects.get(email=OFFICE_EMAIL)
    busiest = (
        CaseFact.objects.exclude(region=None)
        .values("region")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    assert busiest is not None
    region = Region.objects.get(pk=busiest["region"])
    today = timezone.localdate()
    start, end = today - timedelta(days=365), today
    scenarios: dict[str, tuple[dict[str, str], figures.Filters]] = {
        "national": ({}, figures.Filters()),
        f"region {region} ({busiest['n']:,} cases)": (
            {"region": str(region.pk)},
            figures.Filters(regions=(region.pk,)),
        ),
        f"period {start}..{end}": (
            {"start": start.isoformat(), "end": end.isoformat()},
            figures.Filters(start=start, end=end),
        ),
    }

    try:
        url: str | None = reverse("stats:dashboard")
    except (NoReverseMatch, ImportError) as error:
        url = None
        print(f"page: stats:dashboard does not resolve ({error}); timing figures.dashboard only")

    client = VerifiedClient()  # logged in with the second factor, as the office always is
    client.force_login(office)

    def page(params: dict[str, str]) -> Callable[[], object]:
        def get() -> object:
            assert url is not None
            response = client.get(url, params)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} {params}: {response.status_code}")
            return response

        return get

    def figures_of(filters: figures.Filters) -> Callable[[], object]:
        return lambda: figures.dashboard(office, filters)

    headlines = []
    for name, (params, filters) in scenarios.items():
        function_ms, _times = median_ms(figures_of(filters))
        line = f"{name}: figures.dashboard {function_ms:.0f} ms"
        if url is not None:
            page_ms, times = median_ms(page(params))
            line += f", page {page_ms:.0f} ms (runs {', '.join(f'{t:.0f}' for t in times)})"
            headline = page_ms
        else:
            headline = function_ms
        print(line, flush=True)
        headlines.append(headline)

    fetch = page({}) if url is not None else figures_of(figures.Filters())
    with CaptureQueriesContext(connection) as captured:
        fetch()
    queries = captured.captured_queries
    total = sum(float(q["time"]) for q in queries) * 1000
    where = "page" if url is not None else "figures.dashboard"
    print(f"national {where}: {len(queries)} queries, {total:.0f} ms in the database")
    slowest = sorted(queries, key=lambda q: float(q["time"]), reverse=True)
    for query in slowest[:6]:
        print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:150]}")
    if explain:
        with connection.cursor() as cursor:
            for query in slowest[:3]:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
                print(f"\nEXPLAIN ANALYZE {query['sql'][:300]}")
                print("\n".join(f"  {row[0]}" for row in cursor.fetchall()))
    print("load average after timing: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    verdict = "within" if headlines[0] <= TARGET_MS else "OVER"
    print(f"national {where} median {headlines[0]:.0f} ms: {verdict} the {TARGET_MS} ms target")
    return headlines[0]


if __name__ == "__main__":
    print(json.dumps(main()))
