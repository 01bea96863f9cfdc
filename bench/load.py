"""Kring under load: 100 simulated people in the real mix against `make prod-local`.

    cd /work/main && .venv/bin/python bench/load.py [--minutes 4] [--spawn-rate 10]

Runs locust (its library API, headless) against ``KRING_LOAD_URL`` (default
``http://127.0.0.1:8100``, `make prod-local`). When nothing answers there, it starts `make
prod-local` itself (PostgreSQL, the production settings, gunicorn) and stops it afterwards.
The demo data is put in the prod-local database first when it has none (`manage.py demo
--if-empty` with the Makefile's ``PROD_LOCAL_ENV``, read from the Makefile itself).

Who (100 users, each logged in once with their own demo account, then working with think
times of a few seconds; docs/performance.md):

- 13 regional managers: the inbox (and its next page), case pages from it, the overdue list;
- 45 coordinators on phones (a phone's User-Agent): their cases, the preparation workspace,
  the circle, the practical page, the plan;
- 20 professionals: their part (saving it where it is still open), their referrals;
- 20 members of the public: the public request form, filled in and sent, each submission
  from its own loopback address (127.0.x.y), as different people send from different
  addresses: the per-address rate limit stays as it is in production;
- the office and the researcher on the figures (and the office in the inbox).

Besides them one probe asks the bare page ``/health/live/`` every second: ``bare_p95_ms``.
Logins (password and second step) are counted apart from the pages; ``p95_ms`` is over every
other request of the 100. The last line is JSON:
``{"users": 100, "rps": R, "p95_ms": P, "bare_p95_ms": B, "failures": F}``.
Targets: failures 0, p95_ms <= 150 and p95_ms <= 3 x bare_p95_ms.
"""

from __future__ import annotations

# locust patches the standard library for gevent: import it before anything else.
from locust import HttpUser, between, constant, events, task  # isort: skip
from locust.exception import StopUser  # isort: skip

import argparse
import base64
import hashlib
import hmac
import json
import os
import random
import re
import shlex
import signal
import struct
import subprocess
import sys
import time
from collections import Counter, defaultdict
from html.parser import HTMLParser
from itertools import count
from pathlib import Path
from typing import Any

import gevent
import requests
from locust.env import Environment
from requests.adapters import HTTPAdapter

ROOT = Path(__file__).resolve().parent.parent
BASE = os.environ.get("KRING_LOAD_URL", "http://127.0.0.1:8100")
PASSWORD = "kring-demo"
DOMAIN = "kring.example"
DEMO_TOTP_KEY = "KRINGDEMOKRINGDEMOKRINGDEMOKRING"  # kring/demo/totp.py: every demo account's
PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
# Users per kind; together the 100.
MIX = {"manager": 13, "coordinator": 45, "professional": 20, "public": 20, "office": 2}
TARGET_P95_MS, TARGET_RATIO = 150, 3

# ---------- What the run measured ----------

TIMES: dict[str, list[float]] = defaultdict(list)  # kind of request -> response times (ms)
ENDED: dict[str, list[float]] = defaultdict(list)  # the same requests: when each ended
NAMES: dict[str, list[str]] = defaultdict(list)  # the same requests: which page each was
FAILED: list[str] = []
DEFERRED: list[str] = []  # logins asked to come back a few seconds later (503, Retry-After)
LOGIN = "login"
BARE = "bare"


@events.request.add_listener
def _measured(
    request_type: str,
    name: str,
    response_time: float,
    exception: BaseException | None = None,
    context: dict[str, Any] | None = None,
    **_: Any,
) -> None:
    kind = (context or {}).get("kind", "page")
    TIMES[kind].append(response_time)
    ENDED[kind].append(time.monotonic())
    NAMES[kind].append(f"{request_type} {name}")
    if exception is not None:
        FAILED.append(f"{request_type} {name}: {exception}")


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (no interpolation): a value that was measured."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


# ---------- Pages as a browser sees them ----------


