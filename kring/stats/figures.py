"""The dashboard's figures, computed from the case summary rows in a fixed number of queries.

Every figure is a ``Table``: a chart draws it, the page shows it as an accessible table, and
it downloads as CSV. For researchers every table is passed through small-cell suppression.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from django.db.models import Count, F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import ExtractYear
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from kring.accounts.models import Region, User
from kring.coordinators.models import CoordinatorProfile, CoordinatorStatus
from kring.evaluation.models import Question
from kring.evaluation.results import min_answers
from kring.lib.spreadsheet import decimal
from kring.plans.models import Implementation
from kring.stats.costs import cost_tables
from kring.stats.facts import DOMAIN_BITS, refresh_stale
from kring.stats.models import CaseFact, RequestOutcome
from kring.stats.tables import SMALL_CELL, Cell, Table, add_up, grouped

ACTIVE_COORDINATOR = [CoordinatorStatus.EK1, CoordinatorStatus.CERTIFIED, CoordinatorStatus.EK2]


@dataclass(frozen=True)
class Filters:
    """What the dashboard is asked about. ``regions`` None means every region (and none)."""

    regions: tuple[int, ...] | None = None
    variant: str = ""
    domain: str = ""
    funder: int | None = None
    start: date | None = None
    end: date | None = None


@dataclass
class Dashboard:
    cases: int
    tables: list[Table] = field(default_factory=list)

    def table(self, key: str) -> Table:
        return next(table for table in self.tables if table.key == key)


def scoped_facts(user: User, filters: Filters) -> QuerySet[CaseFact]:
    """The summary rows this user may count, narrowed by the filters. Deny by default."""
    facts = CaseFact.objects.all()
    if not (user.is_manager or user.is_office or user.is_researcher):
        return facts.none()
    regions = visible_regions(user, filters)
    if regions is not None:
        facts = facts.filter(region__in=regions)
    return _narrowed(facts, filters)


def _narrowed(facts: QuerySet[CaseFact], filters: Filters) -> QuerySet[CaseFact]:
    if filters.variant:
        facts = facts.filter(variant=filters.variant)
    if filters.domain in DOMAIN_BITS:
        facts = facts.annotate(_domain=F("domains").bitand(DOMAIN_BITS[filters.domain])).filter(
            _domain__gt=0
        )
    if filters.funder is not None:
        facts = facts.filter(funder_id=filters.funder)
    if filters.start is not None:
        facts = facts.filter(opened_on__gte=filters.start)
    if filters.end is not None:
        facts = facts.filter(opened_on__lte=filters.end)
    return facts


def dashboard(user: User, filters: Filters) -> Dashboard:
    refresh_stale()
    facts = scoped_facts(user, filters)
    by_region = _totals_by_region(facts)
    totals = _add_up(by_region)
    result = Dashboard(cases=totals["cases"])
    names = _region_names()
    result.tables = [
        _funnel(totals),
        _plans(totals),
        _implementation(totals),
        _causes(totals),
        _lead_times(facts, totals),
        _attendance(totals),
        # The circle's growth and the evaluation of every conference (issue 14 §5).
        _circle_growth(totals),
        _circle_growth_bands(totals),
        _evaluation(totals),
        _evaluation_regions(by_region, names),
        _coordinators(user, filters, facts, totals),
        _regions(by_region, names),
        _years(by_region),
    ]
    # The cost of a conference (issue 13).
    result.tables += cost_tables(facts)
    if user.is_researcher:
        result.tables = [suppress(table) for table in result.tables]
    return result


# --- the one aggregate scan ---------------------------------------------------------------


def _count(condition: Q) -> Count:
    return Count("pk", filter=condition)


def _totals_by_region(facts: QuerySet[CaseFact]) -> list[dict[str, Any]]:
    """Every count the tables need, per region, in one scan; the national totals are their
    sum (``_add_up``)."""
    aggregates: dict[str, Any] = {
        "cases": Count("pk"),
        "plan_made": _count(Q(plan_made=True)),
        "no_plan": _count(Q(plan_made=False)),
        "plans_with_agreements": _count(Q(agreements__gt=0)),
        "agreements": Sum("agreements"),
        "professional_agreements": Sum("professional_agreements"),
        "agreements_fully": Sum("agreements_fully"),
        "agreements_partly": Sum("agreements_partly"),
        "agreements_not": Sum("agreements_not"),
        "cause_family": Sum("cause_family"),
        "cause_professionals": Sum("cause_professionals"),
        "attended": _count(_ATTENDED),
        "invited": Sum("invited", filter=_ATTENDED),
        "present_information": Sum("present_information"),
        "present_private": Sum("present_private"),
        "present_presentation": Sum("present_presentation"),
        "worked": _count(Q(coordinator__isnull=False)),
        "present_beyond_household": Sum("present_beyond_household", filter=_ATTENDED),
        "present_named_by_others": Sum("present_named_by_others", filter=_ATTENDED),
        "evaluation_invited": Sum("evaluation_invited"),
        "evaluation_answers": Sum("evaluation_answers"),
    }
    for question in Question.values:
        aggregates[f"evaluation_{question}"] = Sum(f"evaluation_{question}")
    for band, low, high in GROWTH_BANDS:
        within = Q(present_beyond_household__gte=low)
        if high is not None:
            within &= Q(present_beyond_household__lte=high)
        aggregates[f"beyond_{band}"] = _count(_ATTENDED & within)
    for outcome in RequestOutcome.values:
        aggregates[f"outcome_{outcome}"] = _count(Q(outcome=outcome))
    for value in Implementation.values:
        aggregates[f"implementation_{value}"] = _count(Q(implementation=value))
    for deadline in DEADLINES:
        aggregates[f"{deadline}_met"] = _count(Q(**{f"{deadline}_in_time": True}))
        aggregates[f"{deadline}_missed"] = _count(Q(**{f"{deadline}_in_time": False}))
    # Prefixed: an aggregate may not share a name with a field of the model.
    rows = (
        facts.order_by()
        .annotate(year=ExtractYear("opened_on"))
        .values("region_id", "year")
        .annotate(**{f"total_{key}": value for key, value in aggregates.items()})
    )
    return [
        {
            key.removeprefix("total_"): value if key in _KEYS else value or 0
            for key, value in row.items()
        }
        for row in rows
    ]


_KEYS = ("region_id", "year")


def _add_up(rows: list[dict[str, Any]]) -> dict[str, int]:
    return add_up(rows, _KEYS)


def _grouped(rows: list[dict[str, Any]], by: str) -> dict[Any, dict[str, int]]:
    """The rows added up per region or per year."""
    return grouped(rows, by, _KEYS)


_ATTENDED = Q(present_information__gt=0) | Q(present_presentation__gt=0)
# Conferences by how many people from beyond the household were there: (key, from, to).
GROWTH_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0", 0, 0),
    ("1_2", 1, 2),
    ("3_5", 3, 5),
    ("6", 6, None),
)


# --- the tables ---------------------------------------------------------------------------


def _share(count: int, base: int) -> Cell:
    value = round(100 * count / base, 1) if base else None
    return Cell(value, count=count, base=base, kind="percent")


_DECIDED = [
    RequestOutcome.CONFERENCE,
    RequestOutcome.PLAN_WITHOUT_CONFERENCE,
    RequestOutcome.STOPPED,
]


def _funnel(totals: dict[str, int]) -> Table:
    # The published shares are of the requests that became more than an informative talk and
    # were not withdrawn, and that have ended one way or another (or held their conference).
    decided = _decided(totals)
    rows = []
    for outcome in RequestOutcome:
        count = totals[f"outcome_{outcome.value}"]
        share = _share(count, decided) if outcome in _DECIDED else Cell(None, kind="percent")
        rows.append((str(outcome.label), [Cell(count), share]))
    return Table(
        "funnel",
        str(_("Van aanvraag tot uitkomst")),
        [str(_("Uitkomst")), str(_("Aanvragen")), str(_("Aandeel van de afgeronde (%)"))],
        rows,
        chart="bar",
        note=str(
            _(
                "Het aandeel telt alleen aanvragen met een conferentie, een plan zonder "
                "conferentie of een stop; landelijk gepubliceerd: 70% / 15% / 15%."
            )
        ),
    )


def _plans(totals: dict[str, int]) -> Table:
    held, plans = totals["plan_made"] + totals["no_plan"], totals["plans_with_agreements"]
    agreements = totals["agreements"]
    per_plan = round(agreements / plans, 1) if plans else None
    rows = [
        (str(_("Conferenties met een plan")), [_share(totals["plan_made"], held)]),
        (str(_("Conferenties zonder plan")), [_share(totals["no_plan"], held)]),
        (
            str(_("Afspraken met professionele hulp")),
            [_share(totals["professional_agreements"], agreements)],
        ),
    ]
    return Table(
        "plans",
        str(_("Conferenties en plannen")),
        [str(_("Cijfer")), str(_("Aandeel (%)"))],
        rows,
        note=str(
            _("Gemiddeld %(per_plan)s afspraken per plan (%(plans)s plannen).")
            % {
                "per_plan": number_format(per_plan, 1) if per_plan is not None else "–",
                "plans": plans,
            }
        ),
        note_base=plans,
    )


def _implementation(totals: dict[str, int]) -> Table:
    registered = sum(totals[f"implementation_{v}"] for v in Implementation.values)
    agreements = sum(totals[f"agreements_{k}"] for k in ("fully", "partly", "not"))
    labels = dict(Implementation.choices)
    rows = [
        (
            str(labels[value]),
            [
                _share(totals[f"implementation_{value}"], registered),
                _share(totals[f"agreements_{key}"], agreements),
            ],
        )
        for value, key in zip(Implementation.values, ("fully", "partly", "not"), strict=True)
    ]
    return Table(
        "implementation",
        str(_("Uitvoering na 3 tot 5 maanden")),
        [str(_("Uitgevoerd")), str(_("Plannen (%)")), str(_("Afspraken (%)"))],
        rows,
        chart="doughnut",
        note=str(
            _("%(plans)s plannen geregistreerd; gepubliceerd: ongeveer 40%% / 50%% / 10%%.")
            % {"plans": registered}
        ),
        note_base=registered,
    )


def _causes(totals: dict[str, int]) -> Table:
    stuck = totals["cause_family"] + totals["cause_professionals"]
    rows = [
        (
            str(_("Bij de familie")),
            [Cell(totals["cause_family"]), _share(totals["cause_family"], stuck)],
        ),
        (
            str(_("Bij de professionals")),
            [Cell(totals["cause_professionals"]), _share(totals["cause_professionals"], stuck)],
        ),
    ]
    return Table(
        "causes",
        str(_("Waar het vastliep (afspraken niet of deels uitgevoerd)")),
        [str(_("Oorzaak")), str(_("Afspraken")), str(_("Aandeel (%)"))],
        rows,
        chart="doughnut",
    )


DEADLINES = {
    "first_contact": _("Aanvraag tot eerste contact"),
    "start": _("Aanvraag tot start"),
    "conference": _("Aanvraag tot conferentie"),
    "plan_sent": _("Conferentie tot plan verstuurd"),
}


def _lead_times(facts: QuerySet[CaseFact], totals: dict[str, int]) -> Table:
    histograms = _histograms(facts)
    rows = []
    for deadline, label in DEADLINES.items():
        histogram = histograms[deadline]
        cases = sum(histogram.values())
        median = _median_hours(histogram)
        met, missed = totals[f"{deadline}_met"], totals[f"{deadline}_missed"]
        rows.append(
            (
                str(label),
                [
                    Cell(
                        round(median / 24, 1) if median is not None else None,
                        base=cases,
                        kind="days",
                    ),
                    _share(met, met + missed),
                ],
            )
        )
    return Table(
        "lead_times",
        str(_("Doorlooptijden")),
        [str(_("Stap")), str(_("Mediaan (dagen)")), str(_("Binnen de termijn (%)"))],
        rows,
    )


def _histograms(facts: QuerySet[CaseFact]) -> dict[str, Counter[int]]:
    """How many cases took how many hours, per step: one query (a UNION of the steps)."""
    steps = list(DEADLINES)
    parts = [
        facts.filter(**{f"hours_to_{step}__isnull": False})
        .order_by()
        .annotate(step=Value(index, output_field=IntegerField()), hours=F(f"hours_to_{step}"))
        .values("step", "hours")
        .annotate(n=Count("pk"))
        for index, step in enumerate(steps)
    ]
    histograms: dict[str, Counter[int]] = {step: Counter() for step in steps}
    for row in parts[0].union(*parts[1:], all=True):
        histograms[steps[row["step"]]][row["hours"]] = row["n"]
    return histograms


def _median_hours(histogram: Counter[int]) -> float | None:
    """The median of the values a histogram counts: the mean of the two middle ones."""
    total = sum(histogram.values())
    if not total:
        return None
    return (_nth(histogram, (total - 1) // 2) + _nth(histogram, total // 2)) / 2


def _nth(histogram: Counter[int], index: int) -> int:
    """The value at ``index`` (from 0) of the histogram's values in order."""
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen > index:
            return value
    raise IndexError(index)


