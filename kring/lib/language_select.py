"""Choosing languages: a family of languages ("Arabisch, alle varianten") or single ones.

The list of languages (``coordinators.Language``, ISO 639-3) holds varieties: there is no plain
"Arabisch", only Moroccan, Levantine, Egyptian ... Arabic. A family asking for "Arabic", or a
manager looking for anyone who speaks some Arabic, picks the family; the server expands it to
every variety in the list (``LanguageMultipleChoiceField.clean``), so matching, the profile and
the request hold only real ISO 639-3 codes.

The widget is a plain ``<select multiple>`` (works without JavaScript); ``kring/multiselect.js``
turns it into a searchable tom-select where the page loads
``includes/multiselect_assets.html``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

FAMILY_PREFIX = "familie-"

# (key, label, ISO 639-3 codes of its varieties); a code not in the list is skipped.
FAMILIES: list[tuple[str, str | Promise, tuple[str, ...]]] = [
    (
        "ara",
        _("Arabisch, alle varianten"),
        ("acm", "acq", "aeb", "afb", "apc", "apd", "ara", "arb", "arq", "ary", "arz", "ayl"),
    ),
    ("ber", _("Berbers (Tamazight), alle varianten"), ("rif", "shi", "tzm", "zgh", "kab")),
    ("kur", _("Koerdisch, alle varianten"), ("kmr", "ckb", "sdh", "kur")),
    ("fas", _("Perzisch (Farsi en Dari)"), ("pes", "prs", "fas")),
    ("zho", _("Chinees, alle varianten"), ("cmn", "yue", "hak", "nan", "wuu", "zho")),
    ("rom", _("Romani, alle varianten"), ("rom", "rmo", "rmy")),
    (
        "nds",
        _("Nedersaksisch, alle varianten"),
        ("nds", "gos", "drt", "twd", "act", "sdz", "stl", "vel"),
    ),
]
MULTISELECT_ATTR = "data-kring-multiselect"


def family_choices(codes: Iterable[str]) -> list[tuple[str, str]]:
    """The families with at least two of their varieties among ``codes``."""
    present = set(codes)
    return [
        (FAMILY_PREFIX + key, str(label))
        for key, label, members in FAMILIES
        if len(present.intersection(members)) >= 2
    ]


def expand(values: Iterable[str]) -> list[str]:
    """Codes and family values to codes, each once, in the order given."""
    members = {FAMILY_PREFIX + key: codes for key, _label, codes in FAMILIES}
    codes: list[str] = []
    for value in values:
        for code in members.get(value, (value,)):
            if code not in codes:
                codes.append(code)
    return codes


class LanguageMultipleChoiceField(forms.MultipleChoiceField):
    """Several languages from ``queryset`` (primary key = the ISO 639-3 code), with the
    families first; cleans to the list of model objects, families expanded."""

    widget = forms.SelectMultiple

    def __init__(self, *, queryset: QuerySet[Any], **kwargs: Any) -> None:
        self.queryset = queryset
        kwargs.setdefault("widget", forms.SelectMultiple(attrs={"size": 8}))
        super().__init__(choices=self._choices_now, **kwargs)
        self.widget.attrs.setdefault(MULTISELECT_ATTR, "")
        self.error_messages["invalid_choice"] = _("Kies een taal uit de lijst.")

    def _choices_now(self) -> list[tuple[Any, Any]]:
        # .all(): a fresh query each time, never a result cached on the shared queryset.
        languages = [(str(language.pk), str(language)) for language in self.queryset.all()]
        families = family_choices(code for code, _name in languages)
        if not families:
            return languages
        return [(_("Taalfamilies"), families), (_("Talen en dialecten"), languages)]

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, QuerySet | list | tuple):
            return [item.pk if isinstance(item, Model) else item for item in value]
        return value

    def clean(self, value: Any) -> list[Any]:  # type: ignore[override]
        values: Sequence[str] = super().clean(value)
        codes = expand(values)
        found = {language.pk: language for language in self.queryset.filter(pk__in=codes)}
        return [found[code] for code in codes if code in found]

    def has_changed(self, initial: Any, data: Any) -> bool:
        before = {str(v) for v in (self.prepare_value(initial) or [])}
        return before != set(expand(data or []))
