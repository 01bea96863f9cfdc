"""The family's own words on a request, shown to whom they are for."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from kring.cases.choices import LifeDomain

register = template.Library()


@register.filter
def life_domain_labels(values: Iterable[str] | None) -> list[str]:
    """The labels of the life areas a request names, in the order of the list; unknown
    values (an old choice) are left out."""
    chosen = set(values or ())
    return [str(domain.label) for domain in LifeDomain if domain.value in chosen]
