"""The questionnaire's mail and page are whole in every family language: no string falls
back to Dutch and English (kring/lib/languages.py), and the errors of the form are
translated too."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from kring.evaluation.forms import AnswerForm
from kring.evaluation.tasks import render_mail
from kring.lib.languages import recording_misses

FAMILY = ["tr", "ar", "pl", "uk", "ti", "so", "fa", "pap"]


def _request() -> Any:
    request = RequestFactory().get("/evaluatie/v/x/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.parametrize("language", FAMILY)
def test_the_mail_and_the_page_are_whole_in_every_family_language(db: None, language: str) -> None:
    expires = timezone.make_aware(datetime(2026, 5, 1, 12))
    context = {"first_name": "Amal", "url": "https://kring.example/evaluatie/v/x/"}
    with recording_misses(language) as misses:
        render_mail({**context, "expires_at": expires})
        render_mail({**context, "expires_at": expires}, "questionnaire_reminder")
        form = AnswerForm({"independent": "9", "comment": "x" * 2000})
        assert not form.is_valid()
        page = {"first_name": "Amal", "form": form, "answered": False}
        render_to_string("evaluation/answer.html", page, request=_request())
        render_to_string("evaluation/answer.html", {**page, "answered": True}, request=_request())
    ours = {miss for miss in misses if _in_our_sources(miss) and any(c.isalpha() for c in miss)}
    assert not ours, sorted(ours)
    assert misses, "the recorder saw the page's other strings"


_SOURCES = [
    "templates/evaluation/mail/questionnaire_subject.txt",
    "templates/evaluation/mail/questionnaire.txt",
    "templates/evaluation/mail/questionnaire_reminder_subject.txt",
    "templates/evaluation/mail/questionnaire_reminder.txt",
    "templates/evaluation/answer.html",
    "forms.py",
    "models.py",
]


def _in_our_sources(message: str) -> bool:
    """Whether a message is one of the evaluation's own (the page frame's are not)."""
    text = "".join((Path(__file__).parents[1] / path).read_text() for path in _SOURCES)
    as_template = re.sub(r"%\((\w+)\)s", r"{{ \1 }}", message)
    return message in text or as_template in text
