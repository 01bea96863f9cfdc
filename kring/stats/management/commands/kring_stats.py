"""Recompute the dashboard's summary rows: the stale ones, or (``--rebuild``) all of them."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kring.stats.facts import rebuild_all, refresh_stale


class Command(BaseCommand):
    help = "Berekent de cijfers per traject opnieuw (alleen gewijzigde, of met --rebuild alle)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="Alle trajecten opnieuw berekenen, bijvoorbeeld na een bulkimport.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = rebuild_all() if options["rebuild"] else refresh_stale()
        self.stdout.write(f"{count} trajecten bijgewerkt.")
