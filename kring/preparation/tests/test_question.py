import pytest
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import Role
from kring.audit.models import Action, AuditEvent
from kring.cases.models import Status
from kring.factories import UserFactory, make_case, set_preparation
from kring.preparation.models import Preparation
from kring.preparation.workspace.domain import closed_question_warning, good_question_examples

OPEN_QUESTIONS = [
    "Wat is er nodig zodat de kinderen veilig thuis kunnen blijven wonen?",
    "Hoe zorgen we ervoor dat moeder weer grip krijgt op de schulden?",
    "Wie kan wat doen zodat Kevin weer naar school gaat?",
    "Welke hulp heeft opa nodig om zelfstandig te blijven wonen?",
    "Waar kan Sara wonen als ze uit de kliniek komt, en wie helpt daarbij?",
    "Wanneer en hoe gaan de buren weer met elkaar in gesprek over de overlast?",
    "De kinderen gaan niet meer naar school. Wat is er nodig zodat ze weer gaan?",
    "wat moet er gebeuren zodat Ahmed na zijn straf een plek heeft om te wonen?",
]
CLOSED_QUESTIONS = [
    "Kan Kevin thuis blijven wonen?",
    "Is het verstandig dat moeder verhuist naar Utrecht?",
    "Moeten de kinderen uit huis geplaatst worden?",
    "Mogen de kinderen in het weekend bij hun vader slapen?",
    "Willen de ooms en tantes helpen met de opvang van de kinderen?",
    "Gaat het lukken om de huur voortaan op tijd te betalen?",
    "Heeft de familie genoeg mensen om de zorg voor oma te dragen?",
    "Wordt Sara na de opname weer thuis opgevangen door haar familie?",
    "Zullen we samen met de buren een plan maken voor de straat?",
    "Moeder heeft schulden. Krijgt zij hulp van haar broers?",
    "Wat vinden jullie: blijft Kevin thuis wonen, ja of nee?",
    "Wat moet er gebeuren om te zorgen dat Kevin thuis blijft wonen of niet?",
    "Hoe nu verder?",
    "Een plan voor de kinderen en hun school na de zomervakantie",
    "Hulp bij de schulden",
]


@pytest.mark.parametrize("text", OPEN_QUESTIONS)
def test_open_questions_get_no_warning(text):
    assert closed_question_warning(text) is None


@pytest.mark.parametrize("text", CLOSED_QUESTIONS)
def test_closed_or_unfinished_questions_get_a_gentle_warning(text):
    assert closed_question_warning(text)


def test_an_empty_question_gets_no_warning():
    assert closed_question_warning("   ") is None


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Kan Kevin thuis blijven wonen?", "ja of nee"),
        ("Wat vinden jullie: blijft hij, ja of nee?", "ja of nee"),
        ("Hoe nu verder?", "kort"),
        ("Een plan voor de kinderen en hun school", "vraagteken"),
    ],
)
def test_the_warning_says_what_reads_as_closed(text, says):
    assert says in closed_question_warning(text)


def test_the_examples_are_open_questions():
    examples = good_question_examples()
    assert len(examples) >= 3
    assert all(closed_question_warning(example) is None for example in examples)


# ---------- The page ----------


@pytest.fixture
def case(coordinator):
    return make_case(status=Status.PREPARATION, coordinator=coordinator)


def url(case):
    return reverse("preparation:question", args=[case.pk])


@pytest.mark.django_db
def test_the_page_starts_from_the_first_wording_in_the_request(client, coordinator, case):
    client.force_login(coordinator)
    response = client.get(url(case))
    assert response.status_code == 200
    assert response.context["form"]["question"].value() == case.request.question
    assert "Wie kan wat doen zodat Kevin weer naar school gaat?" in response.content.decode()


@pytest.mark.django_db
def test_a_closed_question_is_saved_with_a_gentle_warning(client, coordinator, case):
    client.force_login(coordinator)
    response = client.post(url(case), {"question": "Kan Kevin thuis blijven wonen?"}, follow=True)
    assert Preparation.objects.get(case=case).question == "Kan Kevin thuis blijven wonen?"
    content = response.content.decode()
    assert 'data-testid="closed-question-warning"' in content
    assert "De vraag is wel opgeslagen" in content
    saved = AuditEvent.objects.get(action=Action.QUESTION_SAVED)
    assert (saved.actor, saved.case, saved.detail["agreed"]) == (coordinator, case, False)
    assert "Kevin" not in str(saved.detail)  # the log holds no content


@pytest.mark.django_db
def test_an_open_question_shows_no_warning(client, coordinator, case):
    client.force_login(coordinator)
    response = client.post(url(case), {"question": OPEN_QUESTIONS[0]}, follow=True)
    assert 'data-testid="closed-question-warning"' not in response.content.decode()


