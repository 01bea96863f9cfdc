"""Remove personal data past its retention period (also a daily periodic task)."""

from django.core.management.base import BaseCommand

from kring.privacy.purge import purge_expired


class Command(BaseCommand):
    help = (
        "Verwijdert persoonsgegevens waarvan de bewaartermijn na het afsluiten van het traject "
        "is verstreken; de cijfers blijven."
    )

    def handle(self, *args: object, **options: object) -> None:
        report = purge_expired()
        for kind, count in report.purged.items():
            self.stdout.write(f"{kind}: {count} cases purged")
        self.stdout.write(f"held (legal hold): {report.held}")
        self.stdout.write(f"finished tasks removed: {report.tasks}")
        self.stdout.write(f"subject requests anonymised: {report.subject_requests}")
