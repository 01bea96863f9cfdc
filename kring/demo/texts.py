"""Situations and questions for demo requests, as a family or referrer would write them.

Each scenario ties a variant to the life domains, the help under pressure and the kind of
referring organisation that usually come with it, so that generated requests hang together.
Placeholders: {hp} main person, {kind} child, {ouder} parent, {leeftijd} age of the child or
young person, {plaats} place, {straat} street.
"""

from __future__ import annotations

from dataclasses import dataclass

from kring.accounts.models import Organisation
from kring.cases.choices import CompelledHelp, CompelledHelpKind, LifeDomain, Variant

Kind = Organisation.Kind
D = LifeDomain
NONE, PRESSURED, COMPULSORY, UNKNOWN = (
    CompelledHelp.NONE,
    CompelledHelp.PRESSURED,
    CompelledHelp.COMPULSORY,
    CompelledHelp.UNKNOWN,
)


@dataclass(frozen=True)
class Scenario:
    key: str
    variant: str
    weight: float
    domains: tuple[str, ...]  # always on the request
    extra_domains: tuple[str, ...]  # some of these are added
    situations: tuple[str, ...]
    questions: tuple[str, ...]
    persons: str  # which main persons: child, adult, elder, youth, group, student
    safety: float  # chance that safety is at stake
    compelled: tuple[float, float, float, float]  # weights of none, pressured, compulsory, unknown
    compelled_kinds: tuple[str, ...] = ()
    referrers: tuple[str, ...] = (Kind.MUNICIPALITY,)  # organisations that usually refer


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "out_of_home",
        Variant.FAMILY,
        16,
        (D.PARENTING, D.SAFETY),
        (D.HOUSING, D.FINANCES, D.MENTAL_HEALTH, D.EDUCATION, D.ADDICTION),
        (
            "De jeugdbeschermer maakt zich zorgen over de veiligheid van {kind} ({leeftijd}). "
            "Er is sprake van een dreigende uithuisplaatsing. De familie wil laten zien dat "
            "zij samen kan zorgen voor een veilige plek.",
            "{kind} ({leeftijd}) woont sinds een half jaar in een pleeggezin. {ouder} wil graag "
            "dat {kind} weer thuis komt wonen, maar de hulpverlening vindt dat daar eerst een "
            "plan voor nodig is.",
            "Er is een ondertoezichtstelling voor {kind} ({leeftijd}). {ouder} is alleen met "
            "drie kinderen en raakt overbelast; oma en een tante willen helpen maar weten niet "
            "hoe.",
        ),
        (
            "Wat is er nodig zodat {kind} veilig thuis kan blijven wonen?",
            "Wat is er nodig zodat {kind} weer thuis kan komen wonen?",
            "Wie kan wat doen zodat {kind} veilig opgroeit en de hulpverlening kan afbouwen?",
        ),
        "child",
        0.85,
        (2, 5, 4, 1),
        (CompelledHelpKind.SUPERVISION_ORDER, CompelledHelpKind.OUT_OF_HOME),
        (Kind.YOUTH_PROTECTION, Kind.YOUTH_CARE, Kind.MUNICIPALITY),
    ),
    Scenario(
        "domestic_violence",
        Variant.FAMILY,
        12,
        (D.SAFETY, D.PARENTING),
        (D.MENTAL_HEALTH, D.ADDICTION, D.HOUSING, D.JUSTICE),
        (
            "Er is de afgelopen maanden een aantal keer politie aan de deur geweest vanwege "
            "ruzies tussen {ouder} en de partner. Veilig Thuis is betrokken. De kinderen hebben "
            "veel meegemaakt.",
            "{ouder} heeft na jaren van huiselijk geweld de relatie beëindigd en woont nu met "
            "de kinderen bij familie. Iedereen wil dat het rustig en veilig blijft.",
        ),
        (
            "Wat is er nodig zodat iedereen in het gezin zich weer veilig voelt?",
            "Hoe zorgen we er samen voor dat de kinderen veilig zijn en blijven?",
        ),
        "child",
        0.95,
        (3, 5, 2, 1),
        (CompelledHelpKind.SUPERVISION_ORDER, CompelledHelpKind.OTHER),
        (Kind.SAFE_HOME, Kind.MUNICIPALITY, Kind.JUSTICE),
    ),
    Scenario(
        "debts",
        Variant.FAMILY,
        10,
        (D.FINANCES, D.HOUSING),
        (D.WORK, D.MENTAL_HEALTH, D.PARENTING, D.SOCIAL),
        (
            "{hp} heeft een huurachterstand van enkele maanden en er dreigt een huisuitzetting. "
            "Er zijn schulden bij meerdere schuldeisers en de post wordt niet meer geopend.",
            "Na het verlies van het werk zijn de schulden van {hp} snel opgelopen. De "
            "woningcorporatie heeft een ontruimingsvonnis aangevraagd.",
        ),
        (
            "Wat is er nodig zodat {hp} in de woning kan blijven en de schulden onder controle "
            "komen?",
            "Hoe kunnen familie en vrienden helpen zodat {hp} weer overzicht krijgt over geld "
            "en post?",
        ),
        "adult",
        0.1,
        (5, 4, 1, 1),
        (CompelledHelpKind.EVICTION,),
        (Kind.HOUSING, Kind.MUNICIPALITY),
    ),
    Scenario(
        "addiction",
        Variant.FAMILY,
        7,
        (D.ADDICTION,),
        (D.HEALTH, D.WORK, D.PARENTING, D.FINANCES, D.SOCIAL),
        (
            "{hp} gebruikt al jaren te veel alcohol. De familie maakt zich zorgen: het werk is "
            "weg en de kinderen zien {hp} nauwelijks nog.",
            "{hp} is na een behandeling voor drugsgebruik teruggevallen. De familie wil "
            "helpen, maar weet niet goed hoe.",
        ),
        (
            "Wat is er nodig zodat {hp} weer grip krijgt op het gebruik en de familie weet wat "
            "zij kan doen?",
            "Hoe kunnen we samen voorkomen dat {hp} opnieuw terugvalt?",
        ),
        "adult",
        0.3,
        (5, 3, 1, 1),
        (CompelledHelpKind.PROBATION, CompelledHelpKind.OTHER),
        (Kind.MENTAL_HEALTH, Kind.MUNICIPALITY),
    ),
    Scenario(
        "psychiatry",
        Variant.FAMILY,
        8,
        (D.MENTAL_HEALTH,),
        (D.HEALTH, D.HOUSING, D.SOCIAL, D.WORK, D.CARE),
        (
            "{hp} heeft een psychische aandoening en is onlangs uit de kliniek ontslagen. Als "
            "het thuis niet goed gaat, dreigt een nieuwe gedwongen opname.",
            "{hp} sluit zich steeds meer af en komt de deur niet meer uit. De familie is "
            "ongerust en de huisarts adviseert een Eigen Kracht-conferentie.",
        ),
        (
            "Wat is er nodig zodat {hp} thuis stabiel kan blijven en de familie weet wat zij "
            "kan doen bij een terugval?",
            "Hoe zorgen we samen dat {hp} weer meedoet en niet alleen staat?",
        ),
        "adult",
        0.25,
        (5, 2, 2, 1),
        (CompelledHelpKind.COMPULSORY_ADMISSION,),
        (Kind.MENTAL_HEALTH, Kind.MUNICIPALITY),
    ),
    Scenario(
        "elder_care",
        Variant.FAMILY,
        7,
        (D.CARE, D.HEALTH),
        (D.HOUSING, D.SOCIAL, D.FINANCES),
        (
            "{hp} woont nog zelfstandig maar wordt vergeetachtig. De zorg komt helemaal op één "
            "dochter neer, die overbelast raakt.",
            "Na een val kan {hp} niet meer goed alleen thuis wonen. De kinderen zijn het niet "
            "eens over wat er moet gebeuren.",
        ),
        (
            "Hoe verdelen we de zorg zodat {hp} zo lang mogelijk thuis kan blijven wonen?",
            "Wat is er nodig zodat {hp} goed verzorgd wordt en niemand overbelast raakt?",
        ),
        "elder",
        0.05,
        (9, 1, 0, 1),
        (),
        (Kind.MUNICIPALITY, Kind.OTHER),
    ),
    Scenario(
        "divorce",
        Variant.FAMILY,
        9,
        (D.PARENTING,),
        (D.SOCIAL, D.HOUSING, D.FINANCES, D.MENTAL_HEALTH, D.EDUCATION),
        (
            "{ouder} en de andere ouder van {kind} zijn gescheiden en hebben voortdurend ruzie "
            "over de omgang. {kind} ({leeftijd}) zit klem tussen beide ouders.",
            "Sinds de scheiding ziet {kind} ({leeftijd}) de vader bijna niet meer. Beide "
            "families willen dat het contact weer op gang komt.",
        ),
        (
            "Wat is er nodig zodat {kind} zonder spanning contact kan hebben met beide ouders?",
            "Hoe maken we afspraken over de zorg voor {kind} waar iedereen zich aan houdt?",
        ),
        "child",
        0.2,
        (5, 3, 2, 1),
        (CompelledHelpKind.SUPERVISION_ORDER,),
        (Kind.YOUTH_CARE, Kind.MUNICIPALITY, Kind.YOUTH_PROTECTION),
    ),
    Scenario(
        "youth_justice",
        Variant.FAMILY,
        5,
        (D.JUSTICE, D.EDUCATION),
        (D.SOCIAL, D.PARENTING, D.ADDICTION, D.WORK),
        (
            "{kind} ({leeftijd}) is opgepakt voor een winkeldiefstal en heeft een taakstraf "
            "gekregen. {kind} spijbelt veel en hangt op straat met oudere jongens.",
            "{kind} ({leeftijd}) is in aanraking gekomen met de politie. De reclassering is "
            "betrokken en de ouders maken zich grote zorgen.",
        ),
        (
            "Wat is er nodig zodat {kind} de taakstraf afmaakt en weer een zinvolle dagbesteding "
            "heeft?",
            "Wie kan wat doen zodat {kind} niet opnieuw in de fout gaat?",
        ),
        "youth",
        0.3,
        (2, 4, 4, 1),
        (CompelledHelpKind.PROBATION,),
        (Kind.JUSTICE, Kind.YOUTH_PROTECTION, Kind.MUNICIPALITY),
    ),
    Scenario(
        "loneliness",
        Variant.FAMILY,
        4,
        (D.SOCIAL,),
        (D.HEALTH, D.MENTAL_HEALTH, D.WORK, D.CARE),
        (
            "{hp} is na het overlijden van de partner erg eenzaam en komt de deur nauwelijks "
            "meer uit. De kinderen wonen ver weg.",
            "{hp} heeft weinig mensen om zich heen en loopt vast met de dagelijkse dingen.",
        ),
        (
            "Wat is er nodig zodat {hp} weer mensen om zich heen heeft?",
            "Wie kan {hp} helpen om de dag weer goed door te komen?",
        ),
        "adult",
        0.0,
        (10, 0, 0, 1),
        (),
        (Kind.MUNICIPALITY, Kind.OTHER),
    ),
    Scenario(
        "young_parent",
        Variant.FAMILY,
        3,
        (D.PARENTING, D.EDUCATION),
        (D.HOUSING, D.FINANCES, D.SOCIAL),
        (
            "{kind} ({leeftijd}) is zwanger en wil het kindje houden. {kind} wil ook de "
            "opleiding afmaken en weet niet waar de baby dan terecht kan.",
        ),
        ("Wat is er nodig zodat {kind} goed voor de baby kan zorgen en de opleiding kan afmaken?",),
        "youth",
        0.1,
        (7, 2, 1, 1),
        (CompelledHelpKind.SUPERVISION_ORDER,),
        (Kind.YOUTH_CARE, Kind.MUNICIPALITY),
    ),
    Scenario(
        "after_crime",
        Variant.RESTORATIVE,
        4,
        (D.JUSTICE, D.SAFETY),
        (D.SOCIAL, D.EDUCATION),
        (
            "Na een inbraak in de {straat} weet men wie de dader is: {hp} ({leeftijd}), een "
            "jongere uit de buurt. Het slachtoffer wil graag in gesprek.",
            "Bij een vechtpartij na het uitgaan is iemand gewond geraakt. {hp} ({leeftijd}) "
            "wil het goedmaken met het slachtoffer en diens familie.",
        ),
        (
            "Wat is er nodig om de schade te herstellen en weer veilig samen in de buurt te wonen?",
            "Hoe kan {hp} het goedmaken, en wat heeft het slachtoffer daarvoor nodig?",
        ),
        "youth",
        0.4,
        (3, 3, 3, 1),
        (CompelledHelpKind.PROBATION,),
        (Kind.JUSTICE, Kind.MUNICIPALITY),
    ),
    Scenario(
        "neighbour_conflict",
        Variant.RESTORATIVE,
        4,
        (D.SOCIAL, D.HOUSING),
        (D.SAFETY, D.MENTAL_HEALTH),
        (
            "Tussen twee gezinnen in de {straat} in {plaats} is een burenruzie over geluid en "
            "parkeren geëscaleerd. Er zijn bedreigingen geuit.",
        ),
        ("Wat is er nodig zodat de buren weer prettig naast elkaar kunnen wonen?",),
        "adult",
        0.3,
        (8, 2, 0, 1),
        (CompelledHelpKind.EVICTION,),
        (Kind.HOUSING, Kind.MUNICIPALITY, Kind.JUSTICE),
    ),
    Scenario(
        "neighbourhood",
        Variant.GROUP,
        5,
        (D.SOCIAL, D.SAFETY),
        (D.HOUSING, D.JUSTICE),
        (
            "In de {straat} in {plaats} is al lange tijd overlast van hangjongeren en lawaai. "
            "Bewoners voelen zich onveilig en spreken elkaar er niet meer op aan.",
            "In een flat aan de {straat} ergeren bewoners zich aan vervuiling en overlast. De "
            "woningcorporatie en de wijkagent komen er niet uit.",
        ),
        (
            "Wat kunnen we als buurt samen doen zodat iedereen zich weer veilig en thuis voelt "
            "in de {straat}?",
            "Welke afspraken maken de bewoners zodat de overlast stopt?",
        ),
        "group",
        0.3,
        (9, 1, 0, 1),
        (),
        (Kind.MUNICIPALITY, Kind.HOUSING, Kind.JUSTICE),
    ),
    Scenario(
        "organisation",
        Variant.GROUP,
        1,
        (D.WORK, D.SOCIAL),
        (D.MENTAL_HEALTH,),
        (
            "Binnen het team van een buurthuis in {plaats} zijn ernstige spanningen tussen "
            "vrijwilligers en bewoners. Activiteiten liggen stil.",
        ),
        ("Wat is er nodig zodat het buurthuis weer een plek wordt waar iedereen welkom is?",),
        "group",
        0.0,
        (10, 0, 0, 1),
        (),
        (Kind.MUNICIPALITY, Kind.OTHER),
    ),
    Scenario(
        "school_refusal",
        Variant.LEARNING,
        4,
        (D.EDUCATION,),
        (D.PARENTING, D.MENTAL_HEALTH, D.SOCIAL),
        (
            "{kind} ({leeftijd}) gaat al drie maanden niet meer naar school. De "
            "leerplichtambtenaar is betrokken en er dreigt een proces-verbaal.",
            "{kind} ({leeftijd}) is van school gestuurd en zit thuis. Er is nog geen nieuwe "
            "school gevonden.",
        ),
        (
            "Wat is er nodig zodat {kind} weer naar school kan gaan?",
            "Hoe zorgen school, ouders en familie samen dat {kind} een diploma haalt?",
        ),
        "student",
        0.05,
        (6, 4, 0, 1),
        (CompelledHelpKind.OTHER,),
        (Kind.SCHOOL, Kind.MUNICIPALITY),
    ),
    Scenario(
        "bullying",
        Variant.LEARNING,
        2,
        (D.EDUCATION, D.SOCIAL),
        (D.MENTAL_HEALTH, D.SAFETY),
        (
            "{kind} ({leeftijd}) wordt op school gepest en durft niet meer naar de les. "
            "Gesprekken met de mentor hebben niet geholpen.",
        ),
        ("Wat is er nodig zodat {kind} zich weer veilig voelt op school?",),
        "student",
        0.2,
        (10, 1, 0, 1),
        (),
        (Kind.SCHOOL,),
    ),
)
SCENARIO_WEIGHTS = tuple(s.weight for s in SCENARIOS)
COMPELLED_CHOICES = (NONE, PRESSURED, COMPULSORY, UNKNOWN)

# Who else pays when the municipality does not: the referring institution or nobody yet.
FUNDER_INSTITUTION_KINDS = frozenset({Kind.YOUTH_PROTECTION, Kind.MENTAL_HEALTH, Kind.HOUSING})
