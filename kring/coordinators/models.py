"""The coordinator pool and its reference data."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.Model):
    """A language or dialect (ISO 639-3 code) that a coordinator speaks or a family asks for."""

    code = models.CharField(_("code (ISO 639-3)"), max_length=3, primary_key=True)
    name_nl = models.CharField(_("naam"), max_length=80)
    name_en = models.CharField(_("naam (Engels)"), max_length=80)
    weight = models.FloatField(_("gewicht in de bevolking"), default=0.0)

    class Meta:
        ordering = ["name_nl"]
        verbose_name = _("taal")
        verbose_name_plural = _("talen")

    def __str__(self) -> str:
        return self.name_nl