def _attendance(totals: dict[str, int]) -> Table:
    invited = totals["invited"]
    rows = [
        (str(_("Uitgenodigd")), [Cell(invited), Cell(None, kind="percent")]),
        *(
            (
                str(label),
                [Cell(totals[f"present_{phase}"]), _share(totals[f"present_{phase}"], invited)],
            )
            for phase, label in (
                ("information", _("Aanwezig bij de informatiefase")),
                ("private", _("Aanwezig in de besloten tijd")),
                ("presentation", _("Aanwezig bij de presentatie")),
            )
        ),
    ]
    return Table(
        "attendance",
        str(_("Aanwezigheid op de conferentie")),
        [str(_("Wie")), str(_("Mensen")), str(_("Van de uitgenodigden (%)"))],
        rows,
        note=str(
            _("Over %(conferences)s conferenties waarvan de aanwezigheid is vastgelegd.")
            % {"conferences": totals["attended"]}
        ),
        note_base=totals["attended"],
    )


def _average(total: int, base: int) -> Cell:
    return Cell(round(total / base, 1) if base else None, base=base, kind="number")


def _circle_growth(totals: dict[str, int]) -> Table:
    """How far the circle reached beyond the household, per conference with attendance."""
    conferences = totals["attended"]
    rows = [
        (
            str(_("Aanwezig van buiten het huishouden")),
            [_average(totals["present_beyond_household"], conferences)],
        ),
        (
            str(_("Aanwezig en genoemd door iemand anders uit de kring")),
            [_average(totals["present_named_by_others"], conferences)],
        ),
    ]
    return Table(
        "circle_growth",
        str(_("De kring groeit")),
        [str(_("Mensen per conferentie")), str(_("Gemiddeld"))],
        rows,
        chart="none",
        note=str(
            _(
                "Buiten het huishouden: familie, vrienden, buren, school en werk (niet de "
                "hoofdpersonen). Over %(conferences)s conferenties waarvan de aanwezigheid "
                "is vastgelegd."
            )
            % {"conferences": conferences}
        ),
        note_base=conferences,
    )


