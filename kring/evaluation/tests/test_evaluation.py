"""The questionnaire after every conference: who gets one, a link that answers once, the
person's language, and results that never show fewer than three answers or a name."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import User
from kring.audit.models import Action, AuditEvent
from kring.evaluation.domain import hand_over_link, send_questionnaire_reminders
from kring.evaluation.models import Answer, Questionnaire, Respondent
from kring.evaluation.results import coordinator_results, region_results, summary_for_coordinator
from kring.evaluation.tests.builders import answer, held_case, sent_case
from kring.lib.tokens import hash_token
from kring.plans.distribution.domain import send_plan

pytestmark = pytest.mark.django_db

GOOD = {"independent": "5", "heard": "4", "own_plan": "5", "recommend": "4", "comment": "Fijn."}


def _token_from(message: Any) -> str:
    line = next(line for line in message.body.splitlines() if "/evaluatie/v/" in line)
    return line.strip().rstrip("/").rsplit("/", 1)[-1]


def _link(questionnaire: Questionnaire) -> str:
    """A fresh link for the questionnaire (what the mail or the coordinator hands over)."""
    from kring.evaluation.links import issue_link

    token = issue_link(questionnaire, by=None, channel="test")
    return reverse("evaluation:answer", args=[token])


# ---------- The trigger ----------


def test_sending_the_plan_makes_one_questionnaire_for_everyone_who_took_part(
    django_capture_on_commit_callbacks: Any,
) -> None:
    sent = held_case()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_plan(sent.case.plan, by=sent.case.coordinator)
    made = Questionnaire.objects.filter(case=sent.case)
    assert {(q.participant_id, q.involvement_id, q.respondent) for q in made} == {
        (sent.main.pk, None, Respondent.MAIN_PERSON),
        (sent.aunt.pk, None, Respondent.CIRCLE),
        (sent.neighbour.pk, None, Respondent.CIRCLE),
        (None, sent.professional.pk, Respondent.PROFESSIONAL),
    }
    # Mailed: those with an address (the neighbour's link is handed over by hand).
    questionnaire_mails = [m for m in mail.outbox if "/evaluatie/v/" in m.body]
    assert sorted(m.to[0] for m in questionnaire_mails) == [
        "fatima@example.com",
        "jc@example.com",
        "sanne@example.com",
    ]
    assert sent.questionnaire(sent.neighbour).token_hash is None
    mailed = sent.questionnaire(sent.main)
    assert mailed.sent_at is not None and mailed.expires_at is not None
    # Only the hash is kept: the token in the mail opens it.
    sanne = next(m for m in questionnaire_mails if m.to == ["sanne@example.com"])
    assert hash_token(_token_from(sanne)) == mailed.token_hash
    assert AuditEvent.objects.filter(action=Action.EVALUATION_INVITED, case=sent.case).count() == 1


def test_sending_again_makes_no_second_questionnaire(
    django_capture_on_commit_callbacks: Any,
) -> None:
    sent = sent_case()
    before = Questionnaire.objects.filter(case=sent.case).count()
    plan = sent.case.plan
    plan.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_plan(plan, by=sent.case.coordinator) == []  # nothing new to send
    assert Questionnaire.objects.filter(case=sent.case).count() == before == 4


def test_the_arabic_mail_and_page_are_arabic_right_to_left(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    sent = held_case()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_plan(sent.case.plan, by=sent.case.coordinator)
    fatima = next(
        m for m in mail.outbox if m.to == ["fatima@example.com"] and "/evaluatie/" in m.body
    )
    assert "— English —" not in fatima.body  # the whole message has its translation
    assert any("\u0600" <= c <= "\u06ff" for c in fatima.subject)
    page = client.get(reverse("evaluation:answer", args=[_token_from(fatima)]))
    html = page.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "Fatima" in html and "el Amrani" not in html  # the first name only


# ---------- The link ----------


def test_a_link_answers_once(client: Any) -> None:
    sent = sent_case()
    url = _link(sent.questionnaire(sent.main))
    assert client.get(url).status_code == 200
    first = client.post(url, GOOD)
    assert first.status_code == 302
    again = client.post(url, {**GOOD, "independent": "1"})
    assert again.status_code == 200 and 'data-testid="answered"' in again.content.decode()
    (saved,) = Answer.objects.filter(questionnaire__case=sent.case)
    assert (saved.independent, saved.comment) == (5, "Fijn.")
    assert sent.questionnaire(sent.main).answered_at is not None
    assert 'data-testid="answered"' in client.get(url).content.decode()


def test_the_domain_refuses_a_second_answer() -> None:
    from kring.evaluation.domain import AlreadyAnswered, AnswerData, submit_answer

    sent = sent_case()
    questionnaire = sent.questionnaire(sent.aunt)
    answer(questionnaire)
    with pytest.raises(AlreadyAnswered):
        submit_answer(questionnaire, AnswerData(1, 1, 1, 1, ""))
    assert Answer.objects.filter(questionnaire=questionnaire).count() == 1


def test_an_expired_or_unknown_link_is_404_and_logged(client: Any) -> None:
    sent = sent_case()
    questionnaire = sent.questionnaire(sent.aunt)
    url = _link(questionnaire)
    Questionnaire.objects.filter(pk=questionnaire.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert client.get(url).status_code == 404
    assert client.post(url, GOOD).status_code == 404
    assert not Answer.objects.exists()
    refused = AuditEvent.objects.filter(action=Action.PERSONAL_LINK_REFUSED)
    assert refused.filter(case=sent.case, detail__reason="expired").exists()
    unknown = client.get(reverse("evaluation:answer", args=["geen-bestaande-link"]))
    assert unknown.status_code == 404
    assert refused.filter(detail__kind="evaluation", detail__reason="unknown").exists()


def test_a_new_link_replaces_the_old_one(client: Any) -> None:
    sent = sent_case()
    questionnaire = sent.questionnaire(sent.neighbour)
    old = _link(questionnaire)
    new = _link(questionnaire)
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


# ---------- The reminder ----------


def _mailed(sent: Any, django_capture_on_commit_callbacks: Any) -> dict[str, str]:
    """Send the plan; the questionnaire links it mailed, by address."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_plan(sent.case.plan, by=sent.case.coordinator)
    return {m.to[0]: _token_from(m) for m in mail.outbox if "/evaluatie/v/" in m.body}