class Forms(HTMLParser):
    """The forms of a page: action and the fields with their values (the first option of a
    select, checked boxes), as a browser would send them untouched."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "fields": {}})
            return
        if not self.forms or not a.get("name"):
            return
        fields = self.forms[-1]["fields"]
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button"):
                fields[a["name"]] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            fields[a["name"]] = ""
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and self._select not in fields:
            fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data


def forms_of(html: str) -> list[dict[str, Any]]:
    parser = Forms()
    parser.feed(html)
    return parser.forms


def links(html: str, pattern: str) -> list[str]:
    return sorted(set(re.findall(rf'href="({pattern})"', html)))


def totp_now() -> str:
    """The demo key's current code (RFC 6238, as kring.demo.totp.current_code)."""
    key = base64.b32decode(DEMO_TOTP_KEY)
    counter = struct.pack(">Q", int(time.time()) // 30)
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


# ---------- The people ----------

ACCOUNTS: dict[str, list[str]] = {}


class Staff(HttpUser):
    """Someone with an account: logs in once (password, then the demo's second step)."""

    abstract = True
    host = BASE
    wait_time = between(2, 8)
    kind = ""

    def on_start(self) -> None:
        self.email = ACCOUNTS[self.kind].pop(0)
        page = self.client.get("/account/inloggen/", context={"kind": LOGIN})
        sent = {
            **forms_of(page.text)[-1]["fields"],
            "username": self.email,
            "password": PASSWORD,
        }
        while True:
            with self.client.post(
                "/account/inloggen/", sent, context={"kind": LOGIN}, catch_response=True
            ) as answer:
                if answer.status_code == 503 and answer.headers.get("Retry-After"):
                    # Many logging in at once: asked to come back (kring/accounts/login.py).
                    answer.success()
                    DEFERRED.append(self.email)
                    gevent.sleep(int(answer.headers["Retry-After"]) + random.random())
                    continue
                if "tweede-stap" not in (answer.url or ""):
                    answer.failure(f"{self.email}: no second step after the password")
                    raise StopUser
            break
        code = {**forms_of(answer.text)[-1]["fields"], "code": totp_now()}
        with self.client.post(
            answer.url, code, context={"kind": LOGIN}, catch_response=True
        ) as verified:
            if "tweede-stap" in (verified.url or "tweede-stap"):
                verified.failure(f"{self.email}: the second step was refused")
                raise StopUser

    def open(self, url: str, name: str) -> str:
        return str(self.client.get(url, name=name).text)


class Manager(Staff):
    fixed_count = MIX["manager"]
    kind = "manager"
    cases: list[str] = []

    @task(4)
    def inbox(self) -> None:
        html = self.open("/trajecten/inbox/", "inbox")
        self.cases = links(html, r"/trajecten/\d+/") or self.cases

    @task(1)
    def inbox_next_page(self) -> None:
        self.open("/trajecten/inbox/?pagina=2", "inbox ?pagina=2")

    @task(6)
    def case_page(self) -> None:
        if self.cases:
            self.open(random.choice(self.cases), "case page")

    @task(1)
    def overdue(self) -> None:
        self.open("/voorbereiding/te-laat/", "overdue list")


class Coordinator(Staff):
    fixed_count = MIX["coordinator"]
    kind = "coordinator"
    cases: list[str] = []

    def on_start(self) -> None:
        self.client.headers["User-Agent"] = PHONE
        super().on_start()

    @task(2)
    def my_cases(self) -> None:
        html = self.open("/voorbereiding/mijn-trajecten/", "my cases")
        self.cases = links(html, r"/voorbereiding/\d+/") or self.cases

    @task(6)
    def workspace(self) -> None:
        if not self.cases:
            return
        html = self.open(random.choice(self.cases), "preparation workspace")
        parts = links(html, r"/(?:voorbereiding/\d+/(?:kring|praktisch)|plan/\d+)/")
        if parts:
            part = random.choice(parts)
            self.open(part, re.sub(r"\d+", "<case>", part))


class Professional(Staff):
    fixed_count = MIX["professional"]
    kind = "professional"

    @task(3)
    def my_part(self) -> None:
        html = self.open("/voorbereiding/mijn-inbreng/", "my involvements")
        parts = links(html, r"/voorbereiding/mijn-inbreng/\d+/")
        if not parts:
            return
        url = random.choice(parts)
        page = self.open(url, "my part")
        for form in forms_of(page):
            if "information" in form["fields"]:
                written = {
                    **form["fields"],
                    "information": f"Stand van zaken {time.strftime('%d-%m %H:%M:%S')}.",
                    "help_offer": "Wekelijks een gesprek op school, als de kring dat wil.",
                }
                self.client.post(form["action"] or url, written, name="my part (save)")
                return

    @task(1)
    def my_referrals(self) -> None:
        self.open("/verwijzingen/", "my referrals")


class Office(Staff):
    fixed_count = MIX["office"]
    kind = "office"
    wait_time = between(5, 15)

    @task(3)
    def figures(self) -> None:
        self.open("/cijfers/", "figures")

    @task(1)
    def inbox(self) -> None:
        if self.email.startswith("beheer@"):
            self.open("/trajecten/inbox/", "inbox")


# Each public submission comes from its own loopback address: 127.0.1.1, 127.0.1.2, ...
_ADDRESSES = count(256 + 1)
POSTCODES = ("3511 AB", "9711 LM", "1012 JS", "6811 CD", "5611 EM", "8011 PK", "4331 LJ")


class FromAddress(HTTPAdapter):
    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


class Public(HttpUser):
    """Someone asking for a conference through the public form, without an account."""

    fixed_count = MIX["public"]
    host = BASE
    # Reading the explanation and typing take time: between opening the form and sending it
    # (TYPING), not after sending it; then the next person opens the form a little later.
    wait_time = between(5, 15)
    TYPING = (15, 45)

    @task
    def request_a_conference(self) -> None:
        number = next(_ADDRESSES)
        address = f"127.0.{number // 256 % 256}.{number % 256 or 1}"
        self.client.mount(BASE, FromAddress(address))
        self.client.cookies.clear()
        page = self.client.get("/aanvraag/", name="public form")
        form = next(f for f in forms_of(page.text) if "situation" in f["fields"])
        gevent.sleep(random.uniform(*self.TYPING))
        sent = {
            **form["fields"],
            "requester_kind": "family",
            "requester_name": "Fatima el Amrani",
            "requester_email": f"aanvrager{number}@voorbeeld.nl",
            "persons-TOTAL_FORMS": "1",
            "persons-0-name": "Samira el Amrani",
            "persons-0-birth_year": "1988",
            "persons-0-postcode": random.choice(POSTCODES),
            "situation": "Mijn zus kan de zorg voor haar kinderen niet meer aan.",
            "life_domains": ["parenting", "finances"],
            "question": "Wat is er nodig zodat de kinderen thuis kunnen blijven wonen?",
            "variant": "family",
            "compelled_help": "none",
            "consent": "on",
            "website": "",
        }
        with self.client.post(
            "/aanvraag/", sent, name="public form (send)", catch_response=True
        ) as answer:
            if "ontvangen" not in answer.url:
                answer.failure(f"the request was not received ({answer.status_code})")


class Probe(HttpUser):
    """The bare page, once a second: what any request costs on this machine right now."""

    fixed_count = 1
    host = BASE
    wait_time = constant(1)

    @task
    def live(self) -> None:
        self.client.get("/health/live/", name="bare", context={"kind": BARE})


# ---------- Running it ----------


def prod_local_env() -> dict[str, str]:
    """The Makefile's PROD_LOCAL_ENV (`env -u DEBUG K=V ...`) as an environment."""
    line = subprocess.run(
        [
            "make",
            "-s",
            "--no-print-directory",
            "--eval",
            "kring-env: ; @echo $(PROD_LOCAL_ENV)",
            "kring-env",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_SETTINGS_MODULE")}
    env.update(dict(word.split("=", 1) for word in shlex.split(line) if "=" in word))
    return env


def answers() -> bool:
    try:
        return requests.get(f"{BASE}/health/live/", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def start_prod_local() -> subprocess.Popen[bytes]:
    print("make prod-local starten ...", flush=True)
    log = open(ROOT / "prod-local-load.log", "wb")  # noqa: SIM115 (kept open for the server)
    server = subprocess.Popen(
        ["make", "prod-local"],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    for _ in range(600):
        if answers():
            return server
        if server.poll() is not None:
            sys.exit(f"make prod-local stopped; see {log.name}")
        time.sleep(0.5)
    sys.exit("make prod-local did not answer within five minutes")


def seed_demo() -> None:
    """The demo data, once (`manage.py demo --if-empty` in the prod-local database)."""
    subprocess.run(
        [sys.executable, "manage.py", "demo", "--if-empty", "-v0"],
        cwd=ROOT,
        env={**prod_local_env(), "LOG_LEVEL": "WARNING"},
        check=True,
        stdout=subprocess.DEVNULL,
    )


def demo_accounts() -> dict[str, list[str]]:
    """Distinct demo accounts per kind; coordinators and professionals with work first."""
    env = prod_local_env()
    sql = {
        "manager": "SELECT email FROM accounts_user WHERE role = 'manager' ORDER BY email",
        "coordinator": (
            "SELECT u.email FROM accounts_user u WHERE u.role = 'coordinator' ORDER BY "
            "(SELECT count(*) FROM cases_case c WHERE c.coordinator_id = u.id AND c.status IN "
            "('assigned', 'preparation', 'planned', 'held', 'plan_sent')) DESC, u.id"
        ),
        "professional": (
            "SELECT u.email FROM accounts_user u WHERE u.role = 'professional' ORDER BY "
            "(SELECT count(*) FROM preparation_professionalinvolvement i "
            "WHERE i.user_id = u.id) DESC, u.id"
        ),
    }
    found = {
        kind: subprocess.run(
            ["psql", env["DATABASE_URL"], "-tAc", query],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        for kind, query in sql.items()
    }
    found["office"] = [f"beheer@{DOMAIN}", f"onderzoek@{DOMAIN}"]
    for kind, wanted in MIX.items():
        if kind != "public" and len(found[kind]) < wanted:
            sys.exit(f"the demo has {len(found[kind])} {kind} accounts, the mix needs {wanted}")
    return {kind: emails[: MIX[kind]] for kind, emails in found.items()}


def run(minutes: float, spawn_rate: float) -> dict[str, Any]:
    env = Environment(
        user_classes=[Manager, Coordinator, Professional, Office, Public, Probe], events=events
    )
    runner = env.create_local_runner()
    users = sum(MIX.values())
    started = time.monotonic()
    runner.start(users + Probe.fixed_count, spawn_rate=spawn_rate)
    gevent.sleep(minutes * 60)
    runner.quit()
    seconds = time.monotonic() - started
    pages, logins, bare = TIMES["page"], TIMES[LOGIN], TIMES[BARE]
    print(f"{seconds:.0f} s, {users} gebruikers (+1 meetpunt), {spawn_rate}/s erbij")
    for name, entry in sorted(env.stats.entries.items()):
        print(
            f"  {name[1]:>5} {name[0]:<32} n={entry.num_requests:<6} "
            f"p50={entry.get_response_time_percentile(0.5):.0f} "
            f"p95={entry.get_response_time_percentile(0.95):.0f} "
            f"max={entry.max_response_time:.0f} ms fouten={entry.num_failures}"
        )
    print(
        f"inloggen: {len(logins)} verzoeken, p50 {percentile(logins, 0.5):.0f} ms, "
        f"p95 {percentile(logins, 0.95):.0f} ms, max {max(logins, default=0):.0f} ms; "
        f"{len(DEFERRED)} keer gevraagd het over een paar seconden opnieuw te proberen"
    )
    print(_after_the_logins())
    print(_the_slowest())
    for failure in FAILED[:20]:
        print("  fout:", failure)
    return {
        "users": users,
        "rps": round((len(pages) + len(logins)) / seconds, 1),
        "p95_ms": round(percentile(pages, 0.95)),
        "bare_p95_ms": round(percentile(bare, 0.95)),
        "failures": len(FAILED),
    }


def _after_the_logins() -> str:
    """For reading the figures: the pages and the bare page once every login had ended (the
    password checks take most of the machine at the start)."""
    if not ENDED[LOGIN]:
        return "na het inloggen: geen inlogpogingen gemeten"
    last = max(ENDED[LOGIN])

    def settled(kind: str) -> list[float]:
        return [ms for ms, at in zip(TIMES[kind], ENDED[kind], strict=True) if at > last]

    pages, bare = settled("page"), settled(BARE)
    return (
        f"na het laatste inloggen: {len(pages)} verzoeken, p95 {percentile(pages, 0.95):.0f} ms, "
        f"kale pagina p95 {percentile(bare, 0.95):.0f} ms"
    )


def _the_slowest() -> str:
    """Which pages make up the slowest twentieth of the pages' requests (the p95's tail)."""
    threshold = percentile(TIMES["page"], 0.95)
    tail = [n for ms, n in zip(TIMES["page"], NAMES["page"], strict=True) if ms > threshold]
    counted = Counter(tail).most_common()
    return f"boven p95 ({threshold:.0f} ms): " + ", ".join(f"{n} {c}" for n, c in counted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=4, help="duur (hoogstens 10)")
    parser.add_argument("--spawn-rate", type=float, default=10, help="gebruikers per seconde erbij")
    arguments = parser.parse_args()
    minutes = min(arguments.minutes, 10)
    server = None if answers() else start_prod_local()
    try:
        seed_demo()
        ACCOUNTS.update(demo_accounts())
        figures = run(minutes, arguments.spawn_rate)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
    met = (
        figures["failures"] == 0
        and figures["p95_ms"] <= TARGET_P95_MS
        and figures["p95_ms"] <= TARGET_RATIO * max(figures["bare_p95_ms"], 1)
    )
    print("doel gehaald" if met else "doel niet gehaald", flush=True)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
