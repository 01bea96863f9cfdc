"""The plan goes to the professionals who attended the conference and, when the family agrees
(recorded by the coordinator), to the referrer; they appear as participants in the plan PDF and
in its circle diagram."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import Organisation, User
from kring.audit.models import Action, AuditEvent
from kring.factories import OrganisationFactory
from kring.plans.distribution.document import plan_document_context, render_plan_pdf
from kring.plans.distribution.domain import recipients
from kring.plans.models import Attendance, Conference, Distribution, Phase
from kring.plans.tests.test_document import PlanSetup, make_plan, pdf_text
from kring.preparation.models import Category, ProfessionalInvolvement

pytestmark = pytest.mark.django_db


def plan_mails() -> list[Any]:
    """The mails with the plan: sending it also mails the evaluation's questionnaires."""
    return [message for message in mail.outbox if "/evaluatie/" not in message.body]


def _involve(setup: PlanSetup, name: str, email: str, organisation: str) -> ProfessionalInvolvement:
    return ProfessionalInvolvement.objects.create(
        case=setup.case,
        name=name,
        email=email,
        role="gezinsvoogd",
        organisation=OrganisationFactory(name=organisation),
        invited_at=timezone.now(),
        invited_by=setup.case.coordinator,
    )


@pytest.fixture
def setup(coordinator: User, professional: User) -> PlanSetup:
    """A final plan; Petra (present) and Bram (invited, absent) as professionals; the
    professional fixture is the referrer."""
    setup = make_plan(coordinator)
    petra = _involve(setup, "Petra de Vries", "petra@jb.example", "Jeugdbescherming Midden")
    _involve(setup, "Bram Smit", "bram@reclassering.example", "Reclassering Utrecht")
    conference, _new = Conference.objects.get_or_create(
        case=setup.case,
        defaults={
            "held_on": timezone.localdate(),
            "place": "Buurthuis",
            "recorded_by": coordinator,
        },
    )
    for participant in (setup.main, setup.grandma):
        Attendance.objects.create(
            conference=conference, phase=Phase.INFORMATION, participant=participant
        )
    Attendance.objects.create(conference=conference, phase=Phase.INFORMATION, professional=petra)
    professional.organisation = Organisation.objects.create(name="Wijkteam Oost")
    professional.save(update_fields=["organisation"])
    setup.case.request.referrer = professional
    setup.case.request.save(update_fields=["referrer"])
    return setup


def _send(client: Any, setup: PlanSetup, callbacks: Any) -> Any:
    url = reverse("plans:plan_distribution", args=[setup.case.pk])
    with callbacks(execute=True):
        return client.post(url, {"version": setup.plan.version})


def _consent(client: Any, setup: PlanSetup, given: str) -> Any:
    url = reverse("plans:referrer_consent", args=[setup.case.pk])
    return client.post(url, {"given": given})


def test_the_professional_who_attended_gets_the_plan_and_the_absent_one_not(
    coordinator_client: Any, setup: PlanSetup, django_capture_on_commit_callbacks: Any
) -> None:
    _send(coordinator_client, setup, django_capture_on_commit_callbacks)

    to = sorted(m.to[0] for m in plan_mails())
    assert to == ["fatima@voorbeeld.nl", "petra@jb.example", "riet@voorbeeld.nl"]
    petra_mail = next(m for m in plan_mails() if m.to == ["petra@jb.example"])
    assert "U was op Eigen Kracht-conferentie" in petra_mail.body
    assert petra_mail.reply_to == [setup.case.coordinator.email]
    assert setup.agreements[0].what in pdf_text(petra_mail.attachments[0][1])
    row = Distribution.objects.get(involvement__name="Petra de Vries")
    assert row.channel == Distribution.Channel.EMAIL
    assert row.participant is None and row.referrer is None
    # Without the family's consent the referrer gets nothing.
    assert not Distribution.objects.filter(referrer__isnull=False).exists()


