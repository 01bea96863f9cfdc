"""The list of languages and dialects (ISO 639-3) that coordinators speak and families ask for."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

LANGUAGES_CSV = Path(__file__).parent / "data" / "languages.csv"


def read_language_rows() -> list[dict[str, str]]:
    with LANGUAGES_CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_languages(language_model: Any) -> int:
    """Insert the languages not yet present (idempotent; edits made in the admin are kept)."""
    existing = set(language_model.objects.values_list("code", flat=True))
    rows = [row for row in read_language_rows() if row["code"] not in existing]
    language_model.objects.bulk_create(
        language_model(
            code=row["code"],
            name_nl=row["name_nl"],
            name_en=row["name_en"],
            weight=float(row.get("speakers_nl_weight") or 0),
        )
        for row in rows
    )
    return len(rows)
