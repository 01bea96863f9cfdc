"""The family's language (issue 15 §1): pages, mail and PDFs in the language of the person
they are for, right to left for Arabic, the bundled Noto fonts in the PDFs, and the rule
for a language Kring has no (complete) catalogue for: Dutch with English below."""

from __future__ import annotations

import io
import unicodedata
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from kring.accounts.models import User
from kring.accounts.testing import VerifiedClient
from kring.cases.models import Case, Status
from kring.coordinators.models import Language
from kring.factories import a_case, make_plan
from kring.lib.languages import FAMILY_LANGUAGE_OF, family_language, render_in
from kring.plans.distribution.document import render_plan_pdf
from kring.preparation.logistics.domain import letter_pdf
from kring.preparation.logistics.tasks import render_mail
from kring.preparation.models import Category, InvitationStatus, Participant, Preparation

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF, Arabic presentation forms folded back to letters (NFKC).

    Noto's Arabic fonts draw letters that share a shape (ف and ق, ج ح خ, ب ت ن) from one
    skeleton glyph plus dots, and a PDF maps each glyph back to one letter: so some words
    come back with a sibling letter (README, Languages). The tests look for words that
    come back whole, and for the share of Arabic in the text."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return unicodedata.normalize("NFKC", " ".join(text.split()))


def pdf_fonts(pdf: bytes) -> set[str]:
    """The names of the fonts embedded in a PDF (without the subset prefix ``ABCDEF+``)."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.values():
            descendant = font.get_object()
            for inner in descendant.get("/DescendantFonts", [descendant]):
                base = str(inner.get_object()["/BaseFont"])
                names.add(base.split("+", 1)[-1].lstrip("/"))
    return names


def arabic_share(text: str) -> float:
    """The share of the letters that are Arabic."""
    letters = [c for c in text if c.isalpha()]
    arabic = [c for c in letters if "\u0600" <= c <= "\u06ff"]
    return len(arabic) / max(len(letters), 1)


# Letters that Noto's Arabic fonts draw from one skeleton glyph (plus dots), so a PDF may
# give any of them back for another: compare skeletons. The dots can come back as letters
# of their own, and the alef of the lam-alef ligature not at all, so only the letters
# without dots, alef aside, are kept on both sides.
_SKELETON = str.maketrans({**dict.fromkeys("بتثنيىئجحخذزشضظغفقة", ""), **dict.fromkeys("اأإآ", "")})


def skeleton(text: str) -> str:
    return "".join(text.translate(_SKELETON).split())


def contains_words(text: str, words: str) -> bool:
    """The words' dotless letters, in order or reversed (some extractors give visual
    order), among the PDF's."""
    squashed, wanted = skeleton(text), skeleton(words)
    return wanted in squashed or wanted[::-1] in squashed


