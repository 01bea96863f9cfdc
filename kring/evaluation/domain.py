"""The evaluation's actions: questionnaires made when a plan is first sent, a link handed over
by the coordinator, an answer given once.

Each checks, writes and logs in one transaction. Who gets a questionnaire: the main persons,
the circle members who took part in the conference (as the plan's distribution counts them:
recorded as present, or — when no attendance was recorded — those who said they would come;
never someone kept away for safety) and the professionals recorded as present. The referrer,
who was not at the conference, does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.audit.log import record
from kring.audit.models import Action
from kring.evaluation.links import issue_link
from kring.evaluation.models import COMMENT_MAX, Answer, Question, Questionnaire, Respondent
from kring.evaluation.tasks import send_questionnaire_mail, send_questionnaire_reminder
from kring.lib.errors import DomainError
from kring.lib.languages import family_language
from kring.lib.reminders import claim, queue_after_commit
from kring.plans.distribution.document import plan_readers

if TYPE_CHECKING:
    from kring.accounts.models import User
    from kring.cases.models import Case
    from kring.plans.models import Plan


class EvaluationRefused(DomainError):
    """Something about a questionnaire cannot be done; says why in Dutch."""


class AlreadyAnswered(EvaluationRefused):
    """The questionnaire was answered before (a double submit, a second tab)."""


# ---------- When the plan is first sent ----------


def create_questionnaires(plan: Plan, by: User, now: datetime) -> list[Questionnaire]:
    """The plan-sent listener (``plans.distribution.hooks``): a questionnaire for everyone
    who took part, in the sending's transaction; the mails go after its commit. Someone who
    has one already gets none (the unique keys say so too)."""
    case = plan.case
    readers = plan_readers(plan)
    have = Questionnaire.objects.filter(case=case)
    asked_people = set(have.values_list("participant_id", flat=True))
    asked_professionals = set(have.values_list("involvement_id", flat=True))
    made = []
    for participant in readers.participants:
        if participant.pk in asked_people:
            continue
        who = Respondent.MAIN_PERSON if participant.is_main_person else Respondent.CIRCLE
        language = family_language(participant.language_id) or ""
        made.append(
            Questionnaire.objects.create(
                case=case,
                respondent=who,
                participant=participant,
                language=language,
                created_at=now,
            )
        )
    for involvement in readers.professionals:
        if involvement.pk in asked_professionals:
            continue
        made.append(
            Questionnaire.objects.create(
                case=case,
                respondent=Respondent.PROFESSIONAL,
                involvement=involvement,
                language=settings.LANGUAGE_CODE,
                created_at=now,
            )
        )
    if not made:
        return made
    by_mail = [q for q in made if q.email]
    for questionnaire in by_mail:
        transaction.on_commit(partial(send_questionnaire_mail.enqueue, questionnaire.pk))
    record(
        by,
        Action.EVALUATION_INVITED,
        case=case,
        obj=plan,
        email=len(by_mail),
        by_hand=len(made) - len(by_mail),
    )
    return made


# ---------- A reminder to who did not answer ----------


def send_questionnaire_reminders(now: datetime) -> int:
    """Remind everyone who was mailed a questionnaire ``KRING_EVALUATION_REMINDER_DAYS`` ago
    and has not answered while the link still works, once (claimed by setting
    ``reminded_at``, so two runs at once remind once; 0 days: no reminders). Someone without
    an e-mail address got their link by hand and gets no reminder. Returns the mails queued."""
    days = settings.KRING_EVALUATION_REMINDER_DAYS
    if days <= 0:
        return 0
    due = Questionnaire.objects.filter(
        answered_at=None,
        reminded_at=None,
        sent_at__lte=now - timedelta(days=days),
        expires_at__gt=now,
    )
    queued = 0
    for questionnaire in due.select_related("case"):
        with transaction.atomic():
            if not claim(questionnaire, now):
                continue
            record(
                None,
                Action.REMINDER_SENT,
                case=questionnaire.case,
                obj=questionnaire,
                kind="evaluation",
            )
            queued += queue_after_commit(send_questionnaire_reminder, [questionnaire.pk])
    return queued


# ---------- The coordinator hands a link over ----------


@transaction.atomic
def hand_over_link(case: Case, questionnaire_pk: int, *, by: User) -> tuple[Questionnaire, str]:
    """A new link for someone without an e-mail address (or whose mail got lost), shown once
    to the coordinator to print or pass on; the previous link stops working. Whether the
    person already answered is not told: the page behind the link says so to them."""
    if not by.has_perm("cases.prepare_case", case):
        raise PermissionDenied
    questionnaire = (
        Questionnaire.objects.select_for_update(of=("self",))
        .select_related("participant", "involvement")
        .filter(pk=questionnaire_pk, case=case)
        .first()
    )
    if questionnaire is None:
        raise EvaluationRefused(_("Deze vragenlijst hoort niet bij dit traject."))
    questionnaire.case = case
    return questionnaire, issue_link(questionnaire, by=by, channel="screen")


# ---------- The person answers ----------


@dataclass(frozen=True)
class AnswerData:
    independent: int
    heard: int
    own_plan: int
    recommend: int
    comment: str


def submit_answer(questionnaire: Questionnaire, data: AnswerData) -> Answer:
    """Keep one person's answer. The row lock queues a double submit behind the first, which
    then finds the questionnaire answered; the unique key on the answer is the last guard."""
    scales = {name: getattr(data, name) for name in Question.values}
    if any(not (1 <= value <= 5) for value in scales.values()):
        raise EvaluationRefused(_("Kies bij elke vraag een antwoord van 1 tot 5."))
    try:
        with transaction.atomic():
            locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
            if locked.answered_at is not None:
                raise AlreadyAnswered(_("Deze vragenlijst is al ingevuld. Dank je wel!"))
            now = timezone.now()
            answer = Answer.objects.create(
                questionnaire=locked,
                comment=data.comment.strip()[:COMMENT_MAX],
                answered_at=now,
                **scales,
            )
            locked.answered_at = now
            locked.save(update_fields=["answered_at"])
            # No actor and nothing of what was answered: only that it happened.
            record(None, Action.EVALUATION_ANSWERED, case=questionnaire.case, obj=locked)
    except IntegrityError as clash:
        raise AlreadyAnswered(_("Deze vragenlijst is al ingevuld. Dank je wel!")) from clash
    questionnaire.answered_at = locked.answered_at
    return answer
