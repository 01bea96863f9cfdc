"""How long ``manage.py demo --scale national`` takes on a fresh SQLite database.

Run from the project root: ``.venv/bin/python bench/demo.py``. Only the demo command is timed
(not the migrations). The last line printed is JSON, e.g.
``{"demo_national_s": 80.1, "requests": 100000, "participants": 150000, "agreements": 890000}``.
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = Path("/tmp/kring-bench-demo.sqlite3")


def _remove_database() -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)


def main() -> None:
    _remove_database()
    # Before Django reads its settings: a throwaway database, never the developer's own.
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kring.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from kring.intake.models import Request
    from kring.plans.models import Agreement
    from kring.preparation.models import Participant

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("demo", scale="national", seed=1, stdout=io.StringIO())
    seconds = time.perf_counter() - started
    result = {
        "demo_national_s": round(seconds, 1),
        "requests": Request.objects.count(),
        "participants": Participant.objects.count(),
        "agreements": Agreement.objects.count(),
    }
    connections.close_all()
    _remove_database()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
