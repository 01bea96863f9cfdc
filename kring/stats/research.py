"""Research exports: pseudonymised rows per case, and counts with small cells suppressed.

Nothing here reads a name, contact detail, address, postcode, free text, reference number,
exact date or coordinator: the record export is built from the case summary rows
(``CaseFact``) plus a few coded fields of the request, and every value is a code, a count, a
band, a month or a sum (the approved hours and costs). A case's pseudonym is a keyed hash of
its id, the same in every export and not reversible without the pseudonym key
(KRING_PSEUDONYM_KEY).

Both exports read ``scoped_facts``, so they see exactly what the user's role may count.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, DecimalField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import User
from kring.evaluation.models import Question
from kring.evaluation.results import min_answers
from kring.intake.models import MainPerson
from kring.lib.spreadsheet import decimal
from kring.money.models import Line, LineStatus
from kring.preparation.models import Participant
from kring.stats.facts import DOMAIN_BITS
from kring.stats.figures import Filters, scoped_facts
from kring.stats.models import CaseFact, RequestOutcome
from kring.stats.tables import SMALL_CELL

BATCH = 1000
PSEUDONYM_SALT = b"kring-research-pseudonym"
PSEUDONYM_LENGTH = 16
# Shown for a cell of 1-4 cases, and for a larger cell hidden so the small one cannot be
# worked out from the row total.
SMALL = f"<{SMALL_CELL}"
HIDDEN = "x"

# Age bands at the time of the request: (lowest age, highest age or None, label).
AGE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 11, "0-11"),
    (12, 17, "12-17"),
    (18, 26, "18-26"),
    (27, 64, "27-64"),
    (65, None, "65+"),
)


# --- pseudonyms and bands -----------------------------------------------------------------


def _pseudonym_key() -> bytes:
    """Derived from KRING_PSEUDONYM_KEY, a key of its own: whoever learns SECRET_KEY (which
    every web process holds for sessions) still cannot map a pseudonym back to its case."""
    return hmac.new(settings.KRING_PSEUDONYM_KEY.encode(), PSEUDONYM_SALT, hashlib.sha256).digest()


def pseudonym(case_id: int, key: bytes | None = None) -> str:
    """The case's stable pseudonym: the same in every export, unguessable without the key."""
    digest = hmac.new(key or _pseudonym_key(), str(case_id).encode(), hashlib.sha256)
    return digest.hexdigest()[:PSEUDONYM_LENGTH]


def age_band(birth_year: int | None, in_year: int) -> str:
    """The band of the age someone reaches in ``in_year``; empty when unknown or impossible.

    Only the birth year is known, so the age is the one reached that year (at most one year
    more than the age on the day of the request)."""
    if birth_year is None:
        return ""
    age = in_year - birth_year
    if age < 0 or age > 120:
        return ""
    for low, high, label in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return label
    return ""


def domain_codes(bits: int) -> list[str]:
    return [domain for domain, bit in DOMAIN_BITS.items() if bits & bit]


# --- the record-level export --------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    description: Promise