_BAND_LABELS = {
    "0": _("Niemand van buiten het huishouden"),
    "1_2": _("1 of 2 mensen"),
    "3_5": _("3 tot 5 mensen"),
    "6": _("6 mensen of meer"),
}


def _circle_growth_bands(totals: dict[str, int]) -> Table:
    conferences = totals["attended"]
    rows = [
        (
            str(_BAND_LABELS[band]),
            [Cell(totals[f"beyond_{band}"]), _share(totals[f"beyond_{band}"], conferences)],
        )
        for band, _low, _high in GROWTH_BANDS
    ]
    return Table(
        "circle_growth_bands",
        str(_("Conferenties naar aantal aanwezigen van buiten het huishouden")),
        [
            str(_("Aanwezig van buiten het huishouden")),
            str(_("Conferenties")),
            str(_("Aandeel (%)")),
        ],
        rows,
    )


def _evaluation_cells(row: dict[str, int]) -> list[Cell]:
    """Answers, response and the four averages; an average of fewer answers than a
    coordinator may see (three) is not shown to anyone: it could be one person's answer."""
    answers = row["evaluation_answers"]
    few = answers < min_answers()
    return [
        Cell(answers),
        _share(answers, row["evaluation_invited"]),
        *(
            Cell(None, base=answers, kind="number")
            if few
            else _average(row[f"evaluation_{question}"], answers)
            for question in Question.values
        ),
    ]


