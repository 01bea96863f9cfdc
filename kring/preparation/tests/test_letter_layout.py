"""Issue 15 §2: the printed invitation letter is aligned (each label and its text on one line,
the texts in one column) and gives the coordinator's phone number."""

import io
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from kring.accounts.models import User
from kring.preparation.models import Preparation
from kring.preparation.tests.test_logistics import case, person, plan  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _positions(pdf: bytes) -> list[tuple[str, float, float]]:
    """(text, x, y) of each piece of text on the first page."""
    found: list[tuple[str, float, float]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if text.strip():
            found.append((text.strip(), tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found


def _at(found: list[tuple[str, float, float]], start: str) -> tuple[float, float]:
    return next((x, y) for text, x, y in found if text.startswith(start))


def test_the_letter_lines_up_and_gives_the_coordinator_s_phone(
    coordinator_client: Any,
    case: Any,  # noqa: F811
    coordinator: User,
) -> None:
    preparation = plan(case)
    Preparation.objects.filter(pk=preparation.pk).update(
        food_and_drink="Oma neemt soep mee", childcare="Buurvrouw past op"
    )
    oma = person(case, "Riet Jansen", address="Kerkstraat 1, 3511 AB Utrecht")
    pdf = coordinator_client.get(
        reverse("preparation:invitation_letter", args=[case.pk, oma.pk])
    ).content
    found = _positions(pdf)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "06 12345678" in text  # the case fixture gives the coordinator this number

    label_x, label_y = _at(found, "Eten en drinken")
    value_x, value_y = _at(found, "Oma neemt soep mee")
    assert abs(label_y - value_y) < 1  # on one line
    place_x, _ = _at(found, "Buurthuis De Linde")
    care_x, _ = _at(found, "Buurvrouw past op")
    assert abs(value_x - place_x) < 1 and abs(care_x - place_x) < 1  # one column
    assert label_x < value_x
