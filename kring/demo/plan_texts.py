"""Agreements and other plan texts, as a circle writes them down at the end of a conference.

Placeholders: {a} and {b} people of the circle who carry out the agreement ("oma Ria",
"Jeroen"), {hp} the main person, {kind} the child, {dag}/{dag2} weekdays, {datum} a date,
{straat} and {plaats} where they live, {org} an organisation. A template with {kind} is only
used when the circle has a child.

``who`` says whom the agreement names, and so who is linked to it: "a" one person of the
circle, "ab" two, "hp" the main person, "hpa" the main person and one other, "kind" the child,
"kinda" the child and one other.
"""

from __future__ import annotations

from dataclasses import dataclass

from kring.accounts.models import Organisation
from kring.cases.choices import LifeDomain

D = LifeDomain
K = Organisation.Kind


@dataclass(frozen=True)
class Template:
    what: str
    when: str
    who: str = "a"
    due: int | None = None  # days after the conference, for "vóór {datum}"
    kinds: tuple[str, ...] = ()  # professional help: the kinds of organisation that offer it


def T(what: str, when: str, who: str = "a", due: int | None = None) -> Template:
    return Template(what, when, who, due)


def P(what: str, when: str, kinds: tuple[str, ...], who: str = "hp") -> Template:
    return Template(what, when, who, None, kinds)


