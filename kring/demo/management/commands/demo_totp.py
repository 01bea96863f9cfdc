"""``manage.py demo_totp``: the current second-factor code of every demo account."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kring.demo.totp import DEMO_TOTP_KEY, current_code


class Command(BaseCommand):
    help = "Toont de huidige code voor de tweede stap van de demo-accounts (gedeelde demosleutel)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet", action="store_true", help="Alleen de 6 cijfers.")

    def handle(self, *args: Any, **options: Any) -> None:
        code, seconds = current_code()
        if options["quiet"]:
            self.stdout.write(code)
            return
        self.stdout.write(f"Code: {code} (nog {seconds} seconden geldig)")
        self.stdout.write(f"Of zet de demosleutel in een authenticator-app: {DEMO_TOTP_KEY}")