def test_who_did_not_answer_is_reminded_once_and_both_links_work(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    sent = held_case()
    first = _mailed(sent, django_capture_on_commit_callbacks)
    answer(sent.questionnaire(sent.professional))  # answered: no reminder
    now = timezone.now()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_questionnaire_reminders(now + timedelta(days=13)) == 0  # not yet
        assert send_questionnaire_reminders(now + timedelta(days=14)) == 2
        assert send_questionnaire_reminders(now + timedelta(days=15)) == 0  # once
    # The main person and the aunt (in Arabic); not the neighbour, who has no address.
    assert sorted(m.to[0] for m in mail.outbox) == ["fatima@example.com", "sanne@example.com"]
    sanne = next(m for m in mail.outbox if m.to == ["sanne@example.com"])
    assert sanne.subject == "Herinnering: hoe vond je de Eigen Kracht-conferentie?"
    assert "De link uit de eerste mail werkt ook nog." in sanne.body
    fatima = next(m for m in mail.outbox if m.to == ["fatima@example.com"])
    assert any("\u0600" <= c <= "\u06ff" for c in fatima.subject)
    # The first mail may still be open: its link works beside the reminder's.
    new = _token_from(sanne)
    assert new != first["sanne@example.com"]
    for token in (first["sanne@example.com"], new):
        assert client.get(reverse("evaluation:answer", args=[token])).status_code == 200
    reminded = AuditEvent.objects.filter(action=Action.REMINDER_SENT, case=sent.case)
    assert reminded.filter(detail__kind="evaluation").count() == 2
    # A link the coordinator hands over afterwards replaces both.
    hand_over_link(sent.case, sent.questionnaire(sent.main).pk, by=sent.case.coordinator)
    for token in (first["sanne@example.com"], new):
        assert client.get(reverse("evaluation:answer", args=[token])).status_code == 404


def test_no_reminder_once_the_link_expired_or_when_switched_off(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    sent = held_case()
    _mailed(sent, django_capture_on_commit_callbacks)
    later = timezone.now() + timedelta(days=14)
    settings.KRING_EVALUATION_REMINDER_DAYS = 0
    assert send_questionnaire_reminders(later) == 0
    settings.KRING_EVALUATION_REMINDER_DAYS = 14
    after_expiry = timezone.now() + timedelta(days=settings.KRING_EVALUATION_LINK_DAYS + 1)
    assert send_questionnaire_reminders(after_expiry) == 0
    assert not Questionnaire.objects.filter(reminded_at__isnull=False).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("independent", "6"),
        ("heard", "0"),
        ("own_plan", "-1"),
        ("recommend", "99999999999999999999999"),
        ("independent", ""),
        ("comment", "a\x00b"),
        ("comment", "x" * 5000),
    ],
)
def test_hostile_input_gets_an_error_next_to_the_field(client: Any, field: str, value: str) -> None:
    sent = sent_case()
    url = _link(sent.questionnaire(sent.main))
    page = client.post(url, {**GOOD, field: value})
    assert page.status_code == 400
    html = page.content.decode()
    assert f'id="id_{field}_error"' in html
    # The summary names the question as it is asked, without a colon after its question mark.
    assert "?:" not in html
    assert not Answer.objects.exists()
    assert sent.questionnaire(sent.main).answered_at is None


# ---------- The results ----------


