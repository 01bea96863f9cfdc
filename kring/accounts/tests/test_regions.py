import pytest

from kring.accounts.models import Postcode, Region
from kring.accounts.regions import pc4_of, read_pc4_rows, region_for_postcode


@pytest.mark.parametrize(
    ("raw", "pc4"),
    [
        ("3511 AB", "3511"),
        ("3511ab", "3511"),
        (" 9712 ", "9712"),
        ("0123 AB", None),
        ("35111", None),
        ("", None),
        (None, None),
        ("abcd", None),
    ],
)
def test_pc4_of_reads_dutch_postcodes(raw, pc4):
    assert pc4_of(raw) == pc4


@pytest.mark.django_db
def test_the_twelve_provinces_are_the_default_regions():
    assert Region.objects.count() == 12
    assert set(Region.objects.values_list("slug", flat=True)) >= {"utrecht", "fryslan", "zeeland"}


@pytest.mark.django_db
def test_every_pc4_in_the_csv_routes_to_the_region_of_its_province():
    rows = read_pc4_rows()
    routed = dict(Postcode.objects.values_list("pc4", "region__name"))
    assert len(rows) == len(routed) == 4086
    for row in rows:
        assert routed[row["pc4"]] == row["province"], row["pc4"]


@pytest.mark.django_db
def test_region_for_postcode_uses_the_table_and_unknown_goes_nowhere():
    assert region_for_postcode("3511 AB").slug == "utrecht"
    assert region_for_postcode("9712 CP").slug == "groningen"
    assert region_for_postcode("1000 AA") is None  # a PO-box range: not in the table
    assert region_for_postcode("") is None


@pytest.mark.django_db
def test_a_postcode_moved_to_another_region_in_the_admin_routes_there(groningen):
    Postcode.objects.filter(pc4="3511").update(region=groningen)
    assert region_for_postcode("3511 AB") == groningen
