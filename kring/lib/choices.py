"""``get_FOO_display`` without rebuilding the field's choices on every call.

Django's ``Model._get_FIELD_display`` builds a dict of all of a field's choices each time it is
called, hashing every label; a label is a lazy translation, so each hash translates it. The
case page shows about twenty log rows, each with its action (some eighty choices): that was
a quarter of the page's time (issue 17, docs/performance.md). Here the value -> label table is
built once per field; the labels stay lazy, so each call still shows the current language.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


@cache
def _labels(field: models.Field[Any, Any]) -> dict[Any, Any]:
    return {make_hashable(value): label for value, label in field.flatchoices}


class QuickChoiceDisplay(models.Model):
    """A model base whose ``get_FOO_display`` looks its label up in a table made once."""

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: models.Field[Any, Any]) -> str:
        value = getattr(self, field.attname)
        label = _labels(field).get(make_hashable(value), value)
        # As Django's: the label as text, a value without a label as it is (None stays None).
        return force_str(label, strings_only=True)  # type: ignore[no-any-return]
