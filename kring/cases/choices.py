"""The vocabulary of a request, shared by intake, matching, cases and statistics."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Variant(models.TextChoices):
    FAMILY = "family", _("Voor individu en familie")
    RESTORATIVE = "restorative", _("Herstel")
    GROUP = "group", _("Groep, straat, wijk of buurt")
    LEARNING = "learning", _("Leervragen (school)")


VARIANT_EXPLANATIONS = {
    Variant.FAMILY: _(
        "Voor een persoon of gezin dat een plan nodig heeft, bijvoorbeeld over de zorg voor "
        "kinderen, schulden, verslaving of de zorg voor een ouder familielid. De familie maakt "
        "het plan zelf, in besloten tijd."
    ),
    Variant.RESTORATIVE: _(
        "Na een conflict, incident of misdrijf: de betrokkenen en hun omgeving praten over wat "
        "er is gebeurd en wat er nodig is om het te herstellen."
    ),
    Variant.GROUP: _(
        "Voor een groep, straat, wijk, buurt of organisatie die samen een probleem wil "
        "oplossen, zoals overlast of onveiligheid."
    ),
    Variant.LEARNING: _(
        "Voor een leervraag in of rond school, bijvoorbeeld als een kind niet meer naar school "
        "gaat. Leerling, ouders, school en omgeving maken samen een plan."
    ),
}


class RequesterKind(models.TextChoices):
    SELF = "self", _("Ik vraag het voor mezelf")
    FAMILY = "family", _("Ik ben familie")
    ACQUAINTANCE = "acquaintance", _("Ik ben een bekende (vriend, buur, collega)")
    PROFESSIONAL = "professional", _("Ik ben een professional")


class LifeDomain(models.TextChoices):
    PARENTING = "parenting", _("Opvoeding en gezin")
    SAFETY = "safety", _("Veiligheid")
    HOUSING = "housing", _("Wonen")
    FINANCES = "finances", _("Geld en schulden")
    HEALTH = "health", _("Lichamelijke gezondheid")
    MENTAL_HEALTH = "mental_health", _("Psychische gezondheid")
    ADDICTION = "addiction", _("Verslaving")
    EDUCATION = "education", _("School en opleiding")
    WORK = "work", _("Werk en dagbesteding")
    SOCIAL = "social", _("Sociale contacten")
    JUSTICE = "justice", _("Justitie")
    CARE = "care", _("Zorg voor een naaste")


class CompelledHelp(models.TextChoices):
    NONE = "none", _("Nee, er is geen drang of dwang")
    PRESSURED = (
        "pressured",
        _("Ja, drang (hulp onder druk, bijvoorbeeld om een maatregel te voorkomen)"),
    )
    COMPULSORY = "compulsory", _("Ja, dwang (een maatregel van de rechter of een instantie)")
    UNKNOWN = "unknown", _("Weet ik niet")


class CompelledHelpKind(models.TextChoices):
    SUPERVISION_ORDER = "supervision_order", _("Ondertoezichtstelling (OTS)")
    OUT_OF_HOME = "out_of_home", _("(Dreigende) uithuisplaatsing")
    COMPULSORY_ADMISSION = "compulsory_admission", _("Gedwongen opname")
    EVICTION = "eviction", _("(Dreigende) huisuitzetting")
    PROBATION = "probation", _("Reclassering of jeugdstrafrecht")
    OTHER = "other", _("Anders")


class GenderWish(models.TextChoices):
    FEMALE = "female", _("Een vrouw")
    MALE = "male", _("Een man")


class AgeBand(models.TextChoices):
    UNDER_35 = "under_35", _("Jonger dan 35")
    FROM_35_TO_55 = "35_55", _("35 tot 55 jaar")
    OVER_55 = "over_55", _("Ouder dan 55")
