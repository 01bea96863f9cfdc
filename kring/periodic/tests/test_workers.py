"""Several task workers on one PostgreSQL queue (issue 17 §2): every reminder is sent exactly
once by three worker processes; ``kill -9`` of workers in the middle loses no reminder, and a
rolled-back change enqueues nothing. Real ``manage.py db_worker`` processes against the test
database, mail to a folder of .eml files that the test counts."""

from __future__ import annotations

import os
import signal
import socketserver
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kring.accounts.models import Region, User
from kring.cases.models import Case, Status
from kring.factories import a_case
from kring.preparation.models import SentReminder
from kring.preparation.workspace.domain import send_deadline_reminders

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MANAGE = Path(__file__).resolve().parents[3] / "manage.py"


@pytest.fixture(autouse=True)
def _on_the_database_queue(settings: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _environment(mail: Path | None = None, smtp_port: int = 0) -> dict[str, str]:
    """The test database's settings for a subprocess (pytest made it and gave it its name)."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {key: value for key, value in os.environ.items() if key != "DEBUG"}
    env.update(
        DJANGO_SETTINGS_MODULE="kring.settings_test",
        DATABASE_URL=url,
        EMAIL_BACKEND="file" if mail else "smtp",
        EMAIL_FILE_PATH=str(mail),
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        LOG_LEVEL="ERROR",
    )
    return env


STARTED: list[subprocess.Popen[bytes]] = []


@pytest.fixture(autouse=True)
def _no_worker_outlives_its_test() -> Any:
    yield
    while STARTED:
        process = STARTED.pop()
        if process.poll() is None:
            process.kill()
            process.wait()


def _worker(env: dict[str, str], worker_id: str, *extra: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, str(MANAGE), "db_worker", "--no-reload", "--no-startup-delay"]
    command += ["--interval", "0.05", "--worker-id", worker_id, "-v0", "--skip-checks", *extra]
    STARTED.append(subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL))
    return STARTED[-1]


def _overdue_cases(count: int, utrecht: Region) -> list[Case]:
    """Requests that came in ten days ago and got no first contact: three clocks ran out for
    each (first contact, first visit, start), each a reminder to the region's managers."""
    ten_days_ago = timezone.now() - timedelta(days=10)
    return [a_case(at=Status.NEW, submitted_at=ten_days_ago, region=utrecht) for _ in range(count)]


def _mails(folder: Path) -> Counter[str]:
    """How often each reminder (its subject: the case's reference and the clock) was sent;
    EMAIL_BACKEND=file writes one .eml file per message (kring.lib.mail)."""
    sent: Counter[str] = Counter()
    for path in folder.glob("*.eml"):
        message = message_from_bytes(path.read_bytes())
        sent[str(make_header(decode_header(message["Subject"])))] += 1
    return sent


class SlowMailServer(socketserver.ThreadingTCPServer):
    """An SMTP server on this machine that takes ``delay`` seconds to greet, like a busy one,
    so a worker spends most of each task waiting for it: a kill lands in the middle. It keeps
    each message it accepted."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, delay: float) -> None:
        super().__init__(("127.0.0.1", 0), _SmtpSession)
        self.delay = delay
        self.messages: list[bytes] = []

    def subjects(self) -> Counter[str]:
        return Counter(
            str(make_header(decode_header(message_from_bytes(m)["Subject"]))) for m in self.messages
        )


class _SmtpSession(socketserver.StreamRequestHandler):
    server: SlowMailServer

    def handle(self) -> None:
        time.sleep(self.server.delay)
        self.wfile.write(b"220 kring-test ESMTP\r\n")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"DATA":
                self.wfile.write(b"354 go ahead\r\n")
                lines = []
                while (body := self.rfile.readline()) not in {b".\r\n", b""}:
                    lines.append(body[1:] if body.startswith(b"..") else body)
                if body:
                    self.server.messages.append(b"".join(lines))
                    self.wfile.write(b"250 queued\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:  # EHLO, MAIL FROM, RCPT TO, RSET, NOOP
                self.wfile.write(b"250 ok\r\n")


# The deadlines only bound a hung run: a machine busy with other work (CI on two cores) can
# take many times longer than a quiet one, and a passing run never waits for them.
PATIENCE = 4


def _wait(condition: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds * PATIENCE
    while not condition():
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.01)


def _tasks() -> Counter[str]:
    return Counter(DBTaskResult.objects.values_list("status", flat=True))


@pytest.mark.slow
def test_three_workers_send_each_of_a_thousand_reminders_exactly_once(
    tmp_path: Path, utrecht: Region, manager: User
) -> None:
    _overdue_cases(334, utrecht)
    assert send_deadline_reminders(timezone.now()) == 1002
    assert _tasks() == {TaskResultStatus.READY: 1002}

    env = _environment(tmp_path)
    workers = [_worker(env, f"batch-{n}", "--batch") for n in range(3)]
    for worker in workers:
        assert worker.wait(timeout=120) == 0

    assert _tasks() == {TaskResultStatus.SUCCESSFUL: 1002}
    runs = DBTaskResult.objects.values_list("worker_ids", flat=True)
    assert all(len(ids) == 1 for ids in runs), "a task was claimed twice"
    print("tasks per worker:", Counter(ids[0] for ids in runs))
    assert len({ids[0] for ids in runs}) >= 2, "the workers did not share the queue"
    sent = _mails(tmp_path)
    assert len(sent) == 1002 and set(sent.values()) == {1}
    assert SentReminder.objects.count() == 1002


@pytest.mark.slow
def test_kill_9_of_workers_in_the_middle_loses_no_reminder(utrecht: Region, manager: User) -> None:
    cases = _overdue_cases(30, utrecht)
    mail = SlowMailServer(delay=0.25)
    threading.Thread(target=mail.serve_forever, daemon=True).start()
    env = _environment(smtp_port=mail.server_address[1])
    ids = {n: f"w{n}-0" for n in range(3)}
    workers = {n: _worker(env, ids[n], "--requeue-every", "0.5") for n in range(3)}

    # A change rolled back enqueues nothing: the reminders are claimed and their mails
    # enqueued on commit, so with the rollback no claim, no task and (workers running) no mail.
    with transaction.atomic():
        assert send_deadline_reminders(timezone.now()) == 90
        assert SentReminder.objects.count() == 90
        transaction.set_rollback(True)
    assert SentReminder.objects.count() == 0 and DBTaskResult.objects.count() == 0

    assert send_deadline_reminders(timezone.now()) == 90
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)

    def busy() -> int | None:
        """A worker in the middle of a task (claimed, not yet done), if any."""
        owners = {run[-1] for run in running.values_list("worker_ids", flat=True)}
        return next((n for n, worker_id in ids.items() if worker_id in owners), None)

    for kill in range(1, 11):
        deadline = time.monotonic() + 30 * PATIENCE
        while (victim := busy()) is None:
            assert time.monotonic() < deadline, "no worker took a task"
            time.sleep(0.01)
        os.kill(workers[victim].pid, signal.SIGKILL)
        workers[victim].wait()
        # As a process manager would: a new worker, which puts the dead one's task back.
        ids[victim] = f"w{victim}-{kill}"
        workers[victim] = _worker(env, ids[victim], "--requeue-every", "0.5")
        # Some mail goes out between two kills, so they fall all through the run.
        sent_before = len(mail.messages)
        _wait(lambda: len(mail.messages) >= sent_before + 2, 30, "mail after a kill")  # noqa: B023

    _wait(lambda: _tasks() == {TaskResultStatus.SUCCESSFUL: 90}, 90, "every task done")
    for worker in workers.values():
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    mail.shutdown()

    # Each run of a task cut off by a kill shows as one more worker id on it: it was put
    # back and run again (a put-back task is first in the queue, so it may be cut off again).
    runs = DBTaskResult.objects.values_list("worker_ids", flat=True)
    killed_mid_task = sum(len(worker_ids) - 1 for worker_ids in runs)
    sent = mail.subjects()
    twice = sum(sent.values()) - len(sent)
    print(f"killed in the middle of a task: {killed_mid_task} of 10; sent twice: {twice}")
    assert killed_mid_task >= 3, "the kills should land in the middle of tasks"
    assert len(sent) == 90, "a reminder was lost"
    assert {c.request.reference for c in cases} == {s.split(":")[0] for s in sent}
    # At-least-once: only a mail in flight at a kill can go out a second time.
    assert twice <= killed_mid_task
