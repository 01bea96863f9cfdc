"""The schema: OpenAPI 3.1, committed, served, with its interactive page from Kring itself."""

from __future__ import annotations

import json
from typing import Any

from django.core.management import call_command

from kring.api.schema_file import SCHEMA_FILE, current_schema


def test_the_committed_schema_is_the_apis() -> None:
    assert SCHEMA_FILE.read_text() == current_schema(), (
        "The API's schema changed: check the change, then run "
        "`DEBUG=1 .venv/bin/python manage.py api_schema` and commit kring/api/openapi.json."
    )


def test_the_check_command_agrees() -> None:
    call_command("api_schema", "--check")


def test_the_schema_is_openapi_3_1_and_served(client: Any) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    served = response.json()
    assert served["openapi"].startswith("3.1")
    assert set(json.loads(SCHEMA_FILE.read_text())["paths"]) == set(served["paths"])
    assert served["components"]["securitySchemes"]["KeyAuth"]["scheme"] == "bearer"


def test_the_docs_page_needs_no_other_host(client: Any) -> None:
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "https://" not in page
