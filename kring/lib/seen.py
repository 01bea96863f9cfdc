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
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from django import forms
from django.db import models
from django.forms.models import model_to_dict
from django.http import QueryDict
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kring.lib.errors import DomainError, refuse_into


class SavedElsewhere(DomainError):
    """Someone saved this after the form was shown (another window, device or colleague):
    saving would overwrite that unseen."""

    default_message = _(
        "Iemand heeft deze gegevens intussen ook opgeslagen (in een ander venster, op een ander "
        "apparaat of een collega). Hieronder staat eerst wat er nu is opgeslagen waar het "
        "verschilt van wat u invulde, daarna het formulier met wat u invulde; neem over wat u "
        "wilt houden en sla opnieuw op."
    )


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


def canonical(value: Any) -> str:
    """One value as a digest compares it: a row as its id, several (a many-to-many field's
    choice) as their sorted ids, so a value shown and the same value posted compare equal."""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (list, tuple, set, frozenset, models.QuerySet)):
        return ",".join(sorted(canonical(item) for item in value))
    return str(value)


def mapping_values(values: Mapping[str, Any], fields: Iterable[str]) -> list[str]:
    """Posted (cleaned) values of these fields, in the order of ``model_values``."""
    return [canonical(values.get(name)) for name in sorted(fields)]


def model_values(instance: models.Model, fields: Iterable[str]) -> list[str]:
    """The row's values of these fields, as a ModelForm edits them (a foreign key as its id),
    in a fixed order: what a form's digest is made of."""
    names = sorted(fields)
    return mapping_values(model_to_dict(instance, fields=names), names)


def model_digest(instance: models.Model, fields: Iterable[str]) -> str:
    return digest(model_values(instance, fields))


# --- Whole forms: the values a form shows, including fields that are not the model's -----


def typed_again[Form: forms.BaseForm](
    build: Callable[[QueryDict], Form], posted: QueryDict, seen: str, refusal: DomainError
) -> Form:
    """The refused form again: what was typed, the refusal above it and ``seen``, the digest
    of what is stored now, so saving again (after reading what changed) goes through."""
    data = posted.copy()
    data["seen"] = seen
    form = build(data)
    form.is_valid()
    refuse_into(form, refusal)
    return form


def changed_fields(form: forms.BaseForm) -> list[str]:
    """The fields a validated form changed, without its ``seen``: what the log row names."""
    return [name for name in form.changed_data if name != "seen"]


def edited_fields(form: forms.BaseForm) -> list[str]:
    """The fields a form edits: all but its own ``seen``."""
    return [name for name in form.fields if name != "seen"]


def form_digest(form: forms.BaseForm) -> str:
    """The digest of what an unbound form shows: its ``seen`` value."""
    return digest(shown_values(form, edited_fields(form)))


def saved_since_shown(form: forms.BaseForm, stored: forms.BaseForm) -> bool:
    """Whether the validated ``form`` was shown before the last save: ``stored`` (the same
    form, unbound, on the row as it is now, locked) no longer shows what ``form`` saw."""
    names = edited_fields(form)
    seen = form.cleaned_data.get("seen") or ""
    return changed_since(seen, shown_values(stored, names), posted_values(form, names))


def shown_values(form: forms.BaseForm, fields: Iterable[str]) -> list[str]:
    """What an unbound form shows in these fields (its initial values), digest-ready."""
    return mapping_values(_initial(form, fields), fields)


def posted_values(form: forms.BaseForm, fields: Iterable[str]) -> list[str]:
    """What a validated form posted in these fields, in the order of ``shown_values``."""
    return mapping_values(form.cleaned_data, fields)


def differences(stored: forms.BaseForm, posted: forms.BaseForm) -> list[tuple[str, str]]:
    """(label, stored value in words) of each field where what is stored now differs from
    what was just posted: what the person must look at before saving again."""
    names = [name for name in posted.fields if name != "seen"]
    now = _initial(stored, names)
    return [
        (str(posted.fields[name].label), in_words(stored.fields[name], now.get(name)))
        for name in names
        if canonical(now.get(name)) != canonical(posted.cleaned_data.get(name))
    ]


def _initial(form: forms.BaseForm, fields: Iterable[str]) -> dict[str, Any]:
    return {
        name: form.get_initial_for_field(form.fields[name], name)
        for name in fields
        if name in form.fields
    }


def in_words(field: forms.Field, value: Any) -> str:
    """A stored value as a person reads it: a choice by its label, rows by their names."""
    if value is None or value == "" or value == []:
        return gettext("(leeg)")
    if isinstance(value, bool):
        return gettext("ja") if value else gettext("nee")
    if isinstance(value, date):
        return formats.date_format(value, "j F Y")
    queryset = getattr(field, "queryset", None)
    if queryset is not None:
        many = value if isinstance(value, (list, tuple, models.QuerySet)) else [value]
        ids = [item.pk if isinstance(item, models.Model) else item for item in many]
        rows = queryset.model._default_manager.filter(pk__in=ids)
        return ", ".join(sorted(str(row) for row in rows))
    choices = dict(getattr(field, "choices", ()) or ())
    return str(choices.get(value, value))
