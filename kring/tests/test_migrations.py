"""Every model change has its migration: otherwise a deploy would run code against a schema
(or a list of choices) the database does not have."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_without_its_migration() -> None:
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:  # --check exits 1 when a migration is missing
        pytest.fail(
            f"Missing migrations (run manage.py makemigrations):\n{out.getvalue()}\n{exit_}"
        )
    assert "No changes detected" in out.getvalue()
