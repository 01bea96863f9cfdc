"""Write the API's OpenAPI schema to kring/api/openapi.json (or check it with --check)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kring.api.schema_file import SCHEMA_FILE, current_schema


class Command(BaseCommand):
    help = "Schrijft het OpenAPI-schema van de API naar kring/api/openapi.json."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="Alleen vergelijken.")

    def handle(self, *args: Any, **options: Any) -> None:
        schema = current_schema()
        if options["check"]:
            if not SCHEMA_FILE.exists() or SCHEMA_FILE.read_text() != schema:
                raise CommandError("kring/api/openapi.json is verouderd: manage.py api_schema")
            return
        SCHEMA_FILE.write_text(schema)
        self.stdout.write(f"{SCHEMA_FILE} geschreven")
