"""The profile of the Eigen Kracht-coördinator (from the Eigen Kracht Centrale's own text), shown
on the public page and used as the points of the self-report after EK1."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

TASKS = [
    _("inventariseert wie bij de Eigen Kracht-conferentie aanwezig kunnen zijn;"),
    _(
        "informeert alle betrokkenen over doel, werkwijze, mogelijkheden en ieders "
        "verantwoordelijkheden;"
    ),
    _("vergroot de kring om iemand en vraagt iedereen wie nog meer kan meedenken;"),
    _("zorgt samen met de aanvrager(s) dat de vraagstelling voor iedereen duidelijk is;"),
    _(
        "regelt samen met de betrokkenen de praktische voorwaarden (uitnodigingen, locatie, "
        "eten en drinken);"
    ),
    _("bereidt beroepskrachten voor op het eerste deel van de bijeenkomst;"),
    _("leidt het eerste deel van de conferentie en legt het plan van de kring schriftelijk vast;"),
    _("neemt na vier weken met enkele personen contact op over de voortgang van het plan."),
]

QUALITIES = [
    _("heeft vertrouwen in de kracht en mogelijkheden van kinderen, jongeren en volwassenen;"),
    _("heeft levenservaring;"),
    _("wil faciliterend zijn en geen hulp verlenen;"),
    _("is vasthoudend, creatief en flexibel;"),
    _("kan anderen in hun waarde laten en houdt van een afgebakende taak;"),
    _("kan activeren en (laten) organiseren, is bekwaam in het luisteren;"),
    _("kan zwijgen over vertrouwelijke informatie;"),
    _("stelt open vragen en vraagt door, zonder (voor)oordelen;"),
    _(
        "stelt zich onafhankelijk en activerend op: laat conclusies bij anderen, is vragend en "
        "niet sturend, vult het plan niet zelf in;"
    ),
    _("durft voor een groep te staan en de technisch voorzitter van de conferentie te zijn."),
]

CONDITIONS = [
    _("zit niet vast aan kantooruren;"),
    _("kan zelfstandig en vanuit huis werken;"),
    _("kan een Verklaring omtrent het gedrag (VOG) overleggen;"),
    _("beschikt over een pc, is daar vaardig mee en met social media."),
]

# The self-report: per point, does this fit you? (key, question). The keys are stored with
# the answers, so they never change; the wording may.
REPORT_POINTS: list[tuple[str, _StrPromise]] = [
    ("trust", _("Vertrouwen in de kracht van mensen, en je eigen levenservaring")),
    ("facilitate", _("Faciliteren en geen hulp verlenen; onafhankelijk en niet sturend")),
    ("listen", _("Luisteren, open vragen stellen en doorvragen")),
    ("dignity", _("Anderen in hun waarde laten, zonder (voor)oordelen")),
    ("organise", _("Vasthoudend, creatief en flexibel; (laten) organiseren")),
    ("confidential", _("Zwijgen over vertrouwelijke informatie")),
    ("chair", _("Voor een groep staan en de conferentie voorzitten")),
    ("conditions", _("Niet vast aan kantooruren, zelfstandig en vanuit huis werken, VOG, pc")),
    ("conclusion", _("Past de functie van Eigen Kracht-coördinator bij jou? Waarom?")),
]
REPORT_KEYS = [key for key, _question in REPORT_POINTS]