AGREEMENTS: dict[str, tuple[Template, ...]] = {
    D.PARENTING: (
        T("{a} haalt {kind} op {dag} en {dag2} uit school.", "elke {dag} en {dag2}"),
        T(
            "{a} past op {dag}middag op {kind}, zodat {hp} even tijd voor zichzelf heeft.",
            "elke week",
        ),
        T("{kind} logeert één weekend per maand bij {a}.", "één weekend per maand", "kinda"),
        T("{a} en {b} brengen {kind} om de beurt naar de sport.", "elke {dag}", "ab"),
        T(
            "{hp} en {a} maken samen een weekschema voor het huishouden en hangen het op de "
            "koelkast.",
            "vóór {datum}",
            "hpa",
            14,
        ),
        T("{a} kookt elke {dag} voor het gezin en eet mee.", "elke {dag}"),
        T("{hp} brengt {kind} elke ochtend op tijd naar school.", "elke schooldag", "hp"),
        T("{a} helpt {kind} op {dag} met het huiswerk.", "elke {dag}"),
        T(
            "{hp} en {a} maken geen ruzie meer over de opvoeding waar {kind} bij is.",
            "vanaf nu",
            "hpa",
        ),
        T("{a} gaat elke zaterdag met {kind} iets leuks doen.", "elke zaterdag"),
        T("{kind} gaat in de zomervakantie een week logeren bij {a}.", "zomervakantie", "kinda"),
        T(
            "{hp} spreekt vaste bedtijden af met {kind}: door de week om half negen naar bed.",
            "vanaf deze week",
            "hp",
        ),
        T("{a} komt elke {dag} helpen met het huishouden.", "elke {dag}"),
        T("{a} neemt de kinderen op woensdagmiddag mee naar de speeltuin.", "elke woensdag"),
    ),
    D.SAFETY: (
        T(
            "Als het thuis te druk wordt, belt {hp} eerst {a}; {a} komt dan langs of haalt {kind} "
            "op.",
            "altijd als het nodig is",
            "hpa",
        ),
        T(
            "{a} belt elke avond om negen uur met {hp} om te horen of alles rustig is.",
            "elke avond",
        ),
        T(
            "{kind} kan altijd bij {a} terecht; het nummer van {a} staat in de telefoon van "
            "{kind}.",
            "vanaf vandaag",
            "kinda",
        ),
        T(
            "{a} is het vaste aanspreekpunt voor de hulpverlening als er zorgen zijn over de "
            "veiligheid.",
            "doorlopend",
        ),
        T(
            "Er wordt in huis geen alcohol gedronken als de kinderen er zijn; {a} spreekt {hp} "
            "erop aan als dat toch gebeurt.",
            "vanaf nu",
            "hpa",
        ),
        T(
            "{a} en {b} zijn erbij als {kind} van de ene naar de andere ouder gaat, zodat de "
            "overdracht rustig verloopt.",
            "bij elke overdracht",
            "ab",
        ),
        T(
            "{hp} loopt bij ruzie eerst een blokje om voordat het gesprek verdergaat.",
            "vanaf nu",
            "hp",
        ),
        T("{a} slaapt de eerste twee weken bij {hp} in huis.", "de eerste twee weken"),
        T("{a} bewaart een reservesleutel van de woning van {hp}.", "binnen een week", "a", 7),
        T("{a} komt elke {dag} even langs om te kijken hoe het gaat.", "elke {dag}"),
    ),
    D.HOUSING: (
        T(
            "{a} helpt {hp} twee zaterdagen achter elkaar met het opruimen van de woning.",
            "de komende twee zaterdagen",
        ),
        T("{a} en {b} schilderen samen de kinderkamer.", "vóór {datum}", "ab", 30),
        T(
            "{hp} en {a} gaan samen naar de woningcorporatie om de huurachterstand te bespreken.",
            "binnen twee weken",
            "hpa",
            14,
        ),
        T("{a} regelt een aanhanger om het grofvuil weg te brengen.", "vóór {datum}", "a", 21),
        T(
            "{hp} schrijft zich in voor een andere woning; {a} kijkt elke week mee naar het "
            "aanbod.",
            "elke week",
            "hpa",
        ),
        T("{a} biedt {hp} een logeerplek aan zolang dat nodig is.", "als het nodig is"),
        T("{a} repareert de kapotte deur van de slaapkamer.", "vóór {datum}", "a", 14),
        T(
            "{a} gaat met de buren praten over het geluid en wat ze daarover afspreken.",
            "binnen twee weken",
            "a",
            14,
        ),
        T("{a} helpt {hp} elke {dag} met de was en de afwas.", "elke {dag}"),
    ),
    D.FINANCES: (
        T("{a} opent elke {dag} samen met {hp} de post.", "elke {dag}", "hpa"),
        T(
            "{hp} en {a} maken een overzicht van alle vaste lasten en schulden.",
            "vóór {datum}",
            "hpa",
            14,
        ),
        T("{a} helpt {hp} met het aanvragen van de toeslagen.", "vóór {datum}", "a", 21),
        T("{hp} laat {a} elke maand meekijken op de bankrekening.", "elke maand", "hpa"),
        T("{a} gaat mee naar het eerste gesprek bij de schuldhulpverlening.", "eerste gesprek"),
        T(
            "{a} helpt {hp} een automatische overschrijving voor de huur in te stellen, op de "
            "eerste van de maand.",
            "vanaf volgende maand",
        ),
        T("{a} doet één keer per week met {hp} de boodschappen, met een vast budget.", "elke week"),
        T(
            "{hp} belt elke maandag met {a} om de uitgaven van de week door te nemen.",
            "elke maandag",
            "hpa",
        ),
        T(
            "{a} leent {hp} geen geld meer, maar helpt wel met eten als het op is.",
            "vanaf nu",
        ),
    ),
    D.HEALTH: (
        T("{a} gaat mee naar de huisarts.", "bij de volgende afspraak"),
        T("{a} haalt elke week de medicijnen op bij de apotheek.", "elke week"),
        T("{hp} en {a} gaan twee keer per week samen wandelen.", "{dag} en {dag2}", "hpa"),
        T(
            "{a} zet alle afspraken in het ziekenhuis op een lijst en hangt die op.",
            "vóór {datum}",
            "a",
            10,
        ),
        T("{a} kookt op {dag} een gezonde maaltijd voor {hp}.", "elke {dag}"),
        T("{hp} maakt een afspraak bij de tandarts; {a} gaat mee.", "binnen een maand", "hpa", 30),
        T("{a} rijdt {hp} naar de fysiotherapie.", "elke {dag}"),
    ),
    D.MENTAL_HEALTH: (
        T("{a} belt {hp} elke ochtend om te vragen hoe het gaat.", "elke ochtend"),
        T(
            "{hp} vertelt het {a} als het minder gaat; samen bellen ze dan de behandelaar.",
            "als het nodig is",
            "hpa",
        ),
        T("{a} en {b} maken een rooster, zodat {hp} elke dag iemand ziet.", "elke dag", "ab"),
        T("{a} gaat mee naar de afspraken bij de behandelaar.", "bij elke afspraak"),
        T(
            "{hp} schrijft met {a} op wat de eerste signalen van een terugval zijn en wat "
            "dan helpt.",
            "vóór {datum}",
            "hpa",
            21,
        ),
        T("{a} neemt {kind} elke {dag}middag mee, zodat {hp} rust heeft.", "elke {dag}"),
        T("{hp} gaat elke dag naar buiten; op {dag} gaat {a} mee.", "elke dag", "hpa"),
    ),
    D.ADDICTION: (
        T(
            "{hp} drinkt niet als de kinderen er zijn; {a} belt elke avond om te vragen hoe "
            "het gaat.",
            "elke avond",
            "hpa",
        ),
        T("{a} gaat mee naar het intakegesprek bij de verslavingszorg.", "vóór {datum}", "a", 14),
        T("{hp} vertelt {a} eerlijk als het niet lukt om niet te gebruiken.", "altijd", "hpa"),
        T(
            "{a} en {b} doen op vrijdagavond iets met {hp} waar geen alcohol bij is.",
            "elke vrijdag",
            "ab",
        ),
        T("Er staat geen alcohol meer in huis; {a} helpt met opruimen.", "vanaf vandaag"),
        T("{hp} gaat elke week naar de zelfhulpgroep; {a} brengt en haalt.", "elke {dag}", "hpa"),
        T(
            "{a} beheert tijdelijk de bankpas van {hp}, zodat er geen geld naar drank gaat.",
            "de komende drie maanden",
        ),
    ),
    D.EDUCATION: (
        T(
            "{kind} gaat elke dag naar school; {a} belt om half negen even om te vragen of het "
            "gelukt is.",
            "elke schooldag",
            "kinda",
        ),
        T("{a} helpt {kind} op {dag} met het plannen van het huiswerk.", "elke {dag}"),
        T("{hp} gaat met {a} naar het gesprek met de mentor.", "vóór {datum}", "hpa", 14),
        T("{kind} zoekt samen met {a} een stageplek.", "vóór {datum}", "kinda", 45),
        T("{a} brengt {kind} de eerste twee weken naar school.", "de eerste twee weken"),
        T("{kind} meldt zich bij de mentor als het in de klas niet goed gaat.", "vanaf nu", "kind"),
        T("{a} overhoort {kind} voor de proefwerken.", "voor elk proefwerk"),
        T(
            "{hp} schrijft zich in voor een taalcursus; {a} helpt met inschrijven.",
            "vóór {datum}",
            "hpa",
            30,
        ),
    ),
    D.WORK: (
        T("{a} helpt {hp} met het schrijven van een sollicitatiebrief.", "vóór {datum}", "a", 14),
        T(
            "{hp} gaat twee ochtenden per week vrijwilligerswerk doen bij de kringloopwinkel; {a} "
            "gaat de eerste keer mee.",
            "vanaf {datum}",
            "hpa",
            14,
        ),
        T(
            "{a} vraagt bij de eigen werkgever of daar werk is voor {hp}.",
            "binnen twee weken",
            "a",
            14,
        ),
        T("{a} belt {hp} elke ochtend om half acht als wekker.", "elke werkdag"),
        T("{a} oefent met {hp} voor het sollicitatiegesprek.", "voor het gesprek"),
        T("{a} gaat met {hp} kijken bij een plek voor dagbesteding.", "vóór {datum}", "a", 21),
    ),
    D.SOCIAL: (
        T("{a} neemt {hp} mee naar de koffieochtend in het buurthuis.", "elke {dag}"),
        T("{a} en {b} komen om de beurt op zondag eten.", "elke zondag", "ab"),
        T("{hp} gaat weer naar de sportclub; {a} rijdt.", "elke zaterdag", "hpa"),
        T("{a} belt {hp} elke {dag} om even bij te praten.", "elke {dag}"),
        T("{a} organiseert een familiedag met iedereen uit de kring.", "vóór {datum}", "a", 35),
        T("{a} stuurt {hp} elke week een berichtje en spreekt een keer per maand af.", "elke week"),
        T(
            "{a} maakt een groepsapp met de kring, zodat iedereen weet wat er speelt.",
            "vanaf deze week",
        ),
        T(
            "{a} organiseert elke eerste zaterdag van de maand een koffieochtend voor de bewoners "
            "van de {straat}.",
            "elke eerste zaterdag van de maand",
        ),
        T(
            "{a} en {b} nodigen de jongeren uit de buurt uit voor het volgende bewonersoverleg.",
            "binnen twee weken",
            "ab",
            14,
        ),
    ),
    D.JUSTICE: (
        T("{a} gaat mee naar de zitting bij de rechter.", "bij de zitting"),
        T("{hp} maakt de taakstraf af; {a} brengt {hp} erheen.", "elke {dag}", "hpa"),
        T(
            "{hp} schrijft een excuusbrief aan het slachtoffer; {a} helpt met schrijven.",
            "vóór {datum}",
            "hpa",
            14,
        ),
        T(
            "{hp} is door de week om tien uur 's avonds thuis; {a} belt om dat na te gaan.",
            "elke avond",
            "hpa",
        ),
        T(
            "{hp} betaalt de schade in maandelijkse bedragen terug; {a} houdt het overzicht bij.",
            "elke maand",
            "hpa",
        ),
        T(
            "{hp} komt voorlopig niet in de buurt van het winkelcentrum waar het gebeurde.",
            "vanaf nu",
            "hp",
        ),
        T("{a} en {b} gaan mee naar het gesprek bij de reclassering.", "vóór {datum}", "ab", 21),
    ),
    D.CARE: (
        T(
            "{a} en {b} maken een zorgrooster, zodat er elke dag iemand bij {hp} langskomt.",
            "elke dag",
            "ab",
        ),
        T("{a} doet op {dag} de boodschappen voor {hp}.", "elke {dag}"),
        T(
            "{a} neemt op {dag} en in het weekend de zorg over, zodat de mantelzorger kan "
            "bijkomen.",
            "elke {dag} en het weekend",
        ),
        T("{a} regelt de administratie en de rekeningen van {hp}.", "elke maand"),
        T("{a} gaat met {hp} kijken bij de dagbesteding in {plaats}.", "vóór {datum}", "a", 21),
        T("{a} kookt op {dag} en neemt een portie extra mee voor {hp}.", "elke {dag}"),
        T("{a} zet elke week de medicijnen voor {hp} klaar in de medicijnbox.", "elke {dag}"),
        T("{a} brengt {hp} naar de kapper en naar de markt.", "elke {dag}"),
    ),
}

