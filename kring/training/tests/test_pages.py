"""The public form (its errors, the CV checks with hostile files, the rate limit) and the
pages of the office, the trainers and the coordinator."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kring.accounts.testing import VerifiedClient
from kring.audit.models import Action, AuditEvent
from kring.factories import UserFactory
from kring.training.forms import CV_MAX_BYTES, DOCX, safe_filename
from kring.training.models import Application, SessionKind, Stage
from kring.training.testing import PDF_BYTES, apply, session

pytestmark = pytest.mark.django_db
APPLY = reverse("training:apply")


def docx(parts: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in (
            parts or {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
        ).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def form_data(utrecht, cv: bytes | None = PDF_BYTES, name: str = "cv.pdf", **changes):
    data: dict[str, Any] = {
        "first_name": "Sanne",
        "last_name": "de Vries",
        "email": "sanne@voorbeeld.nl",
        "phone": "",
        "postcode": "3511 AB",
        "region": str(utrecht.pk),
        "languages": ["nld", "tur"],
        "availability": ["evenings"],
        "motivation": "Ik ben nieuwsgierig naar mensen.",
        "consent": "on",
        "website": "",
    }
    if cv is not None:
        data["cv"] = SimpleUploadedFile(name, cv, content_type="application/pdf")
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_public_page_shows_the_profile_to_anyone(client):
    body = client.get(APPLY).content.decode()
    assert "technisch voorzitter" in body and "Verklaring omtrent het gedrag" in body


def test_applying_stores_the_cv_privately(client, utrecht):
    response = client.post(APPLY, form_data(utrecht, name="../../etc/Mijn CV.pdf"))
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.stage == Stage.APPLIED
    assert application.postcode_id == "3511"
    assert sorted(application.languages.values_list("code", flat=True)) == ["nld", "tur"]
    assert application.cv.filename == "Mijn_CV.pdf"
    assert bytes(application.cv.content) == PDF_BYTES
    assert "Sanne" in client.get(response["Location"]).content.decode()


def test_a_docx_is_recognised_by_its_parts(client, utrecht):
    response = client.post(APPLY, form_data(utrecht, cv=docx(), name="cv.docx"))
    assert response.status_code == 302
    assert Application.objects.get().cv.content_type == DOCX


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00 not a cv", "cv.pdf"),  # an executable called .pdf
        (b"<html><script>alert(1)</script>", "cv.pdf"),
        (docx({"evil.txt": b"x"}), "cv.docx"),  # a zip that is no Word document
        (b"PK\x03\x04 broken zip", "cv.docx"),
        (b"", "cv.pdf"),
    ],
)
def test_hostile_files_are_refused_next_to_the_field(client, utrecht, content, name):
    response = client.post(APPLY, form_data(utrecht, cv=content, name=name))
    assert response.status_code == 400
    body = response.content.decode()
    assert "id_cv_error" in body
    assert "Sanne" in body  # what was typed is kept
    assert not Application.objects.exists()


def test_a_cv_above_the_limit_is_refused(client, utrecht):
    big = PDF_BYTES + b"0" * CV_MAX_BYTES
    response = client.post(APPLY, form_data(utrecht, cv=big))
    assert response.status_code == 400
    assert "5 MB" in response.content.decode()


def test_missing_and_bad_fields_get_dutch_errors(client, utrecht):
    data = form_data(
        utrecht, email="geen-adres", availability=None, consent=None, postcode="99999", cv=None
    )
    response = client.post(APPLY, data)
    assert response.status_code == 400
    body = response.content.decode()
    for message in ["Kies minstens één moment", "Voeg je cv toe", "toestemming", "postcode"]:
        assert message in body
    assert not Application.objects.exists()
    # A NUL byte: the field says no, the page answers 400, nothing is stored.
    nul = client.post(APPLY, form_data(utrecht, first_name="Nul\x00byte"))
    assert nul.status_code == 400 and "id_first_name_error" in nul.content.decode()
    assert not Application.objects.exists()


def test_the_honeypot_and_a_tampered_region(client, utrecht):
    assert client.post(APPLY, form_data(utrecht, website="http://spam")).status_code == 400
    assert client.post(APPLY, form_data(utrecht, region=str(2**63))).status_code == 400
    assert not Application.objects.exists()


def test_the_rate_limit_keeps_what_was_typed(client, utrecht, settings):
    settings.KRING_TRAINING_RATE_LIMIT = 1
    assert client.post(APPLY, form_data(utrecht)).status_code == 302
    response = client.post(APPLY, form_data(utrecht, email="tweede@voorbeeld.nl"))
    assert response.status_code == 429
    assert "te veel aanmeldingen" in response.content.decode()
    assert Application.objects.count() == 1
    assert AuditEvent.objects.filter(action=Action.TRAINING_APPLY_THROTTLED).exists()


def test_safe_filename_keeps_no_path():
    assert safe_filename("C:\\Users\\x\\..\\cv final.docx", DOCX) == "cv_final.docx"
    assert safe_filename("..", "application/pdf") == "cv.pdf"
    assert safe_filename("evil.exe", "application/pdf") == "evil.pdf"


def test_the_office_lists_filters_and_reads_with_a_log(utrecht, groningen, office, manager):
    mine = apply(utrecht, email="u@voorbeeld.nl", first_name="Utrechter")
    apply(groningen, email="g@voorbeeld.nl", first_name="Groninger")
    client = VerifiedClient()
    client.force_login(office)
    listed = client.get(reverse("training:applications"), {"region": groningen.pk})
    assert "Groninger" in listed.content.decode() and "Utrechter" not in listed.content.decode()
    assert client.get(reverse("training:applications"), {"stage": "nonsense"}).status_code == 200
    assert client.get(reverse("training:application", args=[mine.pk])).status_code == 200
    cv = client.get(reverse("training:cv", args=[mine.pk]))
    assert cv["Content-Disposition"].startswith("attachment")
    assert AuditEvent.objects.filter(action=Action.TRAINING_CV_VIEWED).count() == 1
    # A manager sees their own region's applications, not the others', and no CV.
    client.force_login(manager)
    body = client.get(reverse("training:applications")).content.decode()
    assert "Utrechter" in body and "Groninger" not in body
    assert client.get(reverse("training:cv", args=[mine.pk])).status_code == 403


def test_a_trainer_plans_invites_and_records_attendance_on_the_pages(utrecht, trainer):
    person = apply(utrecht, email="p@voorbeeld.nl")
    client = VerifiedClient()
    client.force_login(trainer)
    assert client.get(reverse("home"))["Location"] == reverse("training:applications")
    today = session(SessionKind.INFO, trainer).starts_on.isoformat()
    response = client.post(
        reverse("training:sessions"),
        {
            "kind": "info",
            "starts_on": today,
            "ends_on": today,
            "place": "Zwolle",
            "capacity": "12",
            "trainers": [trainer.pk],
        },
    )
    assert response.status_code == 302
    url = response["Location"]
    pk = int(url.rstrip("/").split("/")[-1])
    assert "p@voorbeeld.nl" not in client.get(url).content.decode()
    invited = client.post(
        reverse("training:session_invite", args=[pk]), {"applications": [person.pk]}
    )
    assert invited.status_code == 302
    wrong = client.post(reverse("training:session_invite", args=[pk]), {"applications": ["x"]})
    assert wrong.status_code == 400
    invitation = person.invitations.get()
    done = client.post(
        reverse("training:session_attendance", args=[pk]), {"present": [invitation.pk]}
    )
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.stage == Stage.INFO_MEETING
    take_part = client.post(reverse("training:take_part", args=[person.pk]))
    assert take_part.status_code == 302
    person.refresh_from_db()
    assert person.stage == Stage.DECIDED


def test_session_form_refuses_the_past_and_a_backwards_range(trainer):
    client = VerifiedClient()
    client.force_login(trainer)
    response = client.post(
        reverse("training:sessions"),
        {
            "kind": "ek1",
            "starts_on": "2001-01-02",
            "ends_on": "2001-01-01",
            "place": "X",
            "capacity": str(2**40),
            "trainers": [trainer.pk],
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "vóór de eerste dag" in body and "vanaf vandaag" in body


def test_the_coordinator_sees_their_stage_and_downloads_their_certificate(utrecht, walker):
    application = walker(apply(utrecht, email="cert@voorbeeld.nl"), Stage.CERTIFIED)
    client = VerifiedClient()
    client.force_login(application.user)
    page = client.get(reverse("training:mine")).content.decode()
    assert "Gecertificeerd" in page and application.certificate.number in page
    pdf = client.get(reverse("training:my_certificate"))
    assert pdf["Content-Type"] == "application/pdf"
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert application.certificate.number in text and "de Vries" not in text
    assert "Yilmaz" in text
    other = UserFactory(role="coordinator")
    client.force_login(other)
    assert client.get(reverse("training:my_certificate")).status_code == 404


def test_the_ek2_report_on_the_coordinators_page(utrecht, walker):
    application = walker(apply(utrecht, email="ek2p@voorbeeld.nl"), Stage.EK2_ATTENDED)
    client = VerifiedClient()
    client.force_login(application.user)
    bad = client.post(reverse("training:mine"), {"variants": ["family"], "text": ""})
    assert bad.status_code == 400
    ok = client.post(reverse("training:mine"), {"variants": ["group", "learning"], "text": "Past."})
    assert ok.status_code == 302
    application.user.coordinator_profile.refresh_from_db()
    assert application.user.coordinator_profile.ek2_variants == ["group", "learning"]
