"""Enqueue Kring's periodic work; run it every few minutes (cron or a systemd timer).

The task worker (``manage.py db_worker``) then does the work. Each task is idempotent, so a
run that overlaps the previous one does no harm.
"""

from django.core.management.base import BaseCommand

from kring.coordinators.tasks import expire_overdue_offers
from kring.plans.aftercare_tasks import (
    send_due_follow_up_reminders,
    send_due_implementation_reminders,
)
from kring.preparation.deadline_tasks import send_due_deadline_reminders
from kring.preparation.logistics_tasks import send_due_conference_reminders
from kring.stats.tasks import refresh_stale_figures

PERIODIC_TASKS = [
    expire_overdue_offers,
    send_due_deadline_reminders,
    send_due_conference_reminders,
    send_due_follow_up_reminders,
    send_due_implementation_reminders,
    refresh_stale_figures,
]


class Command(BaseCommand):
    help = (
        "Zet de periodieke taken van Kring in de wachtrij "
        "(verlopen aanbiedingen, herinneringen, cijfers)."
    )

    def handle(self, *args: object, **options: object) -> None:
        for periodic in PERIODIC_TASKS:
            periodic.enqueue()
            self.stdout.write(f"{periodic.name} enqueued")