@pytest.mark.django_db
def test_an_empty_question_is_refused_next_to_the_field(client, coordinator, case):
    client.force_login(coordinator)
    response = client.post(url(case), {"question": "  ", "agree": "1"})
    assert response.status_code == 200
    assert "Schrijf de vraag op." in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.QUESTION_SAVED).exists()
    assert Preparation.objects.to_show(case).question_agreed_at is None


@pytest.mark.django_db
def test_agreeing_marks_the_question_and_a_double_submit_logs_once(client, coordinator, case):
    client.force_login(coordinator)
    data = {"question": OPEN_QUESTIONS[1], "agree": "1"}
    response = client.post(url(case), data, follow=True)
    assert "afgesproken" in response.content.decode()
    agreed_at = Preparation.objects.get(case=case).question_agreed_at
    assert agreed_at is not None
    client.post(url(case), data)
    assert Preparation.objects.get(case=case).question_agreed_at == agreed_at
    assert AuditEvent.objects.filter(action=Action.QUESTION_SAVED).count() == 1


@pytest.mark.django_db
def test_saving_the_same_text_as_a_draft_keeps_the_agreement(client, coordinator, case):
    set_preparation(case, question=OPEN_QUESTIONS[1], question_agreed_at=timezone.now())
    client.force_login(coordinator)
    client.post(url(case), {"question": OPEN_QUESTIONS[1] + "\r\n"})
    assert Preparation.objects.get(case=case).question_agreed_at is not None


@pytest.mark.django_db
def test_editing_an_agreed_question_clears_the_agreement_and_says_so(client, coordinator, case):
    set_preparation(case, question=OPEN_QUESTIONS[1], question_agreed_at=timezone.now())
    client.force_login(coordinator)
    response = client.post(url(case), {"question": OPEN_QUESTIONS[2]}, follow=True)
    preparation = Preparation.objects.get(case=case)
    assert (preparation.question, preparation.question_agreed_at) == (OPEN_QUESTIONS[2], None)
    assert "niet meer als afgesproken" in response.content.decode()
    saved = AuditEvent.objects.get(action=Action.QUESTION_SAVED)
    assert saved.detail == {"agreed": False, "text_changed": True}


@pytest.mark.django_db
def test_the_agreed_question_completes_the_checklist_item(client, coordinator, case):
    client.force_login(coordinator)
    client.post(url(case), {"question": OPEN_QUESTIONS[0], "agree": "1"})
    response = client.get(reverse("preparation:workspace", args=[case.pk]))
    tasks = {task.code: task.done for task in response.context["checklist"].tasks}
    assert tasks["question"] is True


@pytest.mark.django_db
def test_a_manager_of_the_region_may_edit_the_question(client, manager, case):
    client.force_login(manager)
    client.post(url(case), {"question": OPEN_QUESTIONS[0]})
    assert Preparation.objects.get(case=case).question == OPEN_QUESTIONS[0]


@pytest.mark.django_db
def test_another_coordinator_cannot_read_or_change_the_question(client, case):
    stranger = UserFactory(role=Role.COORDINATOR)
    client.force_login(stranger)
    assert client.get(url(case)).status_code == 404
    assert client.post(url(case), {"question": "Wat nu?"}).status_code == 404
    assert not Preparation.objects.filter(case=case).exists()


@pytest.mark.django_db
def test_a_second_window_does_not_overwrite_a_newer_question_unseen(client, coordinator, case):
    from kring.accounts.testing import seen_on

    client.force_login(coordinator)
    laptop = seen_on(client.get(url(case)).content)
    phone = seen_on(client.get(url(case)).content)
    newer = {"question": OPEN_QUESTIONS[0], "agree": "1", "seen": phone}
    assert client.post(url(case), newer).status_code == 302
    stale = {"question": OPEN_QUESTIONS[2], "save": "1", "seen": laptop}
    refused = client.post(url(case), stale)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Iemand heeft deze gegevens intussen ook opgeslagen" in page
    assert 'data-testid="saved-elsewhere"' in page and OPEN_QUESTIONS[0] in page
    assert OPEN_QUESTIONS[2] in page  # what was typed, kept
    preparation = Preparation.objects.get(case=case)
    assert preparation.question == OPEN_QUESTIONS[0]
    assert preparation.question_agreed_at is not None  # the agreement stands
    again = {**stale, "seen": seen_on(refused.content)}
    assert client.post(url(case), again).status_code == 302
    assert Preparation.objects.get(case=case).question == OPEN_QUESTIONS[2]
