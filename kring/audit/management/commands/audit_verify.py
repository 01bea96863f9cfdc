"""Check the log's hash chain from the first row to the head; exit 1 at the first break."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kring.audit.chain import verify
from kring.audit.models import ChainHead


class Command(BaseCommand):
    help = "Checks the audit log's hash chain and names the first broken row."

    def handle(self, *args: Any, **options: Any) -> None:
        broken = verify()
        if broken is not None:
            where = "the chain head" if broken.seq is None else f"row {broken.seq} (id {broken.pk})"
            raise CommandError(f"Audit chain broken at {where}: {broken.reason}")
        head = ChainHead.objects.filter(pk=1).first()
        seq, digest = (head.seq, head.hash) if head else (0, "-")
        # Keep this line outside the database: a later rewrite of the whole tail shows.
        self.stdout.write(f"Audit chain intact: {seq} rows, head {digest}")