_EVALUATION_HEADERS = [
    _("Antwoorden"),
    _("Respons (%)"),
    _("Coördinator onafhankelijk"),
    _("Gehoord"),
    _("Ons eigen plan"),
    _("Zou het aanraden"),
]


def _evaluation(totals: dict[str, int]) -> Table:
    """The questionnaire after every conference, nationally (or for the chosen regions)."""
    cells = _evaluation_cells(totals)
    labels = [_("Gevraagd"), *_EVALUATION_HEADERS]
    values = [Cell(totals["evaluation_invited"]), *cells]
    return Table(
        "evaluation",
        str(_("Evaluatie van de conferenties")),
        [str(_("Cijfer")), str(_("Waarde"))],
        [(str(label), [value]) for label, value in zip(labels, values, strict=True)],
        chart="none",
        note=str(
            _(
                "Na elke conferentie krijgen de hoofdpersonen, de kring die er was en de "
                "professionals een korte vragenlijst; de vier vragen gaan van 1 (helemaal "
                "niet) tot 5 (helemaal)."
            )
        ),
    )


def _evaluation_regions(rows: list[dict[str, Any]], names: dict[int, str]) -> Table:
    return Table(
        "evaluation_regions",
        str(_("Evaluatie per regio")),
        [str(_("Regio")), *map(str, _EVALUATION_HEADERS)],
        [(name, _evaluation_cells(row)) for name, row in _per_region(rows, names)],
    )


