"""The browser's date and time pickers read ISO values only: a Dutch "07-12-2026" in an
``<input type="date">`` shows an empty field (and the office saw a blank date where the form
had filled in today). Every such field of ours writes ISO, whatever the page's language."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django import forms
from django.utils import timezone, translation

import kring
from kring.privacy.forms import SubjectRequestForm

ISO = {"date": "%Y-%m-%d", "time": "%H:%M", "datetime-local": "%Y-%m-%dT%H:%M"}


def _form_classes() -> list[type[forms.BaseForm]]:
    root = Path(kring.__file__).parent
    for path in root.rglob("*forms.py"):
        if "tests" not in path.parts:
            importlib.import_module(".".join(path.relative_to(root.parent).with_suffix("").parts))
    found, todo = [], list(forms.BaseForm.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        # Kring's own forms; tests define forms of their own (e.g. with a bare DateInput).
        ours = cls.__module__.startswith("kring.") and "tests" not in cls.__module__.split(".")
        if ours and hasattr(cls, "base_fields"):
            found.append(cls)
    return found


def test_every_picker_of_ours_writes_iso() -> None:
    pickers, wrong = 0, []
    for cls in _form_classes():
        for name, field in cls.base_fields.items():
            kind = getattr(field.widget, "input_type", "")
            if kind not in ISO:
                continue
            pickers += 1
            if getattr(field.widget, "format", None) != ISO[kind]:
                wrong.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert pickers > 20  # the walk found the forms at all
    assert wrong == []


@pytest.mark.django_db
def test_the_subject_request_form_shows_today_in_its_picker() -> None:
    with translation.override("nl"):
        html = str(SubjectRequestForm()["received_on"])
    assert f'value="{timezone.localdate().isoformat()}"' in html
    assert 'type="date"' in html
