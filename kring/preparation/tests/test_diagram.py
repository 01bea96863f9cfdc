"""The circle diagram: valid SVG, everyone in it, readable at 40, safe with any name."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from itertools import combinations

import pytest
from django.urls import reverse

from kring.audit.models import Action, AuditEvent
from kring.cases.models import Status
from kring.factories import make_case
from kring.preparation.circle.diagram import layout_circle, render_circle_drawing, render_circle_svg
from kring.preparation.models import Category, InvitationStatus, Participant

SVG = "{http://www.w3.org/2000/svg}"


@dataclass
class Person:
    id: int | None
    name: str
    category: str
    status: str = InvitationStatus.TO_ASK
    age: int | None = None
    named_by_id: int | None = None
    is_main_person: bool = False
    relation: str = ""


def circle_of(n: int, *, seed: int = 1, categories: list[str] | None = None) -> list[Person]:
    rng = random.Random(seed)
    people = [
        Person(1, "Fatma Yılmaz", Category.HOUSEHOLD, InvitationStatus.COMES, None, None, True)
    ]
    for i in range(2, n + 2):
        people.append(
            Person(
                id=i,
                name=f"{rng.choice(['Anna', 'Mohammed', 'Jan-Willem', 'Senait'])} Persoon{i}",
                category=rng.choice(categories or Category.values),
                status=rng.choice(InvitationStatus.values),
                age=rng.choice([None, None, 4, 12]),
                named_by_id=rng.choice([None, *range(1, i)]),
            )
        )
    return people


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def titles(root: ET.Element) -> list[str]:
    return [el.text or "" for el in root.iter(f"{SVG}title")]


def test_the_diagram_is_valid_svg_with_a_title_and_role():
    root = parse(render_circle_svg(circle_of(10), ["Fatma Yılmaz"]))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    labelled_by = root.get("aria-labelledby", "").split()
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    assert labelled_by and set(labelled_by) <= ids


def test_every_participant_is_in_the_diagram_with_a_title_of_their_own():
    people = circle_of(12)
    root = parse(render_circle_svg(people, ["Fatma Yılmaz"]))
    text = " ".join(titles(root))
    for person in people:
        assert person.name in text
    node_titles = [t for t in titles(root) if "Persoon" in t]
    assert len(node_titles) == len(people) - 1  # the main person is in the centre


def test_named_by_draws_a_line_with_an_arrow():
    people = [
        Person(1, "Sara", Category.HOUSEHOLD, is_main_person=True),
        Person(2, "Oma Truus", Category.FAMILY, named_by_id=1),
        Person(3, "Tante Ans", Category.FAMILY, named_by_id=2),
    ]
    root = parse(render_circle_svg(people, ["Sara"]))
    assert len(list(root.iter(f"{SVG}polygon"))) >= 2 + 1  # two links, one in the legend
    assert any("genoemd door Oma Truus" in t for t in titles(root))


def test_names_are_escaped():
    people = [
        Person(1, "Main", Category.HOUSEHOLD, is_main_person=True),
        Person(2, "<script>alert(1)</script>", Category.FRIENDS),
        Person(3, "Jansen & Zn \"B\" 'C'\x01", Category.COMMUNITY, relation="<b>buur</b>"),
    ]
    svg = render_circle_svg(people, ["Main & <Co>"], title="Kring & <zo>")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    root = parse(svg)  # well-formed despite the control character
    text = " ".join(titles(root))
    assert "<script>alert(1)</script>" in text
    assert "Jansen & Zn \"B\" 'C'" in text
    assert not list(root.iter(f"{SVG}script"))
    assert not list(root.iter("script"))


@pytest.mark.parametrize(
    "categories",
    [None, [Category.FAMILY], [Category.FAMILY, Category.FRIENDS], [Category.PROFESSIONALS]],
)
def test_forty_people_have_no_overlapping_labels(categories):
    people = circle_of(40, categories=categories)
    layout = layout_circle(people, ["Fatma Yılmaz"])
    assert len(layout.nodes) == 40
    boxes = [node.box for node in layout.nodes] + [label.box for label in layout.sectors]
    for a, b in combinations(boxes, 2):
        assert not a.overlaps(b)
    root = parse(render_circle_svg(people, ["Fatma Yılmaz"]))
    assert len(titles(root)) >= 40


def test_long_names_are_shortened_on_the_map_and_complete_in_the_title():
    long_name = "Maria Magdalena Johanna van den Heuvel-Brinkman"
    people = [
        Person(1, "M", Category.HOUSEHOLD, is_main_person=True),
        Person(2, long_name, "family"),
    ]
    root = parse(render_circle_svg(people, ["M"]))
    texts = [el.text or "" for el in root.iter(f"{SVG}text")]
    assert long_name not in texts
    assert any(t.startswith("Maria Magdalena") and t.endswith("…") for t in texts)
    assert any(long_name in t for t in titles(root))


def test_an_empty_circle_still_draws_centre_sectors_and_legend():
    root = parse(render_circle_svg([], ["Sara de Vries"]))
    texts = [el.text or "" for el in root.iter(f"{SVG}text")]
    assert "Sara de Vries" in texts
    assert any(t.startswith("Familie") for t in texts)
    assert "Komt onder voorwaarde" in texts


def test_the_pdf_drawing_has_the_svgs_texts_as_labels_and_no_svg_text():
    people = circle_of(12)
    svg = parse(render_circle_svg(people, ["Fatma Yılmaz"]))
    drawing = render_circle_drawing(people, ["Fatma Yılmaz"], title="Onze kring")
    root = parse(drawing.svg)
    assert not list(root.iter(f"{SVG}text"))
    assert [label.text for label in drawing.labels] == [el.text for el in svg.iter(f"{SVG}text")]
    assert root.get("viewBox") == svg.get("viewBox")
    for label in drawing.labels:
        assert 0 <= label.x <= drawing.width
        assert 0 <= label.y <= drawing.height


@pytest.mark.django_db
def test_the_diagram_view_answers_svg_to_the_coordinator_and_logs_the_read(client, coordinator):
    case = make_case(status=Status.PREPARATION, coordinator=coordinator)
    Participant.objects.create(case=case, name="Oma <Truus>", category=Category.FAMILY)
    client.force_login(coordinator)
    response = client.get(reverse("preparation:diagram", args=[case.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    root = parse(response.content.decode())
    assert any("Oma <Truus>" in t for t in titles(root))
    viewed = AuditEvent.objects.filter(case=case, action=Action.CASE_VIEWED, actor=coordinator)
    assert viewed.filter(detail__page="diagram").exists()


@pytest.mark.django_db
def test_the_diagram_view_is_404_for_another_coordinator(client, coordinator):
    case = make_case(status=Status.PREPARATION)
    client.force_login(coordinator)
    assert client.get(reverse("preparation:diagram", args=[case.pk])).status_code == 404
