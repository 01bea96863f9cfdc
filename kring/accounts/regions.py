"""Routing a Dutch postcode to a working region."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from django.utils.text import slugify

from kring.accounts.models import Postcode, Region

PC4_CSV = Path(__file__).parent / "data" / "pc4_nl.csv"
_POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s*(?:[A-Za-z]{2})?\s*$")


def pc4_of(postcode: str | None) -> str | None:
    """The four digits of a Dutch postcode ("1234 AB", "1234ab", "1234"), or None."""
    match = _POSTCODE.match(postcode or "")
    return match.group(1) if match else None


def region_for_postcode(postcode: str | None) -> Region | None:
    """The region a postcode routes to; None sends the request to the national office."""
    pc4 = pc4_of(postcode)
    if pc4 is None:
        return None
    area = Postcode.objects.select_related("region").filter(pc4=pc4).first()
    return area.region if area else None


def read_pc4_rows() -> list[dict[str, str]]:
    with PC4_CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_postcodes(region_model: Any = Region, postcode_model: Any = Postcode) -> int:
    """Create one region per province and map every PC4 of the CSV to it (idempotent).

    Takes the model classes so that the data migration can pass its historical models.
    """
    rows = read_pc4_rows()
    regions = {}
    for province in sorted({row["province"] for row in rows}):
        regions[province], _ = region_model.objects.get_or_create(
            slug=slugify(province), defaults={"name": province}
        )
    existing = set(postcode_model.objects.values_list("pc4", flat=True))
    postcode_model.objects.bulk_create(
        postcode_model(
            pc4=row["pc4"],
            place=row["place"],
            province=row["province"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            region=regions[row["province"]],
        )
        for row in rows
        if row["pc4"] not in existing
    )
    return len(rows)
