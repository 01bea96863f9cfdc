"""The circle diagram: an ecomap drawn on the server as SVG.

The main person(s) sit in the centre; around them one sector per category (household,
family, friends, ...), each participant a node, "named by" as a line with an arrow from the
one who named to the one named. Status is shown by the node's fill and inner mark (never by
colour alone), children are squares. Placement is greedy with collision checks: people are
spread over rings in their sector, inner rings first, and whoever's label would touch another
label moves one ring outwards, so that a circle of 40 stays readable.

Pure: works on anything with the attributes of ``PersonLike`` (saved Participants, unsaved
ones, dataclasses) and never touches the database. The SVG uses presentation attributes only
(no <style>, no style=""): the CSP allows no inline styles, and WeasyPrint renders it too.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext

from kring.preparation.models import Category, InvitationStatus


class PersonLike(Protocol):
    """What the diagram reads of a participant (``relation`` and ``is_child`` are optional)."""

    @property
    def id(self) -> int | None: ...
    @property
    def name(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def age(self) -> int | None: ...
    @property
    def named_by_id(self) -> int | None: ...
    @property
    def is_main_person(self) -> bool: ...


@dataclass(frozen=True)
class OutsidePerson:
    """Someone on the map who is not a participant of the circle, such as a professional
    who attended the conference or the referrer who gets the plan: drawn with the
    professionals, as present."""

    name: str
    relation: str = ""
    category: str = Category.PROFESSIONALS
    status: str = InvitationStatus.COMES
    age: int | None = None
    named_by_id: int | None = None
    is_main_person: bool = False
    id: int | None = None


FONT = 12  # node labels
SECTOR_FONT = 14
CHAR_WIDTH = 0.6  # of the font size: a generous estimate for a sans-serif font
MAX_LABEL = 16  # characters shown under a node; the full name is in its <title>
NODE_R = 10
CENTRE_R = 78
FIRST_RING = CENTRE_R + 64
RING_GAP = 60
SLOT = 84  # arc length (px) per node when filling a ring
SECTOR_MIN_DEGREES = 24.0
MARGIN = 16
MAX_RINGS = 60

STATUS_COLOUR: dict[str, str] = {
    InvitationStatus.COMES: "#1d6b38",
    InvitationStatus.CONDITIONAL: "#9a4700",
    InvitationStatus.DECLINES: "#a3192a",
    InvitationStatus.NOT_INVITED_SAFETY: "#4d4d4d",
    InvitationStatus.ASKED: "#2f4f7a",
    InvitationStatus.TO_ASK: "#2f4f7a",
}
TEXT_COLOUR = "#1a1a1a"
CENTRE_HEADING_FONT = 11
LINE_COLOUR = "#8a94a6"
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return not (
            self.x1 <= other.x0 or other.x1 <= self.x0 or self.y1 <= other.y0 or other.y1 <= self.y0
        )

    def union(self, other: Box) -> Box:
        return Box(
            min(self.x0, other.x0),
            min(self.y0, other.y0),
            max(self.x1, other.x1),
            max(self.y1, other.y1),
        )


@dataclass
class Node:
    key: str
    person: PersonLike
    x: float
    y: float
    label: str
    label_box: Box

    @property
    def box(self) -> Box:
        return self.label_box.union(
            Box(self.x - NODE_R, self.y - NODE_R, self.x + NODE_R, self.y + NODE_R)
        )


@dataclass
class SectorLabel:
    category: Category
    count: int
    x: float
    y: float
    anchor: str
    text: str
    box: Box
    start_angle: float
    end_angle: float


@dataclass(frozen=True)
class TextLabel:
    """A text of the diagram, for whoever sets it in HTML over a text-less drawing.

    ``x`` and ``y`` (the baseline) count from the drawing's top-left corner, in its units;
    ``anchor`` is SVG's: start, middle or end."""

    text: str
    x: float
    y: float
    anchor: str
    size: int
    bold: bool = False
    outline: bool = False


@dataclass(frozen=True)
class CircleDrawing:
    """The diagram as shapes only (an SVG without text) plus its texts as labels."""

    svg: str
    width: float
    height: float
    labels: list[TextLabel]


