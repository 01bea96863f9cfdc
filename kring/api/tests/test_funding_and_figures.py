from __future__ import annotations

from typing import Any

from kring.accounts.models import Role
from kring.api import keys
from kring.api.models import Scope
from kring.api.tests.conftest import a_contract, bearer
from kring.factories import UserFactory


def test_a_funder_reads_its_own_contracts_and_invoices(
    api_client: Any, funder: Any, funding_key: str, office: Any
) -> None:
    a_contract(funder, office)
    contracts = api_client.get("/api/v1/funding/contracts", **bearer(funding_key)).json()
    assert [(c["reference"], c["price"], c["cap"], c["used"]) for c in contracts] == [
        ("UTR-2026", "1850.00", 10, 0)
    ]
    assert contracts[0]["regions"] == ["Utrecht"]
    assert api_client.get("/api/v1/funding/invoices", **bearer(funding_key)).json() == []


def test_another_funder_sees_none_of_them(api_client: Any, funder: Any, office: Any) -> None:
    from kring.factories import OrganisationFactory

    other = OrganisationFactory(name="Gemeente Zwolle")
    _key, secret = keys.issue_key(other, scope=Scope.FUNDING, name="x", acts_for=None, by=office)
    a_contract(funder, office, reference="UTR")
    assert api_client.get("/api/v1/funding/contracts", **bearer(secret)).json() == []


def test_figures_are_suppressed_and_scoped(
    api_client: Any, figures_key: str, office: Any, organisation: Any
) -> None:
    from kring.cases.models import Status
    from kring.factories import a_case

    a_case(at=Status.NEW)
    figures = api_client.get("/api/v1/figures", **bearer(figures_key)).json()
    assert figures["scope"] == "Nederland"
    assert figures["cases"] is None  # one case: fewer than five
    assert any(
        cell["suppressed"] for t in figures["tables"] for r in t["rows"] for cell in r["cells"]
    )
    utrecht = api_client.get("/api/v1/figures?region=utrecht", **bearer(figures_key))
    assert utrecht.json()["scope"] == "Utrecht"
    manager = UserFactory(role=Role.MANAGER, regions=["utrecht"])
    _key, secret = keys.issue_key(
        organisation, scope=Scope.FIGURES, name="m", acts_for=manager, by=office
    )
    assert api_client.get("/api/v1/figures?region=groningen", **bearer(secret)).status_code == 404
    slugs = [r["slug"] for r in api_client.get("/api/v1/figures/regions", **bearer(secret)).json()]
    assert slugs == ["utrecht"]


def test_a_funder_fetches_its_invoice_as_pdf_and_no_one_elses(
    api_client: Any, funder: Any, funding_key: str, office: Any
) -> None:
    import facturx

    from kring.audit.models import Action, AuditEvent
    from kring.cases.models import Status
    from kring.factories import OrganisationFactory, a_case
    from kring.money import invoicing
    from kring.money.tests.conftest import last_month_day

    a_contract(funder, office)
    case = a_case(at=Status.HELD, funder=funder)
    type(case.conference).objects.filter(pk=case.conference.pk).update(held_on=last_month_day(5))
    [invoice] = invoicing.issue_invoices(last_month_day(1), by=office)
    listed = api_client.get("/api/v1/funding/invoices", **bearer(funding_key)).json()
    assert [row["number"] for row in listed] == [invoice.number]

    url = f"/api/v1/funding/invoices/{invoice.number}/pdf"
    response = api_client.get(url, **bearer(funding_key))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    _name, xml = facturx.get_xml_from_pdf(response.content, check_xsd=True)
    assert invoice.number.encode() in xml and b"1850.00" in xml
    assert AuditEvent.objects.filter(action=Action.INVOICE_VIEWED, object_id=str(invoice.pk))

    other = OrganisationFactory(name="Gemeente Zwolle")
    _key, secret = keys.issue_key(other, scope=Scope.FUNDING, name="x", acts_for=None, by=office)
    assert api_client.get(url, **bearer(secret)).status_code == 404
    for bad in ("2026-x", "../../etc", "2026-99999999999999999999"):
        answer = api_client.get(f"/api/v1/funding/invoices/{bad}/pdf", **bearer(funding_key))
        assert answer.status_code in (404, 422), bad
