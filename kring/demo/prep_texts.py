"""Texts of the preparation: contact notes, the professionals' contributions, safety
conditions and the practical arrangements. Placeholders as in ``plan_texts``."""

from __future__ import annotations

from kring.accounts.models import Organisation
from kring.cases.choices import CompelledHelpKind
from kring.preparation.models import InvitationStatus

K = Organisation.Kind
S = InvitationStatus

NOTES: dict[str, tuple[str, ...]] = {
    S.ASKED: (
        "Gebeld en uitleg gegeven; denkt erover na.",
        "Voicemail ingesproken, belt terug.",
        "Brief met uitleg gestuurd.",
        "Kort gesproken bij de hoofdpersoon thuis.",
        "Appje gestuurd met de uitleg over de conferentie.",
    ),
    S.COMES: (
        "Gebeld: wil graag meedenken en komt.",
        "Op bezoek geweest, komt zeker.",
        "Appje gestuurd, komt en neemt iets te eten mee.",
        "Noemde nog twee mensen die kunnen meedenken.",
        "Gesproken na schooltijd; komt en wil helpen met de kinderen.",
        "Gebeld; was eerst twijfelachtig, komt nu toch.",
    ),
    S.CONDITIONAL: ("Gebeld. {condition}",),
    S.DECLINES: (
        "Wil niet komen, wil wel op de hoogte blijven.",
        "Kan niet vanwege werk, denkt via de telefoon mee.",
        "Heeft liever geen contact met de familie.",
        "Woont te ver weg; stuurt een brief voor de kring.",
    ),
}
FIRST_VISIT = (
    "Eerste bezoek: uitleg over de Eigen Kracht-conferentie gegeven, samen de kring getekend.",
    "Eerste bezoek thuis; hoofdpersoon wil een conferentie en noemde al acht namen.",
    "Kennismaking bij de hoofdpersoon thuis, de vraag samen verkend.",
)
CONDITIONS = (
    "Komt alleen als haar zus er ook is.",
    "Komt als er oppas is voor de kleintjes.",
    "Wil niet naast zijn ex-partner zitten.",
    "Komt als de conferentie na vijf uur begint.",
    "Komt alleen als er een tolk is.",
    "Komt als iemand haar kan ophalen.",
)
SAFETY_REASONS = (
    "Contactverbod; de hoofdpersoon voelt zich niet veilig bij hem.",
    "Lopende aangifte; overleg met Veilig Thuis.",
)
NEEDS_NOTES = ("rolstoel", "slechthorend", "kan slecht traplopen")

# The professionals: what they do (function) and what they bring in phase 1, per kind.
ROLES: dict[str, tuple[str, ...]] = {
    K.YOUTH_PROTECTION: ("jeugdbeschermer", "gezinsvoogd"),
    K.SAFE_HOME: ("medewerker Veilig Thuis", "casemanager"),
    K.MUNICIPALITY: ("wijkcoach", "consulent Wmo", "schuldhulpverlener", "jeugdconsulent"),
    K.MENTAL_HEALTH: ("behandelaar", "sociaal-psychiatrisch verpleegkundige", "verslavingsarts"),
    K.YOUTH_CARE: ("gezinshulpverlener", "ambulant hulpverlener"),
    K.HOUSING: ("woonconsulent", "huismeester"),
    K.SCHOOL: ("mentor", "zorgcoördinator", "intern begeleider"),
    K.JUSTICE: ("reclasseringswerker", "raadsonderzoeker", "wijkagent"),
    K.OTHER: ("cliëntondersteuner", "maatschappelijk werker"),
}
INFORMATION: dict[str, str] = {
    K.YOUTH_PROTECTION: (
        "Er is een ondertoezichtstelling voor {kind}. Ik vertel wat de kinderrechter heeft "
        "besloten en wat dat voor het gezin betekent."
    ),
    K.SAFE_HOME: (
        "Veilig Thuis heeft meldingen gekregen over spanningen in het gezin. Ik vertel wat er "
        "bekend is en welke hulp er is."
    ),
    K.MUNICIPALITY: "Ik ken {hp} sinds een half jaar als wijkcoach en vertel wat al geprobeerd is.",
    K.MENTAL_HEALTH: "{hp} is bij ons in behandeling. Ik vertel wat helpt en wat de signalen zijn.",
    K.YOUTH_CARE: "Ik begeleid het gezin een paar maanden met opvoedondersteuning aan huis.",
    K.HOUSING: (
        "Er is een huurachterstand. Ik vertel wat de corporatie nodig heeft om een ontruiming te "
        "voorkomen."
    ),
    K.SCHOOL: "{kind} mist veel lessen. Ik vertel wat school ziet en wat school kan bieden.",
    K.JUSTICE: (
        "Ik vertel welke voorwaarden er gelden en wat er gebeurt als die niet worden nagekomen."
    ),
    K.OTHER: "Ik ondersteun {hp} bij de contacten met instanties.",
}
CONCERNS = (
    "Mijn zorg is dat de afspraken van nu niet lang worden volgehouden.",
    "Ik maak me zorgen over de veiligheid van de kinderen als het thuis misgaat.",
    "Ik zie dat {hp} er vaak alleen voor staat.",
    "Mijn zorg is dat de schulden verder oplopen als er niets verandert.",
    "",
)
HELP_OFFERS = (
    "Ik kan de komende drie maanden elke week een uur langskomen.",
    "Wij kunnen snel een intakegesprek plannen.",
    "Ik kan helpen bij de aanvragen bij de gemeente.",
    "Wij bieden een cursus voor ouders aan, op dinsdagavond.",
    "",
)

