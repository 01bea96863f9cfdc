"""The office's systems: the dashboard's figures, nationally or for one region.

The key counts as its person (the office: every region; a manager: their own), and every
table passes the dashboard's small-cell suppression (``stats.figures.suppress``), for the
office too: figures that leave Kring by machine should not single out a family.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from kring.accounts.models import Region
from kring.api.auth import KeyAuth, key_of
from kring.api.models import Scope
from kring.api.schemas import REFUSALS, Error, FiguresOut, RegionOut
from kring.stats.figures import Filters, dashboard, suppress, visible_regions
from kring.stats.tables import SMALL_CELL

router = Router(auth=KeyAuth(Scope.FIGURES), tags=["cijfers"])


def _regions(user: Any) -> Any:
    allowed = visible_regions(user, Filters())
    regions = Region.objects.all()
    return regions if allowed is None else regions.filter(pk__in=allowed)


@router.get(
    "/figures/regions",
    response={200: list[RegionOut], **REFUSALS},
    summary="De regio's waarvoor deze sleutel cijfers ziet",
    operation_id="list_regions",
)
def list_regions(request: HttpRequest) -> Any:
    return [{"slug": r.slug, "name": r.name} for r in _regions(key_of(request).acts_for)]


@router.get(
    "/figures",
    response={200: FiguresOut, 404: Error, **REFUSALS},
    summary="De cijfers van het dashboard",
    operation_id="get_figures",
)
def get_figures(
    request: HttpRequest,
    region: str | None = Query(None, max_length=50, pattern=r"^[-a-z0-9_]+$"),
) -> Any:
    user = key_of(request).acts_for
    filters = Filters()
    scope = _("Nederland") if user is not None and not user.is_manager else ""
    if region is not None:
        chosen = _regions(user).filter(slug=region).first()
        if chosen is None:
            return Status(404, {"detail": _("Deze regio is niet gevonden.")})
        filters, scope = Filters(regions=(chosen.pk,)), chosen.name
    elif user is not None and user.is_manager:
        scope = ", ".join(r.name for r in _regions(user))
    figures = dashboard(user, filters)  # type: ignore[arg-type]
    tables = [suppress(table) for table in figures.tables]
    return {
        "scope": scope,
        "cases": figures.cases if figures.cases == 0 or figures.cases >= SMALL_CELL else None,
        "tables": [
            {
                "key": table.key,
                "title": str(table.title),
                "headers": [str(h) for h in table.headers],
                "note": str(table.note),
                "rows": [
                    {
                        "label": str(label),
                        "cells": [
                            {
                                "value": None if cell.value is None else float(cell.value),
                                "kind": cell.kind,
                                "suppressed": cell.hidden,
                            }
                            for cell in cells
                        ],
                    }
                    for label, cells in table.rows
                ],
            }
            for table in tables
        ],
    }
