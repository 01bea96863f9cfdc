"""Enqueue Kring's periodic work; run it every few minutes (cron or a systemd timer).

The task worker (``manage.py db_worker``) then does the work. Each task is idempotent, so a
run that overlaps the previous one does no harm.
"""

from django.core.management.base import BaseCommand

from kring.periodic.jobs import PERIODIC_TASKS


class Command(BaseCommand):
    help = (
        "Zet de periodieke taken van Kring in de wachtrij "
        "(verlopen aanbiedingen, herinneringen, cijfers)."
    )

    def handle(self, *args: object, **options: object) -> None:
        for periodic in PERIODIC_TASKS:
            periodic.enqueue()
            self.stdout.write(f"{periodic.name} enqueued")