def test_the_coordinator_sees_nothing_below_three_answers_and_never_a_name(
    coordinator: User, client: Any
) -> None:
    sent = sent_case(coordinator)
    answer(sent.questionnaire(sent.main), 5, "Sanne hier: het was goed.")
    answer(sent.questionnaire(sent.aunt), 3)
    client.force_login(coordinator)
    page = client.get(reverse("evaluation:mine")).content.decode()
    assert 'data-testid="too-few"' in page and "Sanne hier" not in page
    assert summary_for_coordinator(coordinator) is None

    answer(sent.questionnaire(sent.professional), 4, "Goed voorbereid.")
    summary = summary_for_coordinator(coordinator)
    assert summary is not None and summary.overall is not None
    averages = {q.key: q.average for q in summary.overall.questions}
    assert averages["independent"] == 4.0
    assert summary.overall.questions[0].distribution == (0, 0, 1, 1, 1)
    assert sorted(summary.overall.comments) == ["Goed voorbereid.", "Sanne hier: het was goed."]
    page = client.get(reverse("evaluation:mine")).content.decode()
    assert "Goed voorbereid." in page
    for name in ("Sanne de Vries", "Fatima", "Jeugdconsulent", "Hoofdpersoon", "Professional"):
        assert name not in page


def test_the_case_page_shows_who_has_no_address_and_hands_over_a_link(
    coordinator: User, client: Any
) -> None:
    sent = sent_case(coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("evaluation:case", args=[sent.case.pk])).content.decode()
    assert "Henk Jansen" in page and "Sanne de Vries" not in page  # only those without address
    questionnaire = sent.questionnaire(sent.neighbour)
    url = reverse("evaluation:hand_over", args=[sent.case.pk, questionnaire.pk])
    shown = client.post(url)
    assert shown.status_code == 200 and "no-store" in shown["Cache-Control"]
    html = shown.content.decode()
    assert "data:image/svg+xml" in html  # the QR code
    questionnaire.refresh_from_db()
    token = html.split("/evaluatie/v/", 1)[1].split("/", 1)[0]
    assert hash_token(token) == questionnaire.token_hash
    # Another case's questionnaire under this case: 404.
    other = sent_case(coordinator)
    theirs = other.questionnaire(other.neighbour)
    assert (
        client.post(reverse("evaluation:hand_over", args=[sent.case.pk, theirs.pk])).status_code
        == 404
    )


def test_the_manager_sees_their_regions_only(
    coordinator: User, manager: User, other_manager: User, utrecht: Any
) -> None:
    sent = sent_case(coordinator, region=utrecht)
    for person, score in ((sent.main, 5), (sent.aunt, 4), (sent.professional, 3)):
        answer(sent.questionnaire(person), score)
    mine = region_results(manager)
    assert [s.coordinator for s in mine.coordinators] == [coordinator]
    assert [c.case_id for c in mine.cases] == [sent.case.pk]
    assert region_results(other_manager).cases == []
    assert region_results(other_manager).overall is None
    assert coordinator_results(coordinator).overall is not None


def test_the_results_pages_take_the_same_queries_for_more_cases(
    coordinator: User, manager: User, client: Any, utrecht: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(user: User, name: str) -> int:
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        return len(captured)

    def one_more() -> None:
        sent = sent_case(coordinator, region=utrecht)
        for person in (sent.main, sent.aunt, sent.neighbour):
            answer(sent.questionnaire(person), 4, "Prima.")

    one_more()
    queries(coordinator, "evaluation:mine")  # the first visit settles the session
    few = queries(coordinator, "evaluation:mine"), queries(manager, "evaluation:regions")
    one_more()
    one_more()
    more = queries(coordinator, "evaluation:mine"), queries(manager, "evaluation:regions")
    assert more == few


def test_the_case_page_and_the_sending_page_lead_to_the_evaluation(
    client: Any, coordinator: User, manager: User, utrecht: Any
) -> None:
    sent = sent_case(coordinator, region=utrecht)
    target = reverse("evaluation:case", args=[sent.case.pk])
    client.force_login(manager)
    case_page = client.get(reverse("cases:detail", args=[sent.case.pk])).content.decode()
    assert f'href="{target}"' in case_page
    client.force_login(coordinator)
    sending = client.get(reverse("plans:plan_distribution", args=[sent.case.pk])).content.decode()
    assert f'href="{target}"' in sending


def test_after_the_follow_up_the_manager_still_reaches_the_evaluation_and_the_coordinator_not(
    client: Any, coordinator: User, manager: User, utrecht: Any
) -> None:
    from kring.plans.aftercare.domain import record_follow_up

    sent = sent_case(coordinator, region=utrecht)
    record_follow_up(
        sent.case, by=coordinator, spoken_with="Moeder", how_it_goes="Goed", early_reason="Vraag"
    )
    target = reverse("evaluation:case", args=[sent.case.pk])
    client.force_login(manager)
    case_page = client.get(reverse("cases:detail", args=[sent.case.pk])).content.decode()
    assert f'href="{target}"' in case_page
    page = client.get(target)
    assert page.status_code == 200
    # Links are no longer handed over: the case is past the coordinator's part.
    assert 'data-testid="by-hand"' not in page.content.decode()
    client.force_login(coordinator)
    assert client.get(target).status_code == 404
