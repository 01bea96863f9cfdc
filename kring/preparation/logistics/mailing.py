"""What every mail and letter to the circle needs: the person's first name and language, the
day's details, and a fresh personal poll link. Both the logistics domain and its mail tasks
use these, so they live below both (the tasks never import the domain)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.conf.locale import LANG_INFO
from django.utils import translation

from kring.accounts.models import User
from kring.audit.log import record
from kring.audit.models import Action
from kring.cases.models import Case
from kring.coordinators.models import Language
from kring.lib.languages import family_language
from kring.lib.tokens import issue_token
from kring.preparation.models import InterpreterBooking, Participant, Preparation


def get_preparation(case: Case) -> Preparation:
    preparation, _created = Preparation.objects.get_or_create(case=case)
    return preparation


def first_name(participant: Participant) -> str:
    """Only the first name: what a personal link may show of a person."""
    return participant.name.split()[0] if participant.name.strip() else ""


def mail_language(participant: Participant) -> str | None:
    """The participant's language for mail and letters (kring/lib/languages.py): a
    catalogue's code, "nl" when none is recorded, None for a language without a catalogue."""
    return family_language(participant.language_id)


def interpreter_line(preparation: Preparation) -> str:
    """Who interprets at the conference, as the invitation names them: each booked
    interpreter with the language (in the reader's language where Django names it), then
    the free text of the arrangements."""
    parts = [
        f"{booking.provider} ({_language_name(booking.language)})"
        for booking in InterpreterBooking.objects.filter(
            case_id=preparation.case_id
        ).select_related("language")
    ]
    if preparation.interpreters.strip():
        parts.append(preparation.interpreters.strip())
    return "; ".join(parts)


def _language_name(language: Language) -> str:
    """A language's name for the reader: the catalogue language's own name where there is
    one (e.g. "العربية" in an Arabic letter), else the register's Dutch or English name."""
    code = family_language(language.code)
    if code and code in LANG_INFO:
        return str(translation.get_language_info(code)["name_translated"])
    return language.name_en if translation.get_language() != "nl" else language.name_nl


def issue_poll_link(participant: Participant, *, by: User | None, channel: str) -> str:
    """A new personal poll link for a participant (the previous one stops working); returns
    the token for the one mail or screen that shows it. Only its hash is kept."""
    token, token_hash = issue_token()
    Participant.objects.filter(pk=participant.pk).update(poll_token_hash=token_hash)
    participant.poll_token_hash = token_hash
    record(by, Action.POLL_LINK_ISSUED, case=participant.case, obj=participant, link_issued=channel)
    return token


def conference_context(case: Case, preparation: Preparation) -> dict[str, Any]:
    """What every invitation (mail, letter, reminder) says about the day."""
    coordinator = case.coordinator
    return {
        "case": case,
        "preparation": preparation,
        "question": preparation.question.strip(),
        "coordinator": coordinator,
        "coordinator_name": coordinator.get_full_name() if coordinator else "",
        "coordinator_email": coordinator.email if coordinator else "",
        "coordinator_phone": coordinator.phone if coordinator else "",
        # Called by the template, so the language is named in the mail's own language.
        "interpreter_line": partial(interpreter_line, preparation),
    }