@pytest.fixture
def case(coordinator: User) -> Case:
    User.objects.filter(pk=coordinator.pk).update(phone="06 12345678")
    case = a_case(at=Status.PREPARATION, coordinator=coordinator)
    day = timezone.localtime(timezone.now() + timedelta(days=10)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    Preparation.objects.update_or_create(
        case=case,
        defaults={
            "conference_at": day,
            "conference_ends_at": day + timedelta(hours=3),
            "venue": "Buurthuis De Linde, Dorpsstraat 4, Utrecht",
        },
    )
    return case


def person(case: Case, name: str, language: str | None, **fields: Any) -> Participant:
    return Participant.objects.create(
        case=case,
        name=name,
        category=Category.FAMILY,
        status=InvitationStatus.COMES,
        language=Language.objects.get(code=language) if language else None,
        **fields,
    )


def valid_form(**overrides: Any) -> dict[str, Any]:
    from kring.intake.tests.test_public_form import valid_data

    return valid_data(**overrides)


def context_for(participant: Participant) -> dict[str, Any]:
    from kring.preparation.logistics.tasks import _mail_context

    return _mail_context(participant)


# ---------- One table from the register's codes to the catalogues ----------


def test_every_arabic_variety_reads_standard_arabic_and_dari_reads_persian() -> None:
    assert family_language("ary") == family_language("apc") == family_language("arb") == "ar"
    assert family_language("prs") == family_language("pes") == "fa"
    assert family_language("tir") == "ti"
    assert family_language(None) == "nl"  # nothing recorded: Dutch
    assert family_language("tam") is None  # no catalogue: Dutch and English


def test_every_code_in_the_table_is_in_the_register(db: None) -> None:
    known = set(Language.objects.values_list("code", flat=True))
    assert set(FAMILY_LANGUAGE_OF) - known <= {"ara", "fas"}  # macrolanguages, if added


# ---------- The public form in Turkish ----------


def test_a_turkish_family_fills_in_the_form_in_turkish(client: Any) -> None:
    url = reverse("intake:public_request")
    page = client.get(url + "?taal=tr")
    html = page.content.decode()
    assert page["Content-Language"] == "tr"
    assert '<html lang="tr" dir="ltr">' in html
    assert "Başvuruyu gönder" in html  # the button
    assert "Adınız" in html  # the requester's name
    assert "Aanvraag versturen" not in html

    # Without a name, a situation and consent; the language choice is remembered (cookie).
    refused = client.post(url, valid_form(requester_name="", situation="", consent=""))
    html = refused.content.decode()
    assert refused["Content-Language"] == "tr"
    assert "İşaretli alanları kontrol edin." in html  # our error summary
    assert "Bu alan zorunludur." in html  # Django's own "required", in Turkish
    assert "Dit veld is verplicht" not in html
    assert "Bu bilgilerin başvurum için kullanılmasına izin veriyorum" in html  # consent


@pytest.mark.parametrize(
    ("language", "your_name", "required"),
    [
        ("ti", "ስምኩም", "እዚ ቦታ ግዴታ እዩ።"),
        ("so", "Magacaaga", "Goobtan waa qasab."),
        ("pap", "Bo nòmber", "E kampo aki ta obligatorio."),
    ],
)
def test_the_form_in_a_language_django_has_no_catalogue_for(
    client: Any, language: str, your_name: str, required: str
) -> None:
    """Tigrinya, Somali and Papiamento: the form's own labels, and Django's "This field is
    required." from Kring's catalogue (Django has none for these languages)."""
    from django.utils import translation
    from django.utils.html import escape

    from kring.intake.forms import MainPersonForm, PublicRequestForm

    with translation.override("nl"):
        dutch_labels = [
            str(field.label)
            for form in (PublicRequestForm(), MainPersonForm())
            for field in form.visible_fields()
        ]
    url = reverse("intake:public_request")
    html = client.get(url + f"?taal={language}").content.decode()
    assert f'<html lang="{language}" dir="ltr">' in html
    assert your_name in html
    assert [label for label in dutch_labels if escape(label) in html] == []

    # Sent empty: every field blank, the main persons' counts as the page sends them.
    form = valid_form()
    empty = {name: value if name.endswith("_FORMS") else "" for name, value in form.items()}
    html = client.post(url, empty).content.decode()
    assert required in html
    assert "Dit veld is verplicht" not in html and "This field is required" not in html


@pytest.mark.parametrize(("language", "families"), [("tr", "Dil aileleri"), ("ti", "ስድራ ቋንቋታት")])
def test_the_language_list_the_empty_choice_and_the_refusal_are_not_dutch(
    client: Any, settings: Any, language: str, families: str
) -> None:
    """The language list's groups, language families and error, the empty choice and the
    refusal after too many requests: on the Dutch page, and not on the page in ``language``
    (the varieties' own names are data, Dutch in every language)."""
    from django.utils import translation
    from django.utils.html import escape

    from kring.lib.language_select import FAMILIES

    with translation.override("nl"):
        dutch = [str(label) for _key, label, _codes in FAMILIES] + [
            "Taalfamilies",
            "Talen en dialecten",
            "— maak een keuze —",
            "Kies een taal uit de lijst.",
            "Er zijn vanaf dit adres in het afgelopen uur te veel aanvragen gedaan.",
        ]

    def pages(query: str) -> str:
        url = reverse("intake:public_request") + query
        shown = client.get(url).content.decode()
        shown += client.post(url, valid_form(wish_languages=["xyz"])).content.decode()
        settings.KRING_INTAKE_RATE_LIMIT = 0
        refused = client.post(url, valid_form())
        settings.KRING_INTAKE_RATE_LIMIT = 100
        assert refused.status_code == 429
        return shown + refused.content.decode()

    in_dutch = pages("?taal=nl")
    assert [text for text in dutch if escape(text) not in in_dutch] == []
    html = pages(f"?taal={language}")
    assert families in html
    assert [text for text in dutch if escape(text) in html] == []


def test_the_confirmation_goes_out_in_the_language_of_the_form(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from kring.intake.models import Request
    from kring.intake.tasks import send_request_confirmation

    request = Request.objects.filter(pk=a_case(at=Status.NEW).request.pk).get()
    Request.objects.filter(pk=request.pk).update(
        requester_language="tr", requester_email="ayse@example.com"
    )
    mail.outbox.clear()
    send_request_confirmation.call(request.pk)
    (message,) = mail.outbox
    assert "Eigen Kracht konferansı başvurunuz" in message.subject
    assert "Başvurunuz için teşekkür ederiz" in message.body


# ---------- Arabic: right to left, in pages and PDFs ----------


def test_an_arabic_page_is_right_to_left(client: Any) -> None:
    html = client.get(reverse("intake:public_request") + "?taal=ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "إرسال الطلب" in html
    assert "fonts/fonts.css" in html  # Noto Naskh Arabic for the page


def test_an_arabic_invitation_letter_is_arabic_in_the_noto_font(case: Case) -> None:
    preparation = Preparation.objects.get(case=case)
    fatima = person(case, "Fatima El Amrani", "ary", address="Kerkstraat 1, 3511 AB Utrecht")
    pdf = letter_pdf(case, preparation, fatima)
    text = pdf_text(pdf)
    # Extracted from shaped glyphs, some ligatures come back changed; these words come back
    # whole, and most of the text is Arabic.
    assert contains_words(text, "يمكنك أن تسأل عن كل شيء")  # "Je mag alles vragen."
    assert contains_words(text, "مع أطيب التحيات")  # "Met vriendelijke groet"
    assert arabic_share(text) > 0.5
    assert "Uitnodiging" not in text and "Datum" not in text
    fonts = pdf_fonts(pdf)
    assert any(name.startswith("Noto-Naskh-Arabic") for name in fonts), fonts
    assert all(name.startswith("Noto-") for name in fonts), fonts


def test_an_arabic_invitation_mail_and_its_calendar(
    case: Case, django_capture_on_commit_callbacks: Any
) -> None:
    person(case, "Fatima El Amrani", "arb", email="fatima@example.com")
    Preparation.objects.filter(case=case).update(interpreters="Tolk Arabisch: Samira (Tolkcentrum)")
    client = VerifiedClient()
    client.force_login(case.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("preparation:invitations_send", args=[case.pk]))
    (message,) = [m for m in mail.outbox if m.to == ["fatima@example.com"]]
    assert "دعوة: مؤتمر Eigen Kracht" in message.subject
    assert "أنت مدعو إلى مؤتمر Eigen Kracht" in message.body
    assert "Samira (Tolkcentrum)" in message.body  # the interpreter is named
    name, ics, _mime = message.attachments[0]
    assert name == "invitation.ics"
    calendar = ics.decode() if isinstance(ics, bytes) else ics
    assert "مؤتمر Eigen Kracht" in calendar


def test_an_arabic_plan_frame_is_arabic_right_to_left_in_the_noto_font(db: None) -> None:
    plan = make_plan(agreements=3)
    pdf = render_plan_pdf(plan, "ar")
    text = pdf_text(pdf)
    assert contains_words(text, "ودائرتهم")  # "Het plan van ... en hun kring."
    assert contains_words(text, "المال والديون")  # a life domain's heading
    assert contains_words(text, "متى")  # the mandatory questions: "Wanneer ...?"
    assert arabic_share(text) > 0.3  # the family's own text is Dutch here
    for dutch in ("Ons plan", "Onze afspraken", "Wanneer komen we weer bij elkaar?"):
        assert dutch not in text
    fonts = pdf_fonts(pdf)
    assert any(name.startswith("Noto-Naskh-Arabic") for name in fonts), fonts
    assert all(name.startswith("Noto-") for name in fonts), fonts


def test_a_dutch_plan_uses_noto_sans_only(db: None) -> None:
    fonts = pdf_fonts(render_plan_pdf(make_plan(agreements=2)))
    assert fonts and all(name.startswith("Noto-Sans") for name in fonts), fonts


# ---------- The rule: Dutch with English below ----------


def test_a_language_without_a_catalogue_gets_dutch_with_english_below(case: Case) -> None:
    tamil = person(case, "Priya", "tam", email="priya@example.com")
    subject, body = render_mail("", family_language("tam"), context_for(tamil))
    assert "Beste Priya," in body and "Dear Priya," in body
    assert body.index("Beste Priya,") < body.index("— English —") < body.index("Dear Priya,")
    assert " / " in subject


def test_a_catalogue_missing_a_string_of_the_message_falls_back_too(case: Case) -> None:
    from django.utils.translation import gettext

    whole = render_in("tr", lambda: gettext("Datum"))
    assert whole.parts == ("Tarih",) and not whole.is_fallback
    untranslated = "Een zin " + "zonder vertaling"  # not a literal: makemessages skips it
    missing = render_in("tr", lambda: gettext("Datum") + gettext(untranslated))
    assert missing.languages == ("nl", "en")
    assert missing.is_fallback


def test_the_poll_page_speaks_the_persons_language(case: Case, client: Any) -> None:
    fatima = person(case, "Fatima", "ary", email="fatima@example.com")
    from kring.preparation.logistics.mailing import issue_poll_link

    token = issue_poll_link(fatima, by=None, channel="test")
    html = client.get(reverse("preparation:poll_answer", args=[token])).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    chosen = client.get(reverse("preparation:poll_answer", args=[token]) + "?taal=nl")
    assert '<html lang="nl" dir="ltr">' in chosen.content.decode()


# ---------- The interpreter ----------


def a_rate() -> Any:
    from kring.money.models import Rate

    return Rate.objects.create(
        starts_on=date(2020, 1, 1),
        hourly_fee=Decimal("45.00"),
        km_allowance=Decimal("0.23"),
        expense_cap=Decimal("250.00"),
    )


def test_a_booked_interpreter_is_named_in_the_invitation_and_is_an_expense(
    case: Case, coordinator: User, django_capture_on_commit_callbacks: Any
) -> None:
    from kring.money.models import ExpenseKind, Line

    a_rate()
    person(case, "Fatima El Amrani", "ary", email="fatima@example.com")
    client = VerifiedClient()
    client.force_login(coordinator)
    booked = client.post(
        reverse("preparation:interpreter_book", args=[case.pk]),
        {"language": "arb", "hours": "3", "provider": "Samira Haddad, Tolkcentrum", "cost": "165"},
    )
    assert booked.status_code == 302
    line = Line.objects.get(case=case)
    assert line.expense_kind == ExpenseKind.INTERPRETER
    assert line.expense == Decimal("165.00") and line.coordinator == coordinator
    assert "Samira Haddad" in line.note

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("preparation:invitations_send", args=[case.pk]))
    (message,) = [m for m in mail.outbox if m.to == ["fatima@example.com"]]
    # "Tolk: <who> (<language, in Django's Arabic name for it>)"
    assert "مترجم: Samira Haddad, Tolkcentrum (العربي" in message.body


def test_an_interpreter_above_the_expense_cap_is_not_booked(case: Case, coordinator: User) -> None:
    from kring.preparation.models import InterpreterBooking

    rate = a_rate()
    client = VerifiedClient()
    client.force_login(coordinator)
    refused = client.post(
        reverse("preparation:interpreter_book", args=[case.pk]),
        {"language": "arb", "hours": "3", "provider": "Tolkcentrum", "cost": rate.expense_cap + 1},
    )
    assert refused.status_code == 400
    assert not InterpreterBooking.objects.filter(case=case).exists()


# ---------- Translators: what is approved, per language ----------


@pytest.fixture
def catalogues(tmp_path: Any, settings: Any) -> Any:
    """A copy of the catalogues, so approving in a test changes no file of the project."""
    import shutil

    from django.conf import settings as django_settings

    target = tmp_path / "locale"
    shutil.copytree(django_settings.LOCALE_PATHS[0], target)
    settings.LOCALE_PATHS = [target]
    return target


def test_the_office_sees_per_language_how_much_is_approved_and_a_translator_approves(
    catalogues: Any,
) -> None:
    from kring.accounts.models import Role
    from kring.audit.models import Action, AuditEvent
    from kring.factories import UserFactory
    from kring.translations.catalogues import coverage, entry_key, load, unchecked_entries

    before = {row.language: row for row in coverage()}
    assert before["tr"].total > 200 and before["tr"].approved == 0  # all written unchecked
    assert before["tr"].translated > 200

    office = VerifiedClient()
    office.force_login(UserFactory(role=Role.OFFICE))
    page = office.get(reverse("translations:overview")).content.decode()
    assert 'data-testid="coverage-tr"' in page and 'data-testid="coverage-pap"' in page

    translator = VerifiedClient()
    translator.force_login(UserFactory(role=Role.TRANSLATOR))
    first, second = unchecked_entries("tr")[:2]
    response = translator.post(
        reverse("translations:review", args=["tr"]),
        {"approve": [entry_key(first), entry_key(second)]},
    )
    assert response.status_code == 302
    after = {row.language: row for row in coverage()}
    assert after["tr"].approved == 2
    assert after["tr"].unchecked == before["tr"].unchecked - 2
    approved = {e.msgid: e for e in load("tr")}[first.msgid]
    assert "unchecked" not in approved.tcomment and approved.msgstr == first.msgstr
    assert (catalogues / "tr" / "LC_MESSAGES" / "django.mo").stat().st_size > 0
    assert AuditEvent.objects.filter(action=Action.TRANSLATIONS_APPROVED).count() == 1
    assert translator.get(reverse("cases:inbox")).status_code == 403


@pytest.mark.parametrize("language", ["tr", "ar", "pl", "uk", "ti", "so", "fa", "pap"])
def test_every_family_language_has_the_invitations_and_the_plan_frame_whole(
    case: Case, language: str
) -> None:
    """The messages a circle member receives (invitation, poll, reminder, letter, the plan's
    frame) need every string in each family language, or they fall back to Dutch and
    English; this names what a catalogue is missing."""
    from kring.lib.languages import recording_misses
    from kring.plans.distribution.document import _frame_pdf
    from kring.preparation.logistics.domain import letter_context

    Preparation.objects.filter(case=case).update(
        question="Wat is er nodig?", venue_notes="Achteringang", interpreters="Tolk"
    )
    reader = person(case, "Amal", None, email="amal@example.com", address="Straat 1, Utrecht")
    context = {**context_for(reader), "url": "https://kring.example/p/x"}
    preparation = Preparation.objects.get(case=case)
    from django.template.loader import render_to_string

    with recording_misses(language) as misses:
        for kind in ("", "_poll", "_reminder"):
            render_to_string(f"preparation/mail/invitation{kind}.txt", context)
            render_to_string(f"preparation/mail/invitation{kind}_subject.txt", context)
        render_to_string(
            "preparation/logistics/invitation_letter_body.html",
            letter_context(case, preparation, reader),
        )
        _frame_pdf(make_plan(agreements=3))
    assert not misses, sorted(misses)


def test_staff_screens_stay_dutch_after_a_family_language_was_chosen(coordinator: User) -> None:
    client = VerifiedClient()
    client.get(reverse("intake:public_request") + "?taal=ar")  # the cookie says Arabic
    client.force_login(coordinator)
    page = client.get(reverse("preparation:my_cases"))
    assert page["Content-Language"] == "nl"
    assert '<html lang="nl" dir="ltr">' in page.content.decode()
