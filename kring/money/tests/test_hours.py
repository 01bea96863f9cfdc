"""The coordinator records hours and expenses on a phone; the manager approves or returns
each line; an approved line is locked; every step is logged."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kring.accounts.testing import VerifiedClient
from kring.audit.models import Action, AuditEvent, Outcome
from kring.money import domain
from kring.money.models import Line, LineStatus, Norm, Rate
from kring.money.tests.conftest import last_month_day

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def hours_data(**overrides: str) -> dict[str, str]:
    data = {
        "worked_on": timezone.localdate().isoformat(),
        "activity": "first_visit",
        "hours": "1,5",
        "kilometres": "12,5",
        "note": "",
    }
    return {**data, **overrides}


def test_a_coordinator_records_hours_the_dutch_way_and_sees_the_running_total(
    coordinator_client, case
):
    url = reverse("money:add_hours", args=[case.pk])
    response = coordinator_client.post(url, hours_data(), follow=True)
    assert response.status_code == 200
    line = Line.objects.get()
    assert (line.hours, line.kilometres) == (Decimal("1.50"), Decimal("12.5"))
    # 1,5 × 45 + 12,5 × 0,23 = 67,50 + 2,88 (2,875 rounded half up)
    assert line.amount == Decimal("70.38")
    assert line.status == LineStatus.DRAFT
    page = response.content.decode()
    assert "1,50 van 30 uur" in page
    assert "totaal € 70,38" in page
    assert AuditEvent.objects.filter(action=Action.MONEY_LINE_RECORDED, case=case).exists()


def test_hours_are_recorded_in_quarters(coordinator_client, case):
    url = reverse("money:add_hours", args=[case.pk])
    response = coordinator_client.post(url, hours_data(hours="1,1"))
    assert response.status_code == 400
    assert "kwartieren" in response.content.decode()
    assert not Line.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("note", "bezoek\x00"),
        ("worked_on", "9999-12-31"),
        ("worked_on", "0001-01-01"),
        ("hours", str(2**70)),
        ("hours", "NaN"),
        ("kilometres", "1e400"),
        ("kilometres", "-3"),
        ("activity", "vakantie"),
    ],
)
def test_hostile_hours_get_a_dutch_error_next_to_the_field(coordinator_client, case, field, value):
    url = reverse("money:add_hours", args=[case.pk])
    response = coordinator_client.post(url, hours_data(**{field: value}))
    assert response.status_code == 400
    assert b"kring-form-errors" in response.content
    assert field in response.context["hours_form"].errors
    assert not Line.objects.exists()


def test_hours_in_the_future_or_before_the_request_are_refused_next_to_the_date(
    coordinator_client, case
):
    url = reverse("money:add_hours", args=[case.pk])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = coordinator_client.post(url, hours_data(worked_on=tomorrow))
    assert response.status_code == 400
    assert "worked_on" in response.context["hours_form"].errors
    long_ago = (timezone.localdate() - timedelta(days=400)).isoformat()
    response = coordinator_client.post(url, hours_data(worked_on=long_ago))
    assert "vóór de aanvraag" in response.content.decode()
    assert not Line.objects.exists()
    refused = AuditEvent.objects.filter(action=Action.MONEY_LINE_RECORDED, outcome=Outcome.REFUSED)
    assert refused.count() == 2


def test_an_expense_with_a_photo_of_the_receipt(coordinator_client, case, manager):
    url = reverse("money:add_expense", args=[case.pk])
    receipt = SimpleUploadedFile("bon.png", PNG, content_type="image/png")
    data = {
        "worked_on": timezone.localdate().isoformat(),
        "expense_kind": "catering",
        "amount": "23,45",
        "receipt": receipt,
    }
    response = coordinator_client.post(url, data)
    assert response.status_code == 302
    line = Line.objects.get()
    assert line.amount == Decimal("23.45")
    assert coordinator_client.get(reverse("money:receipt", args=[line.pk])).content == PNG


def test_a_receipt_that_is_not_a_picture_or_pdf_is_refused(coordinator_client, case):
    url = reverse("money:add_expense", args=[case.pk])
    fake = SimpleUploadedFile("bon.png", b"MZ\x90\x00 not a picture", content_type="image/png")
    data = {"worked_on": timezone.localdate().isoformat(), "expense_kind": "venue"}
    response = coordinator_client.post(url, {**data, "amount": "10", "receipt": fake})
    assert response.status_code == 400
    assert "receipt" in response.context["expense_form"].errors
    assert not Line.objects.exists()


def test_an_expense_above_the_cap_is_refused(coordinator, case):
    with pytest.raises(domain.MoneyRefused, match="ten hoogste"):
        domain.record_expense(
            case,
            by=coordinator,
            worked_on=timezone.localdate(),
            expense_kind="interpreter",
            amount=Decimal("250.01"),
        )


def test_the_norm_is_a_setting_per_variant_and_warns_before_it_is_passed(
    coordinator_client, coordinator, case
):
    Norm.objects.create(variant=case.variant, hours=Decimal("10"))
    for _ in range(2):
        domain.record_hours(
            case,
            by=coordinator,
            worked_on=timezone.localdate(),
            activity="circle",
            hours=Decimal(4),
        )
    url = reverse("money:add_hours", args=[case.pk])
    response = coordinator_client.post(url, hours_data(hours="1"), follow=True)
    assert "9.00 van de 10.00 uur" in response.content.decode().replace(",", ".")
    response = coordinator_client.post(url, hours_data(hours="2"), follow=True)
    assert "over de norm" in response.content.decode()
    mine = coordinator_client.get(reverse("money:mine")).content.decode()
    assert "boven de norm" in mine


def _submitted_line(coordinator, case, **fields) -> Line:
    line = domain.record_hours(
        case,
        by=coordinator,
        worked_on=fields.pop("worked_on", last_month_day()),
        activity="circle",
        hours=fields.pop("hours", Decimal(2)),
    )
    domain.submit_month(line.month, by=coordinator)
    line.refresh_from_db()
    return line


def test_submit_a_month_then_the_manager_approves_and_the_line_is_locked(
    coordinator_client, coordinator, case, manager
):
    line = domain.record_hours(
        case, by=coordinator, worked_on=last_month_day(), activity="circle", hours=Decimal(3)
    )
    response = coordinator_client.post(
        reverse("money:submit_month"), {"month": f"{line.month:%Y-%m}"}
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.status == LineStatus.SUBMITTED
    client = VerifiedClient()
    client.force_login(manager)
    review = client.get(reverse("money:review"))
    assert line.case.request.reference in review.content.decode()
    url = reverse("money:review_line", args=[line.pk])
    response = client.post(url, {f"r{line.pk}-decision": "approve"})
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.status == LineStatus.APPROVED
    # Locked: neither the coordinator nor a second review changes it.
    with pytest.raises(domain.MoneyRefused):
        domain.delete_line(line, by=coordinator)
    with pytest.raises(domain.MoneyRefused):
        domain.review_line(line, by=manager, approve=False, comment="toch niet")
    assert Line.objects.get(pk=line.pk).status == LineStatus.APPROVED
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        Action.MONEY_LINE_RECORDED,
        Action.MONEY_MONTH_SUBMITTED,
        Action.MONEY_LINE_APPROVED,
        Action.MONEY_LINE_DELETED,  # the refused attempt
    } <= actions


def test_a_returned_line_needs_a_comment_and_goes_back_to_the_coordinator(
    coordinator_client, coordinator, case, manager
):
    line = _submitted_line(coordinator, case)
    client = VerifiedClient()
    client.force_login(manager)
    url = reverse("money:review_line", args=[line.pk])
    response = client.post(url, {f"r{line.pk}-decision": "return", f"r{line.pk}-comment": ""})
    assert response.status_code == 400
    assert "Schrijf erbij wat er anders moet" in response.content.decode()
    client.post(
        url, {f"r{line.pk}-decision": "return", f"r{line.pk}-comment": "Was dit niet 1 uur?"}
    )
    line.refresh_from_db()
    assert line.status == LineStatus.RETURNED
    mine = coordinator_client.get(reverse("money:mine")).content.decode()
    assert "Was dit niet 1 uur?" in mine
    # The coordinator takes it back and records it right.
    coordinator_client.post(reverse("money:delete_line", args=[line.pk]))
    assert not Line.objects.filter(pk=line.pk).exists()
    event = AuditEvent.objects.filter(action=Action.MONEY_LINE_RETURNED).get()
    assert "Was dit" not in str(event.detail)


def test_a_rate_change_on_a_date_leaves_older_lines_their_rate(coordinator, case, office, rate):
    today = timezone.localdate()
    new = domain.add_rate(
        by=office,
        starts_on=today,
        hourly_fee=Decimal("50.00"),
        km_allowance=Decimal("0.25"),
        expense_cap=Decimal("300"),
    )
    before = domain.record_hours(
        case,
        by=coordinator,
        worked_on=today - timedelta(days=1),
        activity="circle",
        hours=Decimal(2),
    )
    after = domain.record_hours(
        case, by=coordinator, worked_on=today, activity="circle", hours=Decimal(2)
    )
    assert (before.rate, before.amount) == (rate, Decimal("90.00"))
    assert (after.rate, after.amount) == (new, Decimal("100.00"))
    with pytest.raises(domain.MoneyRefused, match="niet in het verleden"):
        domain.add_rate(
            by=office,
            starts_on=today - timedelta(days=1),
            hourly_fee=Decimal(1),
            km_allowance=Decimal(1),
            expense_cap=Decimal(1),
        )
    assert Rate.in_force_on(date(2021, 1, 1)) == rate


def test_the_office_sets_a_rate_through_its_page_and_a_past_date_is_a_form_error(client, office):
    client.force_login(office)
    url = reverse("money:rates")
    data = {"hourly_fee": "47,50", "km_allowance": "0,23", "expense_cap": "250"}
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(url, {**data, "starts_on": yesterday})
    assert response.status_code == 400
    assert "vandaag of later" in response.content.decode()
    response = client.post(url, {**data, "starts_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    assert Rate.objects.get().hourly_fee == Decimal("47.50")
    response = client.post(url, {**data, "hourly_fee": str(2**70), "starts_on": "9999-12-31"})
    assert response.status_code == 400


def test_the_domain_itself_refuses_hours_the_database_would_not_take(coordinator, case):
    for hours in (Decimal(0), Decimal("24.25"), Decimal("1.1")):
        with pytest.raises(domain.MoneyRefused):
            domain.record_hours(
                case, by=coordinator, worked_on=timezone.localdate(), activity="circle", hours=hours
            )
    assert not Line.objects.exists()


def test_the_workspace_links_to_the_cases_hours_with_the_running_total(
    coordinator_client, case, coordinator, manager, client
):
    domain.record_hours(
        case, by=coordinator, worked_on=timezone.localdate(), activity="circle", hours=Decimal(2)
    )
    workspace = reverse("preparation:workspace", args=[case.pk])
    money = reverse("money:case", args=[case.pk])
    page = coordinator_client.get(workspace).content.decode()
    assert 'data-testid="money-line"' in page
    assert f'href="{money}"' in page and "2,00 van 30 uur" in page
    assert coordinator_client.get(money).status_code == 200
    client.force_login(manager)
    assert "2,00 van 30 uur" in client.get(workspace).content.decode()