def _coordinators(
    user: User, filters: Filters, facts: QuerySet[CaseFact], totals: dict[str, int]
) -> Table:
    pool = CoordinatorProfile.objects.filter(status__in=ACTIVE_COORDINATOR, user__is_active=True)
    regions = visible_regions(user, filters)
    if regions is not None:
        pool = pool.filter(regions__in=regions).distinct()
    active = pool.count()
    languages = pool.values("languages").exclude(languages=None).distinct().count()
    load = pool.aggregate(total=Sum("load"))["total"] or 0
    # DISTINCT in a subquery uses the coordinator index; COUNT(DISTINCT) would sort every row.
    coordinators = facts.exclude(coordinator=None).values("coordinator").distinct().count()
    per_coordinator = round(totals["worked"] / coordinators, 1) if coordinators else None
    rows = [
        (str(_("Actieve coördinatoren")), [Cell(active)]),
        (str(_("Talen en dialecten")), [Cell(languages, kind="number")]),
        (
            str(_("Lopende trajecten per actieve coördinator")),
            [Cell(round(load / active, 1) if active else None, base=active, kind="number")],
        ),
        (
            str(_("Trajecten per coördinator in de periode")),
            [Cell(per_coordinator, base=coordinators, kind="number")],
        ),
    ]
    return Table(
        "coordinators",
        str(_("Coördinatoren")),
        [str(_("Cijfer")), str(_("Waarde"))],
        rows,
        chart="none",
    )