RECORD_COLUMNS: tuple[Column, ...] = (
    Column("pseudonym", _("Vaste code per traject; dezelfde in elke export.")),
    Column("region", _("Regio (afgeleid van de postcode; leeg: landelijke wachtrij).")),
    Column("variant", _("Soort conferentie.")),
    Column("opened_month", _("Maand waarin de aanvraag binnenkwam (jjjj-mm).")),
    Column(
        "channel",
        _(
            "Hoe de aanvraag binnenkwam: public (formulier), referral (verwijzing), phone, "
            "email of in_person (aangenomen door de regiomanager)."
        ),
    ),
    Column("requester_kind", _("Wie vroeg aan: zelf, familie, bekende of professional.")),
    Column("funder_kind", _("Soort financier (gemeente, jeugdhulp, ...), niet de naam.")),
    Column("life_domains", _("Levensdomeinen van de aanvraag, gescheiden door ;.")),
    Column("safety_at_stake", _("Veiligheid in het geding (1/0).")),
    Column("compelled_help", _("Drang of dwang: none, pressured, compulsory of unknown.")),
    Column("compelled_help_kind", _("Soort drang of dwang (OTS, uithuisplaatsing, ...).")),
    Column("main_persons", _("Aantal hoofdpersonen.")),
    Column(
        "main_person_age_bands",
        _("Leeftijdsgroepen van de hoofdpersonen in het jaar van de aanvraag, gescheiden door ;."),
    ),
    Column("circle_size", _("Aantal mensen in de kring (deelnemers, ook hoofdpersonen).")),
    Column("outcome", _("Uitkomst tot nu toe.")),
    Column("stop_reason", _("Reden van stoppen (alleen bij gestopt).")),
    Column("conference_held", _("Conferentie gehouden (1/0).")),
    Column("plan_made", _("Plan gemaakt na de conferentie (1/0; leeg: nog niet bekend).")),
    Column("agreements", _("Aantal afspraken in het plan.")),
    Column("professional_agreements", _("Afspraken die een beroep doen op professionele hulp.")),
    Column("implementation", _("Uitvoering van het plan: fully, partly of not.")),
    Column("agreements_fully", _("Afspraken geheel uitgevoerd.")),
    Column("agreements_partly", _("Afspraken deels uitgevoerd.")),
    Column("agreements_not", _("Afspraken niet uitgevoerd.")),
    Column("cause_family", _("Afspraken die vastliepen bij de familie.")),
    Column("cause_professionals", _("Afspraken die vastliepen bij professionals.")),
    Column("days_to_first_contact", _("Dagen van aanvraag tot eerste contact.")),
    Column("days_to_start", _("Dagen van aanvraag tot start.")),
    Column("days_to_conference", _("Dagen van aanvraag tot conferentie.")),
    Column("days_to_plan_sent", _("Dagen van conferentie tot plan verstuurd.")),
    Column("first_contact_in_time", _("Eerste contact binnen de termijn (1/0; leeg: n.v.t.).")),
    Column("start_in_time", _("Start binnen de termijn (1/0; leeg: n.v.t.).")),
    Column("conference_in_time", _("Conferentie binnen zes weken (1/0; leeg: n.v.t.).")),
    Column("plan_sent_in_time", _("Plan binnen twee dagen verstuurd (1/0; leeg: n.v.t.).")),
    Column("invited", _("Uitgenodigde deelnemers en professionals.")),
    Column("present_information", _("Aanwezig bij de informatiefase.")),
    Column("present_private", _("Aanwezig in de besloten tijd.")),
    Column("present_presentation", _("Aanwezig bij de presentatie.")),
    Column(
        "present_beyond_household",
        _("Aanwezigen van buiten het huishouden (niet de hoofdpersonen, geen professionals)."),
    ),
    Column(
        "present_named_by_others",
        _("Aanwezigen die door iemand anders uit de kring waren genoemd."),
    ),
    Column("evaluation_invited", _("Mensen die de vragenlijst na de conferentie kregen.")),
    Column("evaluation_answers", _("Mensen die de vragenlijst invulden.")),
    *(
        Column(
            f"evaluation_{question.value}_mean",
            format_lazy(
                _("Gemiddeld antwoord (1-5) op: {question} Leeg bij minder dan drie antwoorden."),
                question=question.label,
            ),
        )
        for question in Question
    ),
    Column(
        "approved_hours",
        _("Goedgekeurde uren van de coördinator(en) (leeg: geen goedgekeurde uren)."),
    ),
    Column(
        "approved_cost",
        _(
            "Goedgekeurde kosten in euro: honorarium, kilometers en onkosten (leeg: geen "
            "goedgekeurde regels)."
        ),
    ),
)

# Counts copied as they are: attendance, the circle's growth, the questionnaires.
_COUNTED = (
    "invited",
    "present_information",
    "present_private",
    "present_presentation",
    "present_beyond_household",
    "present_named_by_others",
    "evaluation_invited",
    "evaluation_answers",
)
_FACT_FIELDS = (
    "case_id",
    "region__name",
    "variant",
    "opened_on",
    "funder__kind",
    "domains",
    "outcome",
    "conference_held",
    "plan_made",
    "agreements",
    "professional_agreements",
    "implementation",
    "agreements_fully",
    "agreements_partly",
    "agreements_not",
    "cause_family",
    "cause_professionals",
    "hours_to_first_contact",
    "hours_to_start",
    "hours_to_conference",
    "hours_to_plan_sent",
    "first_contact_in_time",
    "start_in_time",
    "conference_in_time",
    "plan_sent_in_time",
    *_COUNTED,
    *(f"evaluation_{question}" for question in Question.values),
    # Coded fields of the case and its request: never a name, text, contact or postcode.
    "case__stop_reason",
    "case__request_id",
    "case__request__submitted_at",
    "case__request__channel",
    "case__request__requester_kind",
    "case__request__safety_at_stake",
    "case__request__compelled_help",
    "case__request__compelled_help_kind",
    # Annotated by ``_with_money``: the approved lines' sums, in the same query.
    "approved_hours",
    "approved_cost",
)
_COPIED = (
    "variant",
    "outcome",
    "agreements",
    "professional_agreements",
    "implementation",
    "agreements_fully",
    "agreements_partly",
    "agreements_not",
    "cause_family",
    "cause_professionals",
)


