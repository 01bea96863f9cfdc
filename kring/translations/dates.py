"""Day and month names for the family languages Django has no catalogue for (Tigrinya,
Somali, Papiamento): dates in invitations and plans ("Wednesday 16 December") are Django's
strings, so these catalogues carry them too (``manage.py family_messages`` adds them, marked
unchecked like every other translation)."""

from __future__ import annotations

_ENGLISH = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

_NAMES = {
    "ti": "ሰኑይ ሰሉስ ረቡዕ ሓሙስ ዓርቢ ቀዳም ሰንበት ጥሪ ለካቲት መጋቢት ሚያዝያ ግንቦት ሰነ ሓምለ ነሓሰ መስከረም ጥቅምቲ ሕዳር ታሕሳስ",
    "so": "Isniin Talaado Arbaco Khamiis Jimco Sabti Axad "
    "Janaayo Febraayo Maarso Abriil Maajo Juun Luuliyo Ogost Sebtembar Oktoobar Nofembar Desembar",
    "pap": "djaluna djamars djarason djaweps djabièrnè djasabra djadumingu "
    "yanüari febrüari mart aprel mei yüni yüli ougùstùs sèptèmber òktober novèmber desèmber",
}

DATE_NAMES: dict[str, dict[str, str]] = {
    language: dict(zip(_ENGLISH, names.split(), strict=True)) for language, names in _NAMES.items()
}