_COMPARED = [
    _("Aanvragen"),
    _("Conferentie (% van de afgeronde)"),
    _("Plan geheel uitgevoerd (%)"),
    _("Eerste contact op tijd (%)"),
]


def _compared(row: dict[str, int]) -> list[Cell]:
    return [
        Cell(row["cases"]),
        _share(row[f"outcome_{RequestOutcome.CONFERENCE}"], _decided(row)),
        _share(row[f"implementation_{Implementation.FULLY}"], _registered(row)),
        _share(row["first_contact_met"], row["first_contact_met"] + row["first_contact_missed"]),
    ]


def _region_names() -> dict[int, str]:
    return dict(Region.objects.values_list("pk", "name"))


def _per_region(rows: list[dict[str, Any]], names: dict[int, str]) -> list[tuple[str, Any]]:
    """The rows added up per region, by name; the national queue last."""
    per_region = sorted(
        _grouped(rows, "region_id").items(),
        key=lambda item: (item[0] is None, names.get(item[0], "")),
    )
    queue = str(_("Landelijke wachtrij"))
    return [(names.get(region, queue), row) for region, row in per_region]


def _regions(rows: list[dict[str, Any]], names: dict[int, str]) -> Table:
    """The main figures side by side per region, to compare; the national queue last."""
    return Table(
        "regions",
        str(_("Per regio")),
        [str(_("Regio")), *map(str, _COMPARED)],
        [(name, _compared(row)) for name, row in _per_region(rows, names)],
    )


def _years(rows: list[dict[str, Any]]) -> Table:
    """The same figures per year of the request, oldest first: is it getting better?"""
    per_year = sorted(_grouped(rows, "year").items())
    return Table(
        "years",
        str(_("Per jaar van aanvraag")),
        [str(_("Jaar")), *map(str, _COMPARED)],
        [(str(year), _compared(row)) for year, row in per_year],
        note=str(
            _(
                "Recente jaren lopen nog: hun uitvoering wordt pas na drie tot vijf maanden "
                "geregistreerd."
            )
        ),
    )


def _decided(row: dict[str, int]) -> int:
    return sum(int(row[f"outcome_{outcome}"]) for outcome in _DECIDED)


def _registered(row: dict[str, int]) -> int:
    return sum(int(row[f"implementation_{value}"]) for value in Implementation.values)


def visible_regions(user: User, filters: Filters) -> set[int] | None:
    """The regions asked for within those the user may count; None: all, and the national
    queue (the office and researchers without a region filter)."""
    if user.is_manager:
        own = set(user.regions.values_list("pk", flat=True))
        return own if filters.regions is None else own & set(filters.regions)
    return None if filters.regions is None else set(filters.regions)


# --- suppression --------------------------------------------------------------------------


def suppress(table: Table) -> Table:
    """Blank every cell resting on fewer than five cases (researchers see only these)."""
    rows = [
        (
            label,
            [
                replace(cell, value=None, hidden=True) if cell.suppressed() else cell
                for cell in cells
            ],
        )
        for label, cells in table.rows
    ]
    small_note = table.note_base is not None and 0 < table.note_base < SMALL_CELL
    return replace(table, rows=rows, note="" if small_note else table.note)


def csv_rows(table: Table) -> Iterable[list[str]]:
    yield [str(header) for header in table.headers]
    for label, cells in table.rows:
        yield [label, *(_csv_value(cell) for cell in cells)]


def _csv_value(cell: Cell) -> str:
    if cell.value is None:
        return f"<{SMALL_CELL}" if cell.hidden else ""
    return decimal(cell.value)  # the Dutch dialect (kring.lib.spreadsheet)