def record_facts(user: User, filters: Filters) -> QuerySet[CaseFact]:
    """The summary rows this user may export (the same scope as the dashboard)."""
    return scoped_facts(user, filters)


def record_count(user: User, filters: Filters) -> int:
    return record_facts(user, filters).count()


def record_rows(user: User, filters: Filters, batch: int = BATCH) -> Iterator[list[str]]:
    """The header, then one row per case, read a batch at a time in three queries per batch.

    Call ``facts.refresh_stale()`` first."""
    yield [column.name for column in RECORD_COLUMNS]
    key = _pseudonym_key()
    facts = _with_money(record_facts(user, filters)).order_by("case_id")
    last = 0
    while rows := list(facts.filter(case_id__gt=last).values(*_FACT_FIELDS)[:batch]):
        case_ids = [row["case_id"] for row in rows]
        birth_years = _birth_years([row["case__request_id"] for row in rows])
        circles = _circle_sizes(case_ids)
        for row in rows:
            yield _record(row, key, birth_years, circles)
        last = case_ids[-1]


def _approved_sum(field: str) -> Subquery:
    """The sum of ``field`` over the case's approved money lines (NULL when it has none)."""
    lines = (
        Line.objects.filter(case_id=OuterRef("case_id"), status=LineStatus.APPROVED)
        .order_by()
        .values("case_id")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Subquery(lines, output_field=DecimalField(max_digits=12, decimal_places=2))


def _with_money(facts: QuerySet[CaseFact]) -> QuerySet[CaseFact]:
    """Each case's approved hours and costs (what was paid), in the facts' own query."""
    return facts.annotate(
        approved_hours=_approved_sum("hours"), approved_cost=_approved_sum("amount")
    )


def _birth_years(request_ids: list[int]) -> dict[int, list[int | None]]:
    years: dict[int, list[int | None]] = defaultdict(list)
    people = MainPerson.objects.filter(request_id__in=request_ids).order_by("request_id", "id")
    for request_id, birth_year in people.values_list("request_id", "birth_year"):
        years[request_id].append(birth_year)
    return years


def _circle_sizes(case_ids: list[int]) -> dict[int, int]:
    rows = (
        Participant.objects.filter(case_id__in=case_ids)
        .values("case_id")
        .order_by()
        .annotate(n=Count("id"))
    )
    return {row["case_id"]: row["n"] for row in rows}


def _record(
    row: dict[str, Any],
    key: bytes,
    birth_years: dict[int, list[int | None]],
    circles: dict[int, int],
) -> list[str]:
    request_year = timezone.localdate(row["case__request__submitted_at"]).year
    years = birth_years.get(row["case__request_id"], [])
    bands = sorted(band for year in years if (band := age_band(year, request_year)))
    opened: date = row["opened_on"]
    values: dict[str, Any] = {name: row[name] for name in _COPIED}
    values.update(
        pseudonym=pseudonym(row["case_id"], key),
        region=row["region__name"] or "",
        opened_month=f"{opened:%Y-%m}",
        channel=row["case__request__channel"],
        requester_kind=row["case__request__requester_kind"],
        funder_kind=row["funder__kind"] or "",
        life_domains=";".join(domain_codes(row["domains"])),
        safety_at_stake=_flag(row["case__request__safety_at_stake"]),
        compelled_help=row["case__request__compelled_help"],
        compelled_help_kind=row["case__request__compelled_help_kind"],
        main_persons=len(years),
        main_person_age_bands=";".join(bands),
        circle_size=circles.get(row["case_id"], 0),
        stop_reason=row["case__stop_reason"],
        conference_held=_flag(row["conference_held"]),
        plan_made=_flag(row["plan_made"]),
    )
    for step in ("first_contact", "start", "conference", "plan_sent"):
        values[f"days_to_{step}"] = _days(row[f"hours_to_{step}"])
        values[f"{step}_in_time"] = _flag(row[f"{step}_in_time"])
    for name in _COUNTED:
        values[name] = row[name]
    values.update(_evaluation_means(row))
    values["approved_hours"] = _amount(row["approved_hours"])
    values["approved_cost"] = _amount(row["approved_cost"])
    return [str(values[column.name]) for column in RECORD_COLUMNS]


def _evaluation_means(row: dict[str, Any]) -> dict[str, str]:
    """Each question's mean for the case; empty below the answers a coordinator may see, so
    no mean is one or two people's answer."""
    answers = row["evaluation_answers"]
    few = answers < min_answers()
    return {
        f"evaluation_{question}_mean": ""
        if few
        else decimal(round(row[f"evaluation_{question}"] / answers, 2))
        for question in Question.values
    }


def _flag(value: bool | None) -> str:
    return "" if value is None else str(int(value))


def _amount(value: Decimal | None) -> str:
    """A sum of hours or euros to the cent (SQLite sums decimals as floats), Dutch comma."""
    return "" if value is None else decimal(Decimal(value).quantize(Decimal("0.01")))


def _days(hours: int | None) -> str:
    return "" if hours is None else decimal(round(hours / 24, 1))


# --- the aggregate export -----------------------------------------------------------------


def suppress_row(cells: Sequence[int]) -> tuple[list[str], str]:
    """One row of counts and its total as published.

    Primary: every cell of 1-4 cases reads "<5". Secondary: while what is shown (the total,
    the other cells, and that a cell marked "x" holds five or more) still pins a small cell
    down to one value, the next-smallest non-zero cell is hidden too ("x"); when none is left,
    the total is hidden instead. Zeros are shown: a zero says nothing about any person.

    As in the usual disclosure-control tools, the protection is against what can be worked
    out from the published numbers; which cells were chosen to hide is not itself secret."""
    total = sum(cells)
    small = [index for index, count in enumerate(cells) if 0 < count < SMALL_CELL]
    small_sum = sum(cells[index] for index in small)
    larger = sorted((count, index) for index, count in enumerate(cells) if count >= SMALL_CELL)
    hidden: list[int] = []
    if total < SMALL_CELL:
        # Only small cells; the total reads "<5", which still pins four cells of 1 each.
        shown_total = HIDDEN if len(small) == SMALL_CELL - 1 else SMALL if total else "0"
    else:
        shown_total = str(total)
        while small and _pinned(len(small), small_sum, [cells[index] for index in hidden]):
            if not larger:
                shown_total = HIDDEN
                break
            hidden.append(larger.pop(0)[1])
    published = [
        SMALL if index in small else HIDDEN if index in hidden else str(count)
        for index, count in enumerate(cells)
    ]
    return published, shown_total


def _pinned(cells: int, total: int, hidden: Sequence[int]) -> bool:
    """Whether ``cells`` counts of 1-4 adding up to ``total`` (known from the row total, less
    the ``hidden`` cells of five or more) leave any of them a single possible value."""
    most = SMALL_CELL - 1
    if hidden:
        # The others can take up any surplus, so only all-ones beside all-fives is pinned.
        return total == cells and all(count == SMALL_CELL for count in hidden)
    lowest = max(1, total - most * (cells - 1))
    highest = min(most, total - (cells - 1))
    return lowest == highest


@dataclass(frozen=True)
class AggregateRow:
    region: str
    year: int
    counts: tuple[int, ...]


def aggregate_counts(user: User, filters: Filters) -> list[AggregateRow]:
    """Cases by region, year of the request and outcome, in one query (unsuppressed)."""
    rows = (
        record_facts(user, filters)
        .annotate(year=ExtractYear("opened_on"))
        .values("region__name", "year", "outcome")
        .order_by()
        .annotate(n=Count("pk"))
    )
    counts: dict[tuple[str, int], Counter[str]] = defaultdict(Counter)
    for row in rows:
        counts[(row["region__name"] or "", row["year"])][row["outcome"]] += row["n"]
    return [
        AggregateRow(region, year, tuple(counter[outcome] for outcome in RequestOutcome.values))
        for (region, year), counter in sorted(counts.items(), key=_region_year)
    ]


def _region_year(item: tuple[tuple[str, int], Counter[str]]) -> tuple[bool, str, int]:
    (region, year), _counter = item
    return (region == "", region, year)  # the national queue last


def aggregate_header() -> list[str]:
    return ["region", "year", *RequestOutcome.values, "total"]


def aggregate_csv_rows(rows: Sequence[AggregateRow]) -> Iterator[list[str]]:
    """The header, then each row with its cells suppressed."""
    yield aggregate_header()
    for row in rows:
        cells, total = suppress_row(row.counts)
        yield [row.region, str(row.year), *cells, total]