# The minimum conditions (kader) a professional sets when help is pressured or compulsory.
SAFETY_CONDITIONS: dict[str, tuple[str, ...]] = {
    CompelledHelpKind.SUPERVISION_ORDER: (
        "Er is elke dag een volwassene die voor {kind} zorgt en aanspreekbaar is.",
        "{kind} gaat elke dag naar school.",
        "Bij geweld of dreiging wordt direct de jeugdbeschermer of de politie gebeld.",
        "Het plan bevat een noodplan voor als {ouder} het niet meer aankan.",
        "{ouder} werkt mee aan de hulpverlening die de jeugdbeschermer nodig vindt.",
    ),
    CompelledHelpKind.OUT_OF_HOME: (
        "{kind} woont in een veilige omgeving, thuis of in de familie.",
        "Er is een vaste volwassene die elke week met {kind} praat over hoe het gaat.",
        "Het plan bevat een noodplan met een opvangadres in de familie.",
        "De omgang met {ouder} verloopt volgens de afspraken met de jeugdbeschermer.",
    ),
    CompelledHelpKind.COMPULSORY_ADMISSION: (
        "{hp} neemt de medicatie zoals voorgeschreven.",
        "Er is afgesproken wie de crisisdienst belt bij signalen van terugval.",
        "{hp} houdt de afspraken met de behandelaar.",
    ),
    CompelledHelpKind.EVICTION: (
        "De huur wordt vanaf volgende maand op tijd betaald.",
        "Binnen twee weken is er een afspraak met de schuldhulpverlening.",
        "Er is geen overlast meer voor de buren.",
    ),
    CompelledHelpKind.PROBATION: (
        "{hp} houdt zich aan de bijzondere voorwaarden van de reclassering.",
        "{hp} is door de week om tien uur 's avonds thuis.",
        "{hp} heeft geen contact met de medeverdachten.",
    ),
    CompelledHelpKind.OTHER: (
        "Er is een volwassene aanspreekbaar voor de veiligheid van de kinderen.",
        "Het plan zegt wie wat doet als het misgaat.",
        "De hulpverlening kan elke maand zien hoe het gaat.",
    ),
}

VENUE_NAMES = ("De Schakel", "De Pijler", "Het Anker", "De Boog", "De Ontmoeting", "De Brug")
FOOD = (
    "{a} kookt; koffie en thee van het buurthuis.",
    "Broodjes van de bakker, betaald uit het budget van de conferentie.",
    "Iedereen neemt iets mee.",
    "Soep en broodjes; {a} zorgt voor taart.",
)
VENUE_NOTES = (
    "Ingang aan de achterkant, bel bij de beheerder.",
    "Rolstoeltoegankelijk, met lift.",
    "Parkeren op het plein voor de deur.",
    "Een aparte ruimte voor de besloten tijd is gereserveerd.",
    "",
)
CHILDCARE = (
    "{a} past op de kleintjes in de speelruimte.",
    "Oppas via het buurthuis, in de kamer ernaast.",
)
