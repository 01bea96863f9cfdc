"""What the API takes and gives: bounded strings (no NUL), bounded numbers, no family data."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import StringConstraints

from kring.cases.choices import CompelledHelp, Variant

# PostgreSQL stores no NUL in text; the schema says so, and so the fuzzer knows.
NO_NUL = r"^[^\x00]*$"


def text(max_length: int) -> type[str]:
    return Annotated[str, StringConstraints(max_length=max_length, pattern=NO_NUL)]  # type: ignore[return-value]


class Error(Schema):
    detail: str = Field(description="Wat er misging, in het Nederlands.")
    errors: dict[str, list[str]] | None = Field(
        None, description="Per veld de fouten, waar die er zijn."
    )


# What any operation may answer besides its own: a body or address that cannot be read
# (NUL bytes, broken JSON), no or a wrong key, a key of another scope,
# too many calls, input that does not fit the schema.
REFUSALS: dict[int, type[Schema]] = {400: Error, 401: Error, 403: Error, 422: Error, 429: Error}


# ---------- Referrals ----------


class MainPersonIn(Schema):
    name: text(150)  # type: ignore[valid-type]
    birth_year: int | None = Field(None, ge=1900, le=2100)
    postcode: text(7) = ""  # type: ignore[valid-type]


class ReferralIn(Schema):
    """The professionals' referral form, field for field; the same rules apply."""

    family_agrees: bool = Field(
        description="Het gezin weet van deze aanmelding en stemt ermee in (verplicht: true)."
    )
    main_persons: list[MainPersonIn] = Field(min_length=1, max_length=3)
    situation: text(10000)  # type: ignore[valid-type]
    question: text(5000) = ""  # type: ignore[valid-type]
    variant: Variant = Variant.FAMILY
    informative_only: bool = False
    safety_at_stake: bool = False
    compelled_help: CompelledHelp = CompelledHelp.NONE
    compelled_help_kind: text(30) = ""  # type: ignore[valid-type]
    life_domains: list[text(30)] = Field(default_factory=list, max_length=20)  # type: ignore[valid-type]
    funder_name: text(200) = ""  # type: ignore[valid-type]
    wish_gender: text(10) = ""  # type: ignore[valid-type]
    wish_age_band: text(10) = ""  # type: ignore[valid-type]
    wish_languages: list[text(20)] = Field(  # type: ignore[valid-type]
        default_factory=list, max_length=20, description="ISO 639-3-codes"
    )
    language_required: bool = False
    wish_culture: text(100) = ""  # type: ignore[valid-type]
    wish_religion: text(100) = ""  # type: ignore[valid-type]
    submission_token: uuid.UUID | None = Field(
        None,
        description="Een eigen UUID per verwijzing: een tweede keer versturen levert "
        "dezelfde verwijzing op, geen dubbele.",
    )


class Deadlines(Schema):
    first_contact_due: datetime
    first_contact_at: datetime | None
    start_due: datetime
    started_at: datetime | None
    first_visit_due: datetime | None
    first_visit_at: datetime | None
    conference_due: datetime | None
    plan_send_due: datetime | None
    follow_up_due: datetime | None
    implementation_due: datetime | None


class ReferralOut(Schema):
    reference: str
    submitted_at: datetime
    status: str
    status_label: str
    status_changed_at: datetime
    paused: bool
    closed_at: datetime | None
    deadlines: Deadlines


class ReferralPage(Schema):
    page: int
    pages: int
    count: int
    results: list[ReferralOut]


# ---------- The referrer's own webhook ----------


class WebhookIn(Schema):
    url: text(500) = Field(  # type: ignore[valid-type]
        description="Het https-adres waar Kring de berichten heen stuurt."
    )


class WebhookOut(Schema):
    url: str
    active: bool = Field(description="Onwaar: uitgezet, er gaan geen berichten heen.")


class WebhookSet(WebhookOut):
    secret: str = Field(
        description="De sleutel waarmee elk bericht is ondertekend (HMAC-SHA256). Wordt "
        "alleen nu getoond; een nieuw adres instellen geeft een nieuwe sleutel."
    )


# ---------- Funding ----------


class ContractOut(Schema):
    reference: str
    starts_on: date
    ends_on: date
    pricing: str
    price: str = Field(description="Bedrag in euro, als tekst met twee decimalen.")
    cap: int | None
    regions: list[str]
    used: int = Field(description="Gehouden conferenties binnen de looptijd.")
    coming: int = Field(description="Trajecten onderweg naar een conferentie.")
    share: int | None = Field(description="Percentage van het maximum, als er een is.")
    invoiced: str = Field(description="Gefactureerd en niet gecrediteerd, in euro.")


class InvoiceOut(Schema):
    number: str
    kind: str
    status: str = Field(description="open, credited (gecrediteerd) of credit_note")
    contract: str
    period: date
    issued_on: date
    due_on: date
    total: str
    credits: str | None = Field(description="Het nummer van de gecrediteerde factuur.")


# ---------- Figures ----------


class CellOut(Schema):
    value: float | None = Field(description="Leeg als de cel te klein is (minder dan 5).")
    kind: str
    suppressed: bool


class RowOut(Schema):
    label: str
    cells: list[CellOut]


class TableOut(Schema):
    key: str
    title: str
    headers: list[str]
    rows: list[RowOut]
    note: str


class FiguresOut(Schema):
    scope: str
    cases: int | None = Field(description="Leeg als het minder dan 5 trajecten zijn.")
    tables: list[TableOut]


class RegionOut(Schema):
    slug: str
    name: str