class _Texts:
    """Where the diagram's texts go: into the SVG, or, with ``labels``, into a list."""

    def __init__(self, labels: list[TextLabel] | None, x0: float, y0: float) -> None:
        self.labels, self.x0, self.y0 = labels, x0, y0

    def add(
        self,
        parent: ET.Element,
        text: str,
        x: float,
        y: float,
        *,
        anchor: str = "start",
        size: int = FONT,
        bold: bool = False,
        outline: bool = False,
    ) -> None:
        if self.labels is not None:
            self.labels.append(
                TextLabel(text, x - self.x0, y - self.y0, anchor, size, bold, outline)
            )
            return
        attrs: dict[str, object] = {}
        if anchor != "start":
            attrs["text_anchor"] = anchor
        if size != FONT:
            attrs["font_size"] = size
        if bold:
            attrs["font_weight"] = "bold"
        if outline:
            # A white outline behind the letters keeps a label readable where a line crosses.
            _sub(
                parent,
                "text",
                text,
                x=x,
                y=y,
                fill=TEXT_COLOUR,
                stroke="#ffffff",
                stroke_width=3,
                paint_order="stroke",
                stroke_linejoin="round",
                **attrs,
            )
        else:
            _sub(parent, "text", text, x=x, y=y, fill=TEXT_COLOUR, **attrs)

    @property
    def titles(self) -> bool:
        """Only the SVG on its own carries titles: the HTML around the labels says it all."""
        return self.labels is None


@dataclass
class Layout:
    centre_names: list[str]
    nodes: list[Node] = field(default_factory=list)
    sectors: list[SectorLabel] = field(default_factory=list)
    outer_radius: float = FIRST_RING


def clean_text(text: str) -> str:
    """Characters XML cannot carry at all are dropped (escaping is ElementTree's job)."""
    return _XML_INVALID.sub("", str(text))


