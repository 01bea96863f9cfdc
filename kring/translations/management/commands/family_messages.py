"""Refresh the catalogues of the family's languages (README "Languages").

Runs makemessages for each family language but Dutch and English, keeps only the strings of
the family-facing files (kring/translations/sources.py), drops the guesses msgmerge marks
fuzzy (they would be ignored by Django anyway, and look translated to a reader), keeps the
existing translations and their ``unchecked`` marks, keeps the entries added by hand for
Django's own strings (form errors in Tigrinya, Somali and Papiamento, which Django has no
catalogue for), and compiles the .mo files.
"""

from __future__ import annotations

from typing import Any

import polib
from django.core.management import call_command
from django.core.management.base import BaseCommand

from kring.translations.catalogues import (
    UNCHECKED,
    catalogue_path,
    family_catalogue_languages,
    load,
)
from kring.translations.dates import DATE_NAMES
from kring.translations.sources import is_family_source

# gettext does not know these; without a rule the catalogue does not compile.
PLURAL_FORMS = {
    "ti": "nplurals=2; plural=(n > 1);",
    "so": "nplurals=2; plural=(n != 1);",
    "pap": "nplurals=2; plural=(n != 1);",
}


class Command(BaseCommand):
    help = "Refresh the family's catalogues (only family-facing strings) and compile them."

    def handle(self, *args: Any, **options: Any) -> None:
        languages = [code for code, _name in family_catalogue_languages()]
        # Django's own form errors, added by hand where Django has no catalogue (Tigrinya,
        # Somali, Papiamento): no file of Kring holds them, so makemessages drops them; they
        # come back as they were (translation and mark).
        django_own = {code: _django_own(code) for code in languages}
        call_command(
            "makemessages",
            locale=languages,
            no_obsolete=True,
            ignore_patterns=[".venv/*", "node_modules/*", "kring/static/*"],
            verbosity=0,
        )
        for language in languages:
            po = load(language)
            if "INTEGER" in po.metadata.get("Plural-Forms", "") and language in PLURAL_FORMS:
                po.metadata["Plural-Forms"] = PLURAL_FORMS[language]
            po.metadata["Language"] = language
            dates = DATE_NAMES.get(language, {})
            for entry in list(po):
                if entry.msgid in dates and not entry.msgctxt:
                    continue  # Django's day and month names (kring/translations/dates.py)
                entry.occurrences = [o for o in entry.occurrences if is_family_source(*o)]
                if not entry.occurrences or entry.obsolete:
                    po.remove(entry)
                elif "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                    entry.msgstr = ""
                    entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
                    entry.previous_msgid = entry.previous_msgctxt = None
            present = {entry.msgid for entry in po if not entry.msgctxt}
            for english, name in dates.items():
                if english not in present:
                    po.append(polib.POEntry(msgid=english, msgstr=name, tcomment=UNCHECKED))
            keys = {(entry.msgctxt, entry.msgid) for entry in po}
            po.extend(e for e in django_own[language] if (e.msgctxt, e.msgid) not in keys)
            po.save()
            po.save_as_mofile(po.fpath[: -len(".po")] + ".mo")
            done = len([e for e in po if e.translated()])
            self.stdout.write(f"{language}: {len(po)} strings, {done} translated")


def _django_own(language: str) -> list[polib.POEntry]:
    """The entries of a catalogue without a source reference in Kring, day and month names
    aside (those come from kring/translations/dates.py)."""
    if not catalogue_path(language).exists():
        return []
    dates = DATE_NAMES.get(language, {})
    return [
        entry
        for entry in load(language)
        if not entry.occurrences and not entry.obsolete and entry.msgid not in dates
    ]
