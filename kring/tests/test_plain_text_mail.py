"""Issue 15 §2: plain-text mail shows names as they are written, not HTML-escaped."""

import pytest
from django.core import mail
from django.template import engines
from django.template.loader import render_to_string

from kring.factories import RequestFactory
from kring.intake.tasks import send_request_confirmation

NAME = "Kees O'Brien & <Zn>"


def test_a_txt_template_renders_without_escaping_and_an_html_one_with():
    engine = engines.all()[0]
    assert engine.from_string("{{ n }}").render({"n": NAME}) == "Kees O&#x27;Brien &amp; &lt;Zn&gt;"
    context = {"request": type("R", (), {"requester_name": NAME, "reference": "EK-1"})()}
    assert f"Beste {NAME}," in render_to_string("intake/mail/confirmation.txt", context)


@pytest.mark.django_db
def test_the_confirmation_mail_shows_the_requester_s_name_unescaped():
    request = RequestFactory(requester_name=NAME)
    send_request_confirmation.call(request.pk)
    body = mail.outbox[0].body
    assert NAME in body
    assert "&#x27;" not in body and "&lt;" not in body and "&amp;" not in body