def short(text: str, limit: int = MAX_LABEL) -> str:
    text = " ".join(clean_text(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def text_width(text: str, size: int = FONT) -> float:
    return len(text) * size * CHAR_WIDTH


def _is_child(person: PersonLike) -> bool:
    value = getattr(person, "is_child", None)
    if value is not None:
        return bool(value)
    return person.age is not None and person.age < 18


def _key(person: PersonLike, index: int) -> str:
    return f"p{person.id}" if person.id is not None else f"n{index}"


def _depths(people: Sequence[PersonLike]) -> list[int]:
    """How many 'named by' steps lead from someone back to a person nobody named."""
    parent = {p.id: p.named_by_id for p in people if p.id is not None}
    depths = []
    for person in people:
        depth, current, seen = 0, person.named_by_id, set()
        while current is not None and current in parent and current not in seen:
            seen.add(current)
            depth += 1
            current = parent[current]
        depths.append(depth)
    return depths


def _in_order_of_naming(participants: Sequence[PersonLike]) -> list[tuple[str, PersonLike]]:
    """People nobody named first, then those they named, and so on; within a generation
    grouped by who named them, so that a family branch sits together on the map."""
    depths = _depths(participants)
    rank: dict[int | None, int] = {}
    ordered: list[tuple[str, PersonLike]] = []
    for depth in sorted(set(depths)):
        generation = [
            (rank.get(p.named_by_id, -1), clean_text(p.name).casefold(), _key(p, i), p)
            for i, (p, d) in enumerate(zip(participants, depths, strict=True))
            if d == depth
        ]
        for _rank, _name, key, person in sorted(generation, key=lambda entry: entry[:3]):
            if person.id is not None:
                rank[person.id] = len(rank)
            if not person.is_main_person:
                ordered.append((key, person))
    return ordered


def _sector_spans(counts: dict[str, int]) -> list[tuple[str, float, float]]:
    """Angles (radians, clockwise from the top) per category: every category gets a
    minimum so that an empty one still shows, the rest follows the number of people."""
    total = sum(counts.values())
    spare = 360.0 - SECTOR_MIN_DEGREES * len(counts)
    spans, start = [], -90.0
    for category, count in counts.items():
        share = spare * count / total if total else spare / len(counts)
        width = SECTOR_MIN_DEGREES + share
        spans.append((category, math.radians(start), math.radians(start + width)))
        start += width
    return spans


def _node_at(key: str, person: PersonLike, radius: float, angle: float) -> Node:
    x, y = radius * math.cos(angle), radius * math.sin(angle)
    label = short(person.name)
    width = max(text_width(label), 2 * NODE_R)
    top = y + NODE_R + 2
    return Node(key, person, x, y, label, Box(x - width / 2, top, x + width / 2, top + FONT + 3))


def _place_sector(
    entries: list[tuple[str, PersonLike]], a0: float, a1: float, placed: list[Box]
) -> list[Node]:
    nodes: list[Node] = []
    queue = list(entries)
    ring = 0
    while queue:
        radius = FIRST_RING + ring * RING_GAP
        # Keep nodes off the sector's edges, by an arc of about one node.
        pad = min((NODE_R * 2.5) / radius, (a1 - a0) / 4)
        span = (a1 - a0) - 2 * pad
        capacity = max(1, int(radius * span // SLOT))
        batch, rest = queue[:capacity], queue[capacity:]
        bumped = []
        for i, (key, person) in enumerate(batch):
            angle = a0 + pad + span * (i + 0.5) / len(batch)
            node = _node_at(key, person, radius, angle)
            if ring < MAX_RINGS and any(node.box.overlaps(box) for box in placed):
                bumped.append((key, person))
                continue
            placed.append(node.box)
            nodes.append(node)
        queue = bumped + rest
        ring += 1
    return nodes


def _sector_label(
    category: Category, count: int, a0: float, a1: float, radius: float, placed: list[Box]
) -> SectorLabel:
    mid = (a0 + a1) / 2
    text = f"{category.label} ({count})"
    width = text_width(text, SECTOR_FONT) * 1.05  # bold
    cos, sin = math.cos(mid), math.sin(mid)
    anchor = "start" if cos > 0.35 else "end" if cos < -0.35 else "middle"
    while True:
        x, y = radius * cos, radius * sin
        x0 = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
        box = Box(x0, y - SECTOR_FONT, x0 + width, y + 4)
        if not any(box.overlaps(other) for other in placed):
            placed.append(box)
            return SectorLabel(category, count, x, y, anchor, text, box, a0, a1)
        radius += SECTOR_FONT + 2


def layout_circle(participants: Sequence[PersonLike], main_names: list[str]) -> Layout:
    """Where everything goes, in coordinates around (0, 0). Separate from drawing so that
    tests can check that no two labels touch."""
    by_category: dict[str, list[tuple[str, PersonLike]]] = {c: [] for c in Category.values}
    for key, person in _in_order_of_naming(participants):
        category = person.category if person.category in by_category else Category.HOUSEHOLD
        by_category[category].append((key, person))

    names = [clean_text(n) for n in main_names if clean_text(n).strip()]
    layout = Layout(centre_names=names)
    centre = Box(-CENTRE_R, -CENTRE_R, CENTRE_R, CENTRE_R)
    placed: list[Box] = [centre]
    spans = _sector_spans({c: len(v) for c, v in by_category.items()})
    for category, a0, a1 in spans:
        layout.nodes += _place_sector(by_category[category], a0, a1, placed)
    furthest = max((math.hypot(n.x, n.y) for n in layout.nodes), default=FIRST_RING)
    layout.outer_radius = furthest + NODE_R + FONT + 22
    for category, a0, a1 in spans:
        count = len(by_category[category])
        label = _sector_label(Category(category), count, a0, a1, layout.outer_radius, placed)
        layout.sectors.append(label)
    return layout


# ---------- Drawing ----------


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _sub(parent: ET.Element, tag: str, text: str | None = None, /, **attrs: object) -> ET.Element:
    element = ET.SubElement(
        parent,
        tag,
        {
            k.rstrip("_").replace("_", "-"): _fmt(v) if isinstance(v, float) else str(v)
            for k, v in attrs.items()
        },
    )
    if text is not None:
        element.text = text
    return element


def _mark(parent: ET.Element, status: str, child: bool, x: float, y: float) -> None:
    """The node: a circle (adult) or square (child), filled or marked by status."""
    colour = STATUS_COLOUR.get(status, STATUS_COLOUR[InvitationStatus.TO_ASK])
    shape: dict[str, object] = {"fill": "#ffffff", "stroke": colour, "stroke_width": 2}
    if status == InvitationStatus.COMES:
        shape["fill"] = colour
    elif status == InvitationStatus.NOT_INVITED_SAFETY:
        shape.update(fill="#e6e6e6", stroke_dasharray="3 2")
    if child:
        side = NODE_R * 1.7
        _sub(parent, "rect", x=x - side / 2, y=y - side / 2, width=side, height=side, rx=2, **shape)
    else:
        _sub(parent, "circle", cx=x, cy=y, r=float(NODE_R), **shape)
    d = NODE_R * 0.45
    if status == InvitationStatus.CONDITIONAL:
        _sub(parent, "circle", cx=x, cy=y, r=NODE_R * 0.4, fill=colour)
    elif status == InvitationStatus.DECLINES:
        lines = ((x - d, y - d, x + d, y + d), (x - d, y + d, x + d, y - d))
        for x1, y1, x2, y2 in lines:
            _sub(parent, "line", x1=x1, y1=y1, x2=x2, y2=y2, stroke=colour, stroke_width=2)
    elif status == InvitationStatus.NOT_INVITED_SAFETY:
        _sub(parent, "line", x1=x - d, y1=y, x2=x + d, y2=y, stroke=colour, stroke_width=3)


def _arrow(parent: ET.Element, x1: float, y1: float, x2: float, y2: float, end_r: float) -> None:
    """A line from (x1, y1) to the edge of the node at (x2, y2), with a small arrowhead."""
    length = math.hypot(x2 - x1, y2 - y1)
    if length <= end_r + 4:
        return
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    tip_x, tip_y = x2 - ux * (end_r + 2), y2 - uy * (end_r + 2)
    _sub(parent, "line", x1=x1, y1=y1, x2=tip_x, y2=tip_y, stroke=LINE_COLOUR, stroke_width=1.5)
    back_x, back_y = tip_x - ux * 7, tip_y - uy * 7
    points = [
        (tip_x, tip_y),
        (back_x - uy * 3.5, back_y + ux * 3.5),
        (back_x + uy * 3.5, back_y - ux * 3.5),
    ]
    _sub(
        parent,
        "polygon",
        points=" ".join(f"{_fmt(a)},{_fmt(b)}" for a, b in points),
        fill=LINE_COLOUR,
    )


def _wedge(r1: float, r2: float, a0: float, a1: float) -> str:
    """An SVG path for the ring sector between radii r1 and r2 and angles a0 and a1."""
    large = 1 if a1 - a0 > math.pi else 0

    def point(r: float, a: float) -> str:
        return f"{_fmt(r * math.cos(a))} {_fmt(r * math.sin(a))}"

    return (
        f"M {point(r1, a0)} L {point(r2, a0)} A {_fmt(r2)} {_fmt(r2)} 0 {large} 1 {point(r2, a1)} "
        f"L {point(r1, a1)} A {_fmt(r1)} {_fmt(r1)} 0 {large} 0 {point(r1, a0)} Z"
    )


def _describe(person: PersonLike, namer: str | None) -> str:
    parts = [clean_text(person.name)]
    relation = clean_text(getattr(person, "relation", "") or "")
    if relation:
        parts.append(relation)
    if person.status in InvitationStatus.values:
        parts.append(str(InvitationStatus(person.status).label))
    if _is_child(person) and person.age is not None:
        parts.append(ngettext("%(n)d jaar", "%(n)d jaar", person.age) % {"n": person.age})
    if namer:
        parts.append(_("genoemd door %(name)s") % {"name": clean_text(namer)})
    return " · ".join(parts)


def _draw_centre(svg: ET.Element, names: list[str], texts: _Texts) -> None:
    group = _sub(svg, "g")
    heading = npgettext("diagram", "Hoofdpersoon", "Hoofdpersonen", max(len(names), 1))
    if texts.titles:
        _sub(group, "title", f"{heading}: {', '.join(names) or '—'}")
    _sub(
        group,
        "circle",
        cx=0.0,
        cy=0.0,
        r=float(CENTRE_R),
        fill="#fdf3d0",
        stroke="#7a5c00",
        stroke_width=2,
    )
    shown = [short(n, 14) for n in names[:3]]
    if len(names) > 3:
        shown[-1] = _("en %(n)d anderen") % {"n": len(names) - 2}
    lines = [heading, *shown]
    top = -(len(lines) - 1) * (FONT + 4) / 2 + FONT / 3
    for i, line in enumerate(lines):
        size, bold = (FONT, True) if i else (CENTRE_HEADING_FONT, False)
        texts.add(group, line, 0.0, top + i * (FONT + 4), anchor="middle", size=size, bold=bold)


LEGEND_ROW = 24
LEGEND_COLUMN = 270


def _legend_items() -> list[tuple[str, str, bool]]:
    return [
        (InvitationStatus.COMES, _("Komt"), False),
        (InvitationStatus.CONDITIONAL, _("Komt onder voorwaarde"), False),
        (InvitationStatus.DECLINES, _("Komt niet"), False),
        (InvitationStatus.NOT_INVITED_SAFETY, _("Niet uitgenodigd (veiligheid)"), False),
        (InvitationStatus.TO_ASK, _("Nog vragen of nog geen antwoord"), False),
        (InvitationStatus.TO_ASK, _("Kind (vierkant)"), True),
        ("named_by", _("Lijn met pijl: genoemd door"), False),
    ]


def _draw_legend(svg: ET.Element, x: float, y: float, texts: _Texts) -> float:
    """The legend in two columns from (x, y); returns its height."""
    group = _sub(svg, "g")
    if texts.titles:
        _sub(group, "title", _("Legenda"))
    items = _legend_items()
    rows = math.ceil(len(items) / 2)
    for i, (status, text, child) in enumerate(items):
        cx = x + (i // rows) * LEGEND_COLUMN + NODE_R + 2
        cy = y + (i % rows) * LEGEND_ROW + NODE_R
        if status == "named_by":
            _arrow(group, cx - NODE_R - 2, cy, cx + NODE_R + 2, cy, 0.0)
        else:
            _mark(group, status, child, cx, cy)
        texts.add(group, text, cx + NODE_R + 10, cy + FONT / 3)
    return rows * LEGEND_ROW


def render_circle_svg(
    participants: Sequence[PersonLike],
    main_names: list[str],
    *,
    title: str | None = None,
    id_prefix: str = "kring",
) -> str:
    """The circle as an SVG document (a string). ``id_prefix`` keeps ids unique when more
    than one diagram is inlined in one page."""
    return _draw(participants, main_names, title, id_prefix, None).svg


def render_circle_drawing(
    participants: Sequence[PersonLike], main_names: list[str], *, title: str | None = None
) -> CircleDrawing:
    """The circle for a PDF: an SVG of shapes only, its texts as labels to set in HTML.

    WeasyPrint lays SVG text out glyph by glyph, several times slower than the same text in
    HTML; without text the SVG also needs no per-node titles (the page around it has them)."""
    return _draw(participants, main_names, title, "pdf-kring", [])


def _draw(
    participants: Sequence[PersonLike],
    main_names: list[str],
    title: str | None,
    id_prefix: str,
    labels: list[TextLabel] | None,
) -> CircleDrawing:
    layout = layout_circle(participants, main_names)
    nodes = {node.key: node for node in layout.nodes}
    by_id = {p.id: p for p in participants if p.id is not None}
    key_of = {p.id: _key(p, i) for i, p in enumerate(participants) if p.id is not None}

    boxes = [Box(-CENTRE_R, -CENTRE_R, CENTRE_R, CENTRE_R)]
    boxes += [node.box for node in layout.nodes] + [label.box for label in layout.sectors]
    extent = boxes[0]
    for box in boxes[1:]:
        extent = extent.union(box)
    width = max(extent.x1 - extent.x0, 2 * LEGEND_COLUMN) + 2 * MARGIN
    x0 = extent.x0 - MARGIN
    legend_y = extent.y1 + MARGIN * 2
    legend_rows = math.ceil(len(_legend_items()) / 2)
    height = legend_y + legend_rows * LEGEND_ROW + MARGIN - (extent.y0 - MARGIN)

    texts = _Texts(labels, x0, extent.y0 - MARGIN)
    title_id, desc_id = f"{id_prefix}-titel", f"{id_prefix}-beschrijving"
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"{_fmt(x0)} {_fmt(extent.y0 - MARGIN)} {_fmt(width)} {_fmt(height)}",
            "width": _fmt(width),
            "height": _fmt(height),
            "role": "img",
            "aria-labelledby": f"{title_id} {desc_id}",
            "font-family": "Arial, Helvetica, sans-serif",
            "font-size": str(FONT),
        },
    )
    _sub(svg, "title", clean_text(title or _("Kringdiagram")), id=title_id)
    _sub(svg, "desc", describe_circle(participants, layout.centre_names), id=desc_id)

    lines = _sub(svg, "g")
    for i, label in enumerate(layout.sectors):
        ca, sa = math.cos(label.start_angle), math.sin(label.start_angle)
        r1, r2 = CENTRE_R + 6, layout.outer_radius - 8
        fill = "#f3f5f8" if i % 2 == 0 else "#fafbfc"
        _sub(lines, "path", d=_wedge(r1, r2, label.start_angle, label.end_angle), fill=fill)
        _sub(
            lines,
            "line",
            x1=r1 * ca,
            y1=r1 * sa,
            x2=r2 * ca,
            y2=r2 * sa,
            stroke="#c9ced6",
            stroke_width=1,
            stroke_dasharray="4 4",
        )

    links = _sub(svg, "g")
    for node in layout.nodes:
        namer_id = node.person.named_by_id
        if namer_id is None or namer_id not in by_id:
            continue
        namer = by_id[namer_id]
        if namer.is_main_person:
            length = math.hypot(node.x, node.y) or 1.0
            start = (node.x / length * CENTRE_R, node.y / length * CENTRE_R)
        elif key_of[namer_id] in nodes:
            start = (nodes[key_of[namer_id]].x, nodes[key_of[namer_id]].y)
        else:
            continue
        _arrow(links, start[0], start[1], node.x, node.y, NODE_R + 1)

    _draw_centre(svg, layout.centre_names, texts)

    for label in layout.sectors:
        texts.add(
            svg,
            label.text,
            label.x,
            label.y,
            anchor=label.anchor,
            size=SECTOR_FONT,
            bold=True,
            outline=True,
        )

    for node in layout.nodes:
        person = node.person
        group = _sub(svg, "g")
        if texts.titles:
            named_by = by_id.get(person.named_by_id) if person.named_by_id is not None else None
            _sub(group, "title", _describe(person, named_by.name if named_by else None))
        _mark(group, person.status, _is_child(person), node.x, node.y)
        texts.add(group, node.label, node.x, node.label_box.y1 - 4, anchor="middle", outline=True)

    _draw_legend(svg, x0 + MARGIN, legend_y, texts)
    return CircleDrawing(ET.tostring(svg, encoding="unicode"), width, height, labels or [])


def describe_circle(participants: Sequence[PersonLike], main_names: list[str]) -> str:
    """A sentence for screen readers and alt text: who is in the centre, how many come."""
    people = [p for p in participants if not p.is_main_person]
    count = dict.fromkeys(InvitationStatus.values, 0)
    for person in people:
        count[person.status] = count.get(person.status, 0) + 1
    names = ", ".join(clean_text(n) for n in main_names) or "—"
    return _(
        "Kring rond %(names)s: %(total)d mensen; %(comes)d komen, %(conditional)d onder "
        "voorwaarde, %(declines)d komen niet, %(not_invited)d niet uitgenodigd, "
        "%(open)d nog geen antwoord."
    ) % {
        "names": names,
        "total": len(people),
        "comes": count[InvitationStatus.COMES],
        "conditional": count[InvitationStatus.CONDITIONAL],
        "declines": count[InvitationStatus.DECLINES],
        "not_invited": count[InvitationStatus.NOT_INVITED_SAFETY],
        "open": count[InvitationStatus.TO_ASK] + count[InvitationStatus.ASKED],
    }
