"""The committed OpenAPI schema (kring/api/openapi.json): a test fails when the API's
schema changes without it (``manage.py api_schema`` writes it again)."""

from __future__ import annotations

import json
from pathlib import Path

from django.utils import translation

SCHEMA_FILE = Path(__file__).with_name("openapi.json")


def current_schema() -> str:
    from kring.api.api import api

    with translation.override("nl"):
        schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
