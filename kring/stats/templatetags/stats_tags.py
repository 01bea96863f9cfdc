from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kring.stats.tables import SMALL_CELL, Cell

register = template.Library()


@register.filter
def cell(value: Cell) -> str:
    """A figure as people read it: "70,2%", "1,9 dagen", "1.234", "1.375,18" (euros); "<5"
    where suppressed."""
    if value.value is None:
        return f"<{SMALL_CELL}" if value.hidden else "–"
    if value.kind == "percent":
        return f"{_rounded(value.value, 1)}%"
    if value.kind == "days":
        return _("%(days)s dagen") % {"days": _rounded(value.value, 1)}
    if isinstance(value.value, int):
        return str(intcomma(value.value))
    return _rounded(value.value, 2 if value.kind == "money" else 1)


def _rounded(value: float, places: int) -> str:
    # Django's number_format cuts the digits beyond ``places`` off (1375.18 with one place is
    # "1375,1"): round first, as the CSV does.
    return number_format(round(value, places), places, force_grouping=True)
