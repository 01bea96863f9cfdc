"""Two windows, one text: a form carries a digest of what it showed (``seen``), and the
action that saves it refuses when the stored text changed since, so the later save does not
silently overwrite the earlier one. The refused form keeps what was typed and carries the new
digest: saving again (after reading what changed) goes through.

The plan editor has its own version counter (``Plan.lock_version``); this is for the simple
forms of one row's text fields, where a counter column would be one more migration per model.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db import models
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _


def digest(values: Iterable[Any]) -> str:
    """A short fingerprint of the values a form showed (not secret: anyone who sees the form
    sees the values)."""
    text = json.dumps([str(value) for value in values], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def seen_field() -> forms.CharField:
    # The label only shows with an error on a tampered value (hidden fields have no place).
    return forms.CharField(
        label=_("Versie van het formulier"),
        widget=forms.HiddenInput,
        required=False,
        max_length=64,
    )


def changed_since(seen: str, current: Iterable[Any], posted: Iterable[Any]) -> bool:
    """Whether someone else changed the text after this form was shown: the stored values no
    longer match what the form saw, and the form does not already say the same. An empty
    ``seen`` (a form from before this check) is not checked."""
    now = list(current)
    return bool(seen) and seen != digest(now) and list(posted) != now


def model_values(instance: models.Model, fields: Iterable[str]) -> list[str]:
    """The row's values of these fields, as a ModelForm edits them (a foreign key as its id),
    in a fixed order: what a form's digest is made of."""
    names = sorted(fields)
    values = model_to_dict(instance, fields=names)
    return [str(values.get(name)) for name in names]


def model_digest(instance: models.Model, fields: Iterable[str]) -> str:
    return digest(model_values(instance, fields))