def test_with_recorded_consent_the_referrer_gets_the_plan(
    coordinator: User,
    coordinator_client: Any,
    professional: User,
    setup: PlanSetup,
    django_capture_on_commit_callbacks: Any,
) -> None:
    page = coordinator_client.get(reverse("plans:plan_distribution", args=[setup.case.pk]))
    assert 'data-testid="give-consent"' in page.content.decode()
    assert _consent(coordinator_client, setup, "yes").status_code == 302
    setup.plan.refresh_from_db()
    assert setup.plan.referrer_consent_at is not None
    assert setup.plan.referrer_consent_by == coordinator
    # The last change of the plan (the first was its opening as a draft).
    event = AuditEvent.objects.filter(action=Action.PLAN_CHANGED, case=setup.case).latest("seq")
    assert event.actor == coordinator
    assert event.detail["change"] == "referrer_consent_given"

    _send(coordinator_client, setup, django_capture_on_commit_callbacks)

    referrer_mail = next(m for m in plan_mails() if m.to == [professional.email])
    assert "De familie heeft toestemming gegeven" in referrer_mail.body
    assert Distribution.objects.get(referrer=professional).plan_version == setup.plan.version


def test_withdrawn_consent_takes_the_referrer_off_the_list(
    coordinator_client: Any, professional: User, setup: PlanSetup
) -> None:
    _consent(coordinator_client, setup, "yes")
    setup.plan.refresh_from_db()
    assert professional.email in {row.email for row in recipients(setup.plan)}
    _consent(coordinator_client, setup, "no")
    setup.plan.refresh_from_db()
    assert setup.plan.referrer_consent_at is None
    assert professional.email not in {row.email for row in recipients(setup.plan)}


@pytest.mark.parametrize("role", ["manager", "office"])
def test_a_manager_cannot_record_the_familys_consent(
    client: Any, request: Any, setup: PlanSetup, role: str
) -> None:
    client.force_login(request.getfixturevalue(role))
    assert _consent(client, setup, "yes").status_code == 403
    setup.plan.refresh_from_db()
    assert setup.plan.referrer_consent_at is None
    page = client.get(reverse("plans:plan_distribution", args=[setup.case.pk])).content.decode()
    assert 'data-testid="referrer-consent"' in page
    assert 'data-testid="give-consent"' not in page


def test_professionals_and_the_referrer_are_participants_in_the_pdf_and_the_diagram(
    coordinator_client: Any, setup: PlanSetup
) -> None:
    _consent(coordinator_client, setup, "yes")
    setup.plan.refresh_from_db()
    context = plan_document_context(setup.plan)
    people = {person.name: person.relation for person in context["people"]}
    assert people["Petra de Vries"] == "gezinsvoogd, Jeugdbescherming Midden"
    assert "Bram Smit" not in people
    referrer = setup.case.request.referrer
    assert people[referrer.get_full_name()] == "verwijzer, Wijkteam Oost"
    labels = " ".join(label.text for label in context["circle"].labels)
    assert "Petra de Vries" in labels
    assert "Professionals" in labels
    text = pdf_text(render_plan_pdf(setup.plan))
    assert "Petra de Vries (gezinsvoogd, Jeugdbescherming Midden)" in text
    assert "verwijzer, Wijkteam Oost" in text


def test_a_professional_already_in_the_circle_gets_one_copy(
    coordinator_client: Any, setup: PlanSetup, django_capture_on_commit_callbacks: Any
) -> None:
    setup.grandma.email = "petra@jb.example"  # the same person, entered in the circle too
    setup.grandma.category = Category.PROFESSIONALS
    setup.grandma.save(update_fields=["email", "category"])

    _send(coordinator_client, setup, django_capture_on_commit_callbacks)

    assert [m.to for m in plan_mails()].count(["petra@jb.example"]) == 1
    assert not Distribution.objects.filter(involvement__isnull=False).exists()
