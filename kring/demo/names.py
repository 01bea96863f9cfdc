"""Name lists for synthetic Dutch people, reflecting the backgrounds of people in the Netherlands.

Every list is a plain tuple so that a seeded ``random.Random`` picks the same names every run.
A surname is either one string or a (male, female) pair for languages with gendered surnames.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

Surname = str | tuple[str, str]


@dataclass(frozen=True)
class Background:
    key: str
    weight: float  # relative share among the families in the demo data
    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[Surname, ...]
    languages: tuple[str, ...] = ()  # ISO 639-3 codes a family might ask for
    culture: str = ""  # how a culture wish is worded on the request form
    religion: str = ""


DUTCH = Background(
    "dutch",
    70,
    (
        "Anna",
        "Emma",
        "Sophie",
        "Julia",
        "Lisa",
        "Sanne",
        "Eva",
        "Fleur",
        "Lotte",
        "Anouk",
        "Maaike",
        "Marieke",
        "Inge",
        "Ingrid",
        "Petra",
        "Monique",
        "Sandra",
        "Linda",
        "Ilse",
        "Femke",
        "Esther",
        "Karin",
        "Wendy",
        "Miranda",
        "Yvonne",
        "Annemiek",
        "Joke",
        "Ria",
        "Els",
        "Mirjam",
        "Saskia",
        "Nienke",
        "Iris",
        "Noor",
        "Tess",
        "Zoë",
        "Lieke",
        "Jasmijn",
        "Roos",
        "Merel",
        "Marloes",
        "Hanneke",
        "Gerda",
        "Willemijn",
        "Bianca",
        "Tjitske",
        "Baukje",
        "Jildou",
        "Annelies",
        "Margriet",
        "Nicole",
        "Manon",
        "Suzanne",
        "Mila",
    ),
    (
        "Jan",
        "Piet",
        "Kees",
        "Henk",
        "Gerrit",
        "Willem",
        "Johan",
        "Peter",
        "Mark",
        "Martijn",
        "Jeroen",
        "Bas",
        "Thijs",
        "Daan",
        "Sem",
        "Lucas",
        "Levi",
        "Finn",
        "Luuk",
        "Bram",
        "Ruben",
        "Stijn",
        "Tim",
        "Niels",
        "Erik",
        "Rob",
        "Frank",
        "Dennis",
        "Marcel",
        "Arjan",
        "Wouter",
        "Sander",
        "Jesse",
        "Koen",
        "Joost",
        "Hans",
        "Ad",
        "Cor",
        "Dirk",
        "Gijs",
        "Teun",
        "Jelle",
        "Sjoerd",
        "Wietse",
        "Hidde",
        "Freek",
        "Hylke",
        "Vincent",
        "Remco",
    ),
    (
        "de Jong",
        "Jansen",
        "de Vries",
        "van den Berg",
        "van Dijk",
        "Bakker",
        "Janssen",
        "Visser",
        "Smit",
        "Meijer",
        "de Boer",
        "Mulder",
        "de Groot",
        "Bos",
        "Vos",
        "Peters",
        "Hendriks",
        "van Leeuwen",
        "Dekker",
        "Brouwer",
        "de Wit",
        "Dijkstra",
        "Smits",
        "de Graaf",
        "van der Meer",
        "van der Linden",
        "Kok",
        "Jacobs",
        "de Haan",
        "Vermeulen",
        "van den Heuvel",
        "van der Veen",
        "van den Broek",
        "de Bruijn",
        "van der Heijden",
        "Schouten",
        "van Beek",
        "Willems",
        "van Vliet",
        "van de Ven",
        "Hoekstra",
        "Maas",
        "Verhoeven",
        "Koster",
        "van Dam",
        "van der Wal",
        "Prins",
        "Blom",
        "Huisman",
        "Peeters",
        "Postma",
        "Kuipers",
        "Veenstra",
        "Hermans",
        "Bosman",
        "Timmermans",
        "Groen",
        "Gerritsen",
        "Wijnands",
        "Zwart",
        "Boersma",
        "Kramer",
        "Evers",
        "Scholten",
    ),
    ("fry", "lim", "dse", "eng"),
)

TURKISH = Background(
    "turkish",
    5,
    (
        "Ayşe",
        "Fatma",
        "Elif",
        "Zeynep",
        "Emine",
        "Hatice",
        "Esra",
        "Büşra",
        "Merve",
        "Derya",
        "Özlem",
        "Sevgi",
        "Selin",
        "Gül",
    ),
    (
        "Mehmet",
        "Mustafa",
        "Ahmet",
        "Ali",
        "Hüseyin",
        "Murat",
        "Emre",
        "Burak",
        "Kemal",
        "Yusuf",
        "Hakan",
        "Cem",
        "Osman",
        "Kerem",
    ),
    (
        "Yılmaz",
        "Kaya",
        "Demir",
        "Şahin",
        "Çelik",
        "Yıldız",
        "Öztürk",
        "Aydın",
        "Arslan",
        "Doğan",
        "Kılıç",
        "Aslan",
        "Koç",
        "Kurt",
        "Özdemir",
        "Polat",
    ),
    ("tur", "kmr"),
    "Turks",
    "islamitisch",
)

MOROCCAN = Background(
    "moroccan",
    5,
    (
        "Fatima",
        "Khadija",
        "Nora",
        "Samira",
        "Naima",
        "Malika",
        "Latifa",
        "Hanan",
        "Yasmina",
        "Imane",
        "Salma",
        "Nadia",
        "Houda",
        "Loubna",
    ),
    (
        "Mohamed",
        "Ahmed",
        "Mustapha",
        "Youssef",
        "Karim",
        "Hamid",
        "Rachid",
        "Said",
        "Bilal",
        "Ilias",
        "Soufiane",
        "Anouar",
        "Hicham",
        "Redouan",
    ),
    (
        "El Amrani",
        "Bouzid",
        "El Idrissi",
        "Benali",
        "Ouali",
        "Ait Taleb",
        "El Khatib",
        "Boukhari",
        "Azzouzi",
        "El Haddouchi",
        "Tahiri",
        "Amrani",
        "Bouali",
        "Chakir",
        "Zaoui",
        "Belhaj",
    ),
    ("ary", "rif", "arb"),
    "Marokkaans",
    "islamitisch",
)

SURINAMESE = Background(
    "surinamese",
    4,
    (
        "Shanti",
        "Sharda",
        "Roshni",
        "Sunita",
        "Anjali",
        "Marisa",
        "Gracia",
        "Joyce",
        "Sylvana",
        "Kavita",
        "Jennifer",
        "Priscilla",
        "Wanda",
        "Sarita",
    ),
    (
        "Rajesh",
        "Ravi",
        "Anand",
        "Sunil",
        "Rudi",
        "Romano",
        "Clyde",
        "Errol",
        "Glenn",
        "Orlando",
        "Kenneth",
        "Iwan",
        "Ricardo",
        "Sanjay",
    ),
    (
        "Ramdin",
        "Jagessar",
        "Sewnath",
        "Ramcharan",
        "Kalloe",
        "Biharie",
        "Mahabier",
        "Sardjoe",
        "Kromodikoro",
        "Sarmo",
        "Pinas",
        "Doelwijt",
        "Mijnals",
        "Wijngaarde",
        "Landveld",
        "Kasanpawiro",
    ),
    ("srn", "hns", "jvn"),
    "Surinaams",
    "hindoeïstisch",
)

ANTILLEAN = Background(
    "antillean",
    2,
    (
        "Shirley",
        "Jozefina",
        "Rosaline",
        "Sharella",
        "Giselle",
        "Jacinta",
        "Naomi",
        "Chantal",
        "Jeandra",
        "Roseline",
    ),
    (
        "Jurgen",
        "Ruthmilo",
        "Sherwin",
        "Dylan",
        "Edsel",
        "Jairo",
        "Rignald",
        "Gilbert",
        "Jermaine",
        "Rudsel",
    ),
    (
        "Martina",
        "Isenia",
        "Rosaria",
        "Maduro",
        "Girigorie",
        "Statia",
        "Wawoe",
        "Koeiman",
        "Lasten",
        "Thode",
        "Cijntje",
        "Winklaar",
    ),
    ("pap",),
    "Antilliaans",
    "katholiek",
)

POLISH = Background(
    "polish",
    3,
    (
        "Agnieszka",
        "Katarzyna",
        "Małgorzata",
        "Joanna",
        "Magdalena",
        "Anna",
        "Ewa",
        "Monika",
        "Justyna",
    ),
    ("Piotr", "Tomasz", "Krzysztof", "Paweł", "Marcin", "Łukasz", "Michał", "Grzegorz", "Kamil"),
    (
        ("Kowalski", "Kowalska"),
        "Nowak",
        ("Wiśniewski", "Wiśniewska"),
        "Wójcik",
        ("Kamiński", "Kamińska"),
        ("Lewandowski", "Lewandowska"),
        ("Zieliński", "Zielińska"),
        ("Szymański", "Szymańska"),
        "Mazur",
        "Krawczyk",
    ),
    ("pol",),
    "Pools",
    "katholiek",
)

ERITREAN = Background(
    "eritrean",
    1,
    ("Senait", "Helen", "Mebrat", "Saba", "Yohanna", "Rahwa", "Selam", "Tsega", "Luwam"),
    ("Yonas", "Tesfay", "Dawit", "Filmon", "Haile", "Mehari", "Robel", "Samuel", "Biniam"),
    (
        "Tesfamariam",
        "Ghebremedhin",
        "Haile",
        "Weldemichael",
        "Berhane",
        "Tekle",
        "Kidane",
        "Habte",
        "Gebrehiwet",
        "Mehari",
    ),
    ("tir",),
    "Eritrees",
    "christelijk",
)

SYRIAN = Background(
    "syrian",
    2,
    ("Rania", "Lina", "Hiba", "Dima", "Yara", "Nour", "Aya", "Reem"),
    ("Omar", "Khaled", "Ahmad", "Mahmoud", "Tarek", "Basel", "Hassan", "Ammar"),
    (
        "Al-Hassan",
        "Khalil",
        "Haddad",
        "Al-Ahmad",
        "Darwish",
        "Hamdan",
        "Ibrahim",
        "Saleh",
        "Al-Masri",
    ),
    ("apc", "arb", "kmr"),
    "Syrisch",
    "islamitisch",
)

SOMALI = Background(
    "somali",
    0.7,
    ("Hodan", "Amina", "Fadumo", "Ifrah", "Sahra", "Hawa", "Ayaan"),
    ("Abdi", "Mohamed", "Abdirahman", "Hassan", "Farah", "Abdullahi"),
    ("Warsame", "Farah", "Abdi", "Jama", "Osman", "Ali", "Hussein", "Nur"),
    ("som",),
    "Somalisch",
    "islamitisch",
)

AFGHAN = Background(
    "afghan",
    0.7,
    ("Zahra", "Mariam", "Farida", "Parwana", "Shabnam", "Nazanin"),
    ("Ahmad", "Farid", "Najib", "Hamid", "Wahid", "Jawid"),
    ("Ahmadi", "Rahimi", "Karimi", "Noori", "Hashimi", "Sultani"),
    ("prs", "pus"),
    "Afghaans",
    "islamitisch",
)

UKRAINIAN = Background(
    "ukrainian",
    1,
    ("Olena", "Oksana", "Iryna", "Natalia", "Yulia"),
    ("Oleksandr", "Andriy", "Dmytro", "Serhiy", "Volodymyr"),
    ("Shevchenko", "Kovalenko", "Bondarenko", "Melnyk", "Tkachenko", "Kravchenko"),
    ("ukr", "rus"),
    "Oekraïens",
    "christelijk",
)

MOLUCCAN = Background(
    "moluccan",
    1.5,
    ("Dewi", "Sari", "Ratna", "Maria", "Josefien", "Ineke"),
    ("Johannes", "Frans", "Ronald", "Eddy", "Jopie", "Max"),
    ("Latuheru", "Pattiasina", "Tuhumury", "Manuputty", "Wattimena", "Sahetapy", "Tahapary"),
    ("abs", "ind"),
    "Moluks",
    "christelijk",
)

BACKGROUNDS: tuple[Background, ...] = (
    DUTCH,
    TURKISH,
    MOROCCAN,
    SURINAMESE,
    ANTILLEAN,
    POLISH,
    ERITREAN,
    SYRIAN,
    SOMALI,
    AFGHAN,
    UKRAINIAN,
    MOLUCCAN,
)
BACKGROUND_WEIGHTS = tuple(b.weight for b in BACKGROUNDS)
# The coordinator pool is deliberately more diverse than the population: families ask for
# coordinators who speak their language and know their culture.
COORDINATOR_WEIGHTS = tuple(b.weight if b is not DUTCH else 45 for b in BACKGROUNDS)

STREETS = (
    "Oranjestraat",
    "Lindenlaan",
    "Kastanjehof",
    "Prinses Beatrixstraat",
    "Molenweg",
    "Dorpsstraat",
    "Merelstraat",
    "Schoolstraat",
    "Julianastraat",
    "Rozenstraat",
    "Havenkade",
    "Vondelstraat",
    "Tulpstraat",
    "Eikenlaan",
    "Kerkplein",
    "Van Goghstraat",
)

# Letters that never follow a Dutch PC4 (PostNL skips SA, SD and SS).
_POSTCODE_LETTERS = "ABCDEFGHJKLMNPRSTVWXZ"
_ASCII = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "ß": "ss", "-": "", "'": ""})


def pick_background(
    rng: random.Random, weights: tuple[float, ...] = BACKGROUND_WEIGHTS
) -> Background:
    return rng.choices(BACKGROUNDS, weights=weights)[0]


def first_name(rng: random.Random, background: Background, female: bool) -> str:
    return rng.choice(background.female if female else background.male)


def surname(rng: random.Random, background: Background, female: bool) -> str:
    return gendered(rng.choice(background.surnames), female)


def gendered(name: Surname, female: bool) -> str:
    if isinstance(name, tuple):
        return name[1] if female else name[0]
    return name


def email_local(first: str, last: str) -> str:
    """An ASCII mailbox name: "Ayşe Yılmaz" -> "ayse.yilmaz" (for example.* addresses)."""
    plain = unicodedata.normalize("NFKD", f"{first}.{last}".translate(_ASCII))
    ascii_only = plain.encode("ascii", "ignore").decode().lower()
    return "".join(ch for ch in ascii_only if ch.isalnum() or ch == ".")


def full_postcode(rng: random.Random, pc4: str) -> str:
    letters = rng.choice(_POSTCODE_LETTERS) + rng.choice(_POSTCODE_LETTERS)
    if letters in {"SA", "SD", "SS"}:
        letters = "AB"
    return f"{pc4} {letters}"


def phone(rng: random.Random) -> str:
    return f"06-{rng.randrange(10_000_000, 99_999_999)}"