# Agreements that call on professional help, with the kinds of organisation that give it.
_YOUTH = (K.YOUTH_CARE, K.MUNICIPALITY)
_CARE = (K.MUNICIPALITY, K.OTHER)
PROFESSIONAL: dict[str, tuple[Template, ...]] = {
    D.PARENTING: (
        P("{org} geeft {hp} elke week opvoedondersteuning aan huis.", "elke week", _YOUTH),
        P("{a} gaat met {hp} mee naar de oudercursus van {org}.", "{dag}avond", _YOUTH, "hpa"),
        P(
            "{org} zoekt met het gezin naar een weekendpleeggezin in de familie.",
            "vóór {datum}",
            _YOUTH,
        ),
    ),
    D.SAFETY: (
        P(
            "De jeugdbeschermer van {org} komt eens per twee weken op huisbezoek en bespreekt de "
            "veiligheid met {hp} en {a}.",
            "eens per twee weken",
            (K.YOUTH_PROTECTION,),
            "hpa",
        ),
        P("{org} begeleidt de omgang tussen {kind} en de andere ouder.", "elke twee weken", _YOUTH),
        P("{hp} belt bij dreiging direct {org}.", "als het nodig is", (K.SAFE_HOME,)),
    ),
    D.HOUSING: (
        P(
            "De woonconsulent van {org} maakt met {hp} een betalingsregeling voor de "
            "huurachterstand.",
            "vóór {datum}",
            (K.HOUSING,),
        ),
        P(
            "{org} kijkt of {hp} een urgentieverklaring kan krijgen.",
            "binnen een maand",
            (K.MUNICIPALITY,),
        ),
    ),
    D.FINANCES: (
        P(
            "De schuldhulpverlener van {org} maakt met {hp} een plan voor de schulden; {a} "
            "gaat mee.",
            "vóór {datum}",
            (K.MUNICIPALITY,),
            "hpa",
        ),
        P("{org} regelt budgetbeheer voor {hp}.", "vóór {datum}", (K.MUNICIPALITY, K.OTHER)),
        P(
            "{a} belt elke maandag met de schuldhulpverlener van {org}.",
            "elke maandag",
            (K.MUNICIPALITY,),
            "a",
        ),
    ),
    D.HEALTH: (
        P("{org} regelt thuiszorg voor de ochtenden.", "vóór {datum}", _CARE),
        P(
            "De wijkverpleegkundige van {org} komt twee keer per week langs.",
            "twee keer per week",
            _CARE,
        ),
    ),
    D.MENTAL_HEALTH: (
        P(
            "{hp} blijft in behandeling bij {org}; {a} gaat mee naar de afspraken.",
            "elke twee weken",
            (K.MENTAL_HEALTH,),
            "hpa",
        ),
        P("{org} maakt met {hp} en {a} een crisisplan.", "vóór {datum}", (K.MENTAL_HEALTH,), "hpa"),
    ),
    D.ADDICTION: (
        P(
            "{hp} meldt zich aan bij {org} voor behandeling.",
            "binnen twee weken",
            (K.MENTAL_HEALTH,),
        ),
        P(
            "De verslavingsarts van {org} bespreekt met {hp} en {a} hoe het gaat.",
            "elke maand",
            (K.MENTAL_HEALTH,),
            "hpa",
        ),
    ),
    D.EDUCATION: (
        P(
            "De zorgcoördinator van {org} maakt met {kind} een aangepast rooster.",
            "vóór {datum}",
            (K.SCHOOL,),
            "kind",
        ),
        P(
            "{org} zoekt samen met de ouders een passende school voor {kind}.",
            "vóór {datum}",
            (K.SCHOOL,),
        ),
        P(
            "{kind} krijgt elke week begeleiding van {org}.",
            "elke {dag}",
            (K.SCHOOL, K.YOUTH_CARE),
            "kind",
        ),
        P(
            "{org} helpt {hp} met het kiezen van een opleiding.",
            "vóór {datum}",
            (K.MUNICIPALITY, K.SCHOOL),
        ),
    ),
    D.WORK: (
        P("{org} helpt {hp} met een traject naar werk.", "vanaf {datum}", (K.MUNICIPALITY,)),
        P(
            "{org} zoekt voor {hp} een werkervaringsplek.",
            "vóór {datum}",
            (K.MUNICIPALITY, K.OTHER),
        ),
    ),
    D.SOCIAL: (
        P("{org} koppelt {hp} aan een maatje.", "vóór {datum}", _CARE),
        P(
            "Het wijkteam van {org} helpt de bewoners een bewonersavond op te zetten.",
            "vóór {datum}",
            (K.MUNICIPALITY,),
            "a",
        ),
    ),
    D.JUSTICE: (
        P(
            "{hp} houdt zich aan de afspraken met {org} en meldt zich elke {dag}.",
            "elke {dag}",
            (K.JUSTICE,),
        ),
        P(
            "{org} begeleidt een herstelgesprek tussen {hp} en het slachtoffer.",
            "vóór {datum}",
            (K.JUSTICE, K.OTHER),
        ),
    ),
    D.CARE: (
        P("{org} regelt dagbesteding voor {hp} op {dag} en {dag2}.", "{dag} en {dag2}", _CARE),
        P("{org} kijkt of {hp} een traplift kan krijgen.", "vóór {datum}", (K.MUNICIPALITY,)),
    ),
}

