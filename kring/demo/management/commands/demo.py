"""``manage.py demo``: fill an empty database with coherent, synthetic Dutch demo data."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kring.demo.generate import SCALES, generate
from kring.demo.people import DOMAIN, DUO_REGIONS, OFFICE_EMAIL, PASSWORD, RESEARCHER_EMAIL
from kring.demo.totp import DEMO_TOTP_KEY, enrol_demo_users
from kring.demo.training import TRAINER_EMAIL
from kring.intake.models import Request
from kring.stats.facts import rebuild_all

LOGINS = (
    ("Landelijk bureau (beheer)", OFFICE_EMAIL),
    ("Regiomanager Utrecht", f"manager.utrecht@{DOMAIN}"),
    ("Eigen Kracht-coördinator", f"coordinator1@{DOMAIN}"),
    ("Professional (verwijzer)", f"professional1@{DOMAIN}"),
    ("Onderzoeker", RESEARCHER_EMAIL),
    ("Trainer (opleiding)", TRAINER_EMAIL),
)


class Command(BaseCommand):
    help = (
        "Vult een lege database met samenhangende demogegevens: aanvragen, trajecten en "
        "logboek; per traject vanaf 'coördinator gekoppeld' de voorbereiding met kring, "
        "contactmomenten, professionals en veiligheidsvoorwaarden; conferenties met "
        "aanwezigheid; plannen met afspraken, eerste versie, nazorg en uitvoering. "
        "Bij --scale national krijgen alleen de open trajecten en die van de laatste 90 dagen "
        "een kring (deelnemers, contactmomenten, professionals, uitnodigingen, aanwezigheid); "
        "voorbereidingen, conferenties, plannen en afspraken zijn er voor alle trajecten "
        "(oudere afspraken noemen de mensen alleen in de tekst)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="Startwaarde van het toeval.")
        parser.add_argument(
            "--scale",
            choices=sorted(SCALES),
            default="small",
            help=(
                "small: ~400 aanvragen, alles gevuld; national: 100.000 aanvragen, kringen "
                "alleen voor open trajecten en de laatste 90 dagen (zie boven)."
            ),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Sla stil over als er al aanvragen zijn (voor make demo).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Weigert met een fout als er al aanvragen zijn (er wordt nooit iets gewist).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Request.objects.exists():
            self._decline(quietly=options["if_empty"], force=options["force"])
            return
        started = time.monotonic()
        count = generate(
            seed=options["seed"],
            scale=SCALES[options["scale"]],
            now=timezone.localtime(),
            progress=options["verbosity"] > 0,
        )
        # The demo writes rows directly, past the signals that keep the figures current.
        rebuild_all()
        seconds = time.monotonic() - started
        amount = f"{count:,}".replace(",", ".")
        unit = "seconde" if round(seconds) == 1 else "seconden"
        done = f"Demogegevens aangemaakt: {amount} aanvragen in {seconds:.0f} {unit}."
        self.stdout.write(self.style.SUCCESS(done))
        self._print_logins()

    def _decline(self, *, quietly: bool, force: bool) -> None:
        """The demo never deletes, nor mixes into existing data, with or without --force."""
        if quietly and not force:
            self.stdout.write("Er zijn al aanvragen: geen demogegevens toegevoegd.")
            self._print_logins()
            return
        message = (
            "De database bevat al aanvragen; de demo voegt niets toe en verwijdert niets. "
            "Begin met een lege database (bijvoorbeeld: manage.py flush) als je demogegevens wilt."
        )
        if force:
            raise CommandError(message)
        self.stdout.write(self.style.WARNING(message))

    def _print_logins(self) -> None:
        # The logins shown must work: demo accounts made before the second factor get the key.
        enrol_demo_users()
        self.stdout.write(f"\nInloggen kan met deze accounts (wachtwoord: {PASSWORD}):")
        for role, email in LOGINS:
            self.stdout.write(f"  {role:<28} {email}")
        self.stdout.write(
            f"Verder: manager.<regio>@{DOMAIN} voor elke regio, "
            f"manager.{'-'.join(DUO_REGIONS)}@{DOMAIN} voor twee regio's, "
            f"coordinator<N>@{DOMAIN} en professional<N>@{DOMAIN}."
        )
        self.stdout.write(
            "Tweede stap (code uit de app): `.venv/bin/python manage.py demo_totp` toont de "
            f"huidige code; of zet de demosleutel {DEMO_TOTP_KEY} in een authenticator-app."
        )
