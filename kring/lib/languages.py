"""The languages Kring speaks to families, and the one rule for choosing a message's language.

The circle register records a person's language as an ISO 639-3 code (``coordinators.Language``,
e.g. ``ary`` Moroccan Arabic, ``pes`` Farsi); Django's catalogues have language codes
(``ar``, ``fa``). ``FAMILY_LANGUAGE_OF`` is the one table between the two: every spoken variety
maps to the written language a family reads (all Arabic varieties to Modern Standard Arabic,
Dari to Persian, West Flemish to Dutch).

The rule (README, "Languages"):

1. Nothing recorded: Dutch.
2. Dutch or English recorded: that language.
3. Another language with a catalogue, and every string the message uses translated there
   (checked at render time, string by string): the message in that language alone.
4. Otherwise — a language without a catalogue, or a catalogue that misses any string of this
   message: the message in Dutch with the same message in English below it.

Translations that no native speaker has checked still count as translations (they carry the
``unchecked`` flag in the .po file; the office sees per language how many are approved).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The languages of the family-facing screens, mail and documents; (code, name in Dutch).
# settings.LANGUAGES is built from this list.
FAMILY_LANGUAGES: list[tuple[str, str | Promise]] = [
    ("nl", _("Nederlands")),
    ("en", _("Engels")),
    ("tr", _("Turks")),
    ("ar", _("Arabisch")),
    ("pl", _("Pools")),
    ("uk", _("Oekraïens")),
    ("ti", _("Tigrinya")),
    ("so", _("Somalisch")),
    ("fa", _("Farsi")),
    ("pap", _("Papiaments")),
]
# The staff screens are in Dutch and English only.
STAFF_LANGUAGES = ("nl", "en")

# Django knows no Tigrinya, Somali or Papiamento; settings adds these to LANG_INFO.
EXTRA_LANG_INFO: dict[str, dict[str, Any]] = {
    "ti": {"bidi": False, "code": "ti", "name": "Tigrinya", "name_local": "ትግርኛ"},
    "so": {"bidi": False, "code": "so", "name": "Somali", "name_local": "Soomaali"},
    "pap": {"bidi": False, "code": "pap", "name": "Papiamento", "name_local": "Papiamentu"},
}

_ARABIC = ["acm", "acq", "aeb", "afb", "apc", "apd", "ara", "arb", "arq", "ary", "arz", "ayl"]
# ISO 639-3 (the circle register) -> Django language code (the catalogues).
FAMILY_LANGUAGE_OF: dict[str, str] = {
    "nld": "nl",
    "vls": "nl",
    "eng": "en",
    "tur": "tr",
    **dict.fromkeys(_ARABIC, "ar"),
    "pol": "pl",
    "ukr": "uk",
    "tir": "ti",
    "som": "so",
    "fas": "fa",
    "pes": "fa",
    "prs": "fa",
    "pap": "pap",
}

FALLBACK = ("nl", "en")


def family_language(iso_code: str | None) -> str | None:
    """The catalogue language for a recorded ISO 639-3 code: "nl" when nothing is recorded,
    None for a language Kring has no catalogue for (the message goes out in Dutch and
    English)."""
    if not iso_code:
        return settings.LANGUAGE_CODE
    return FAMILY_LANGUAGE_OF.get(iso_code)


def is_family_language(code: str) -> bool:
    return code in dict(FAMILY_LANGUAGES)


class _Recording:
    """Wraps the active translation and notes every message its catalogue lacks."""

    def __init__(self, inner: Any, misses: set[str]) -> None:
        self._inner = inner
        self._misses = misses

    def gettext(self, message: str) -> str:
        if message not in self._inner._catalog:
            self._misses.add(message)
        return str(self._inner.gettext(message))

    def ngettext(self, singular: str, plural: str, number: int) -> str:
        if (singular, 0) not in self._inner._catalog:
            self._misses.add(singular)
        return str(self._inner.ngettext(singular, plural, number))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


@contextmanager
def recording_misses(language: str) -> Iterator[set[str]]:
    """Activate ``language`` and collect the messages looked up that it has no translation
    for. Django keeps the active translation in ``trans_real._active``; this wraps it for
    the duration and puts it back."""
    from django.utils.translation import trans_real  # not at import: settings import this module

    misses: set[str] = set()
    with translation.override(language):
        active = trans_real._active  # type: ignore[attr-defined]
        inner = active.value
        active.value = _Recording(inner, misses)
        try:
            yield misses
        finally:
            active.value = inner


@dataclass(frozen=True)
class Rendered[T]:
    """What a message became: one part per language (one, or Dutch then English)."""

    languages: tuple[str, ...]
    parts: tuple[T, ...]

    @property
    def language(self) -> str:
        """The language the message is labelled with (its first part's)."""
        return self.languages[0]

    @property
    def is_fallback(self) -> bool:
        return len(self.parts) > 1


def render_in[T](
    language: str | None, render: Callable[[], T], *, fallback: tuple[str, ...] = FALLBACK
) -> Rendered[T]:
    """Render one message for a person by the rule above. ``render`` is called with the
    chosen language active, once, or for each language of ``fallback`` (Dutch, then
    English; a document that cannot repeat itself passes ``("nl",)``)."""
    if language in FALLBACK:
        with translation.override(language):
            return Rendered((language,), (render(),))
    if language is not None and is_family_language(language):
        with recording_misses(language) as misses:
            result = render()
        if not misses:
            return Rendered((language,), (result,))
    parts = []
    for code in fallback:
        with translation.override(code):
            parts.append(render())
    return Rendered(fallback, tuple(parts))


# Between the Dutch and the English text of a message in the fallback.
TEXT_SEPARATOR = "\n\n— English —\n\n"


def text_in(language: str | None, render: Callable[[], str]) -> str:
    """A plain-text message (a mail body or subject) by the rule: the fallback puts the
    English text below the Dutch one (subjects: after a slash)."""
    rendered = render_in(language, render)
    return TEXT_SEPARATOR.join(rendered.parts)


def subject_and_body_in(
    language: str | None, render: Callable[[], tuple[str, str]]
) -> tuple[str, str, str]:
    """Subject, body and the language it is labelled with, by the rule."""
    rendered = render_in(language, render)
    subjects = [subject.strip() for subject, _body in rendered.parts]
    bodies = [body for _subject, body in rendered.parts]
    return " / ".join(subjects), TEXT_SEPARATOR.join(bodies), rendered.language


def speak_to(request: HttpRequest, iso_code: str | None) -> str:
    """A page behind one person's link (the date poll, the family's plan) speaks that
    person's language, unless the visitor chose one with the switch or ``?taal=``. A language
    without a catalogue gets the Dutch page (with the switch to English on it); strings the
    catalogue lacks show in Dutch. Returns the language of the page."""
    if getattr(request, "language_chosen", False):
        return translation.get_language() or settings.LANGUAGE_CODE
    language = family_language(iso_code) or settings.LANGUAGE_CODE
    translation.activate(language)
    request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
    return language
