from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kring.stats.tables import SMALL_CELL, Cell

register = template.Library()


@register.filter
def cell(value: Cell) -> str:
    """A figure as people read it: "70,2%", "1,9 dagen", "1.234"; "<5" where suppressed."""
    if value.value is None:
        return f"<{SMALL_CELL}" if value.hidden else "–"
    if value.kind == "percent":
        return f"{number_format(value.value, 1)}%"
    if value.kind == "days":
        return _("%(days)s dagen") % {"days": number_format(value.value, 1)}
    if isinstance(value.value, int):
        return str(intcomma(value.value))
    return number_format(value.value, 1)