NEXT_MEETING = (
    "Over zes weken, op {datum}, komt iedereen weer bij elkaar bij {a} thuis om te bespreken "
    "hoe het gaat.",
    "Op {datum} om half acht bespreken we het plan met de hele kring, weer op dezelfde plek.",
    "{a}, {b} en {hp} zien elkaar elke eerste zondag van de maand; de hele kring komt op "
    "{datum} weer bij elkaar.",
    "Op {datum} komen we samen bij {hp} thuis; {a} zorgt voor koffie en vraagt iedereen hoe "
    "het gaat met de afspraken.",
)
WHO_CALLS_TOGETHER = (
    "{a} houdt in de gaten of de afspraken lopen en belt iedereen bij elkaar als iets niet werkt.",
    "Als iets in het plan niet werkt, belt {hp} eerst {a}; {a} roept dan de kring bij elkaar.",
    "{a} en {b} samen; zij zitten in de groepsapp met iedereen uit de kring.",
    "{a}. Iedereen die merkt dat een afspraak niet lukt, laat het {a} weten.",
)
EMERGENCY = (
    "Als {hp} het niet meer aankan, belt {hp} {a}. {a} komt direct of haalt {kind} op. Lukt "
    "dat niet, dan belt {hp} {b}. Bij direct gevaar: 112.",
    "Als het thuis niet veilig is, gaat {kind} naar {a}; {a} haalt {kind} op, ook 's nachts. "
    "{a} belt daarna de jeugdbeschermer.",
)
EMERGENCY_ADULT = (
    "Bij de eerste signalen van een terugval belt {a} de huisarts of de crisisdienst; {b} "
    "blijft dan bij {hp}. Bij direct gevaar: 112.",
    "Als {hp} niet opneemt en niet thuis is, gaat {a} langs met de reservesleutel en belt {b}.",
)
FOLLOW_UP = {
    "fully": (
        "De afspraken lopen goed. {a} komt vaak langs en de kring heeft elkaar weer gezien. "
        "{hp} is tevreden.",
        "Het gaat goed: bijna alles wat is afgesproken gebeurt ook. De volgende bijeenkomst "
        "staat gepland.",
    ),
    "partly": (
        "Een deel van de afspraken loopt. {a} doet wat is afgesproken, maar een paar afspraken "
        "zijn nog niet gestart. De kring komt binnenkort bij elkaar om dat te bespreken.",
        "Wisselend: de praktische hulp loopt, de afspraken met de hulpverlening nog niet. {a} "
        "roept de kring bij elkaar.",
    ),
    "not": (
        "Het gaat moeizaam: weinig afspraken zijn van de grond gekomen. {hp} voelt zich "
        "weinig gesteund; {a} probeert de kring opnieuw bij elkaar te krijgen.",
        "Na de conferentie is het stil geworden. {a} heeft het plan met {hp} nog eens doorgenomen.",
    ),
}
PROGRESS = (
    "Loopt goed",
    "Gestart, de eerste keer is gelukt",
    "Nog niet begonnen",
    "Gaat elke week door",
    "Gedaan",
    "Lukt niet altijd, we praten erover",
)
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
