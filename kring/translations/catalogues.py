"""The family's catalogues (kring/locale/<lang>/LC_MESSAGES/django.po) as the office and the
translators see them: how many strings each language has, how many are translated, and how
many a native speaker has approved.

A translation nobody has checked carries the translator comment ``unchecked`` (``# unchecked``
above the entry): gettext and msgmerge keep translator comments, Django ignores them, so an
unchecked translation is used — better than Dutch for the family — and stays marked until a
translator approves it. Approving removes the comment (``approve``); ``fuzzy`` is not used,
because Django leaves fuzzy entries out of the compiled catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polib
from django.conf import settings

from kring.lib.languages import FAMILY_LANGUAGES, STAFF_LANGUAGES

UNCHECKED = "unchecked"


def catalogue_path(language: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"


def family_catalogue_languages() -> list[tuple[str, str]]:
    """The languages with a family catalogue: all of the family's but Dutch (the source)
    and English (whose catalogue covers the whole application)."""
    return [(code, str(name)) for code, name in FAMILY_LANGUAGES if code not in STAFF_LANGUAGES]


def load(language: str) -> polib.POFile:
    return polib.pofile(str(catalogue_path(language)), wrapwidth=79)


def is_unchecked(entry: polib.POEntry) -> bool:
    return UNCHECKED in entry.tcomment.split()


def is_translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


@dataclass(frozen=True)
class Coverage:
    language: str
    name: str
    total: int
    translated: int
    approved: int

    @property
    def unchecked(self) -> int:
        return self.translated - self.approved

    @property
    def approved_percent(self) -> int:
        return round(100 * self.approved / self.total) if self.total else 0

    @property
    def translated_percent(self) -> int:
        return round(100 * self.translated / self.total) if self.total else 0


def coverage() -> list[Coverage]:
    """Per family language: strings, translated, approved (translated and not unchecked)."""
    rows = []
    for code, name in family_catalogue_languages():
        if not catalogue_path(code).exists():
            rows.append(Coverage(code, name, 0, 0, 0))
            continue
        entries = [e for e in load(code) if not e.obsolete]
        translated = [e for e in entries if is_translated(e)]
        approved = [e for e in translated if not is_unchecked(e)]
        rows.append(Coverage(code, name, len(entries), len(translated), len(approved)))
    return rows


def unchecked_entries(language: str) -> list[polib.POEntry]:
    return [e for e in load(language) if not e.obsolete and is_translated(e) and is_unchecked(e)]


def entry_key(entry: polib.POEntry) -> str:
    """A stable key for an entry in a form: its context and msgid."""
    return f"{entry.msgctxt or ''}\x04{entry.msgid}"


def approve(language: str, keys: set[str]) -> int:
    """Remove the ``unchecked`` mark from these entries, save the .po and compile the .mo;
    returns how many were approved. Untranslated entries cannot be approved."""
    po = load(language)
    count = 0
    for entry in po:
        if entry_key(entry) in keys and is_translated(entry) and is_unchecked(entry):
            words = [w for w in entry.tcomment.split() if w != UNCHECKED]
            entry.tcomment = " ".join(words)
            count += 1
    if count:
        po.save()
        po.save_as_mofile(str(catalogue_path(language).with_suffix(".mo")))
    return count
