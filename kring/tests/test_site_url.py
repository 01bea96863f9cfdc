"""Issue 15 §2: one setting for the site's address (SITE_URL), used by every mail link, and
`make demo` sets it to the port it serves on."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_make_demo_gives_the_web_process_and_the_worker_the_port_it_serves_on():
    dry_run = subprocess.run(
        ["make", "-n", "demo", "PORT=8123"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    for command in ("manage.py db_worker", "manage.py runserver 127.0.0.1:8123"):
        line = next(line for line in dry_run.splitlines() if command in line)
        assert "SITE_URL=http://127.0.0.1:8123" in line.split(command)[0]


def test_no_mail_link_is_made_from_the_request_s_host():
    """Tasks build links from SITE_URL; a mail task never sees a request, and the password
    reset passes the site's address, not the Host header."""
    login = (ROOT / "kring/accounts/login.py").read_text()
    assert "request.get_host()" not in login
    for task_file in ROOT.glob("kring/**/tasks.py"):
        assert not re.search(r"build_absolute_uri|get_host\(", task_file.read_text()), task_file
