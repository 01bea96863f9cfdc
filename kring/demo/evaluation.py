"""Demo evaluations (issue 14 §5): a questionnaire for everyone who took part in each
conference whose plan was sent, and answers from about half of them, so the coordinators'
and managers' results and the figures have something to show.

Written after the cases, in bulk, the way the product would have left them: questionnaires
made when the plan was sent, mailed to those with an address (their links are not kept: a
link's token exists only in its mail), answered within a month or not at all. Scores lean
high, as evaluations of Family Group Conferences do, with a spread per conference; some
answers carry a short remark in Dutch.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from kring.cases.models import PLAN_SENT_STATUSES, Case
from kring.evaluation.models import Answer, Question, Questionnaire, Respondent
from kring.lib.languages import family_language
from kring.plans.models import Attendance
from kring.preparation.models import InvitationStatus, Participant
from kring.stats.facts import mark_stale

BATCH = 2000
# Who answers: the main persons most often, the professionals least.
ANSWER_RATE = {Respondent.MAIN_PERSON: 0.6, Respondent.CIRCLE: 0.45, Respondent.PROFESSIONAL: 0.4}
# Each question's usual answer (before the conference's own lean and each person's noise).
CENTRE = {
    Question.INDEPENDENT: 4.4,
    Question.HEARD: 4.2,
    Question.OWN_PLAN: 4.3,
    Question.RECOMMEND: 4.3,
}
REMARKS = [
    "Fijn dat iedereen aan tafel zat, ook mijn broer.",
    "De coördinator luisterde goed en nam geen partij.",
    "Het was een lange dag, maar het plan is van ons.",
    "Ik had meer tijd willen hebben voor de besloten tijd.",
    "Goed voorbereid. De vragen vooraf hielpen.",
    "Spannend om alles te horen, maar het was nodig.",
    "De tolk maakte het voor mijn moeder mogelijk om mee te doen.",
    "Jammer dat niet iedereen kon komen.",
    "Als professional zag ik de familie zelf oplossingen vinden.",
    "Het eten was goed geregeld en de sfeer was veilig.",
    "Ik weet nu wie ik kan bellen als het niet lukt.",
    "Het duurde lang voordat er een datum was.",
]
REMARK_RATE = 0.3


def seed_evaluation(rng: random.Random, now: datetime) -> None:
    cases = (
        Case.objects.filter(
            status__in=PLAN_SENT_STATUSES, plan__sent_at__isnull=False, conference__isnull=False
        )
        # A case sent through the real course (the showcase) has its questionnaires from
        # the plan-sent hook already; running the seed again adds nothing either.
        .exclude(pk__in=Questionnaire.objects.values("case_id"))
        .order_by("id")
        .values_list("id", "plan__sent_at")
    )
    sent_at = {case_id: sent for case_id, sent in cases if sent is not None}
    ids = list(sent_at)
    for start in range(0, len(ids), BATCH):
        _seed_batch(rng, ids[start : start + BATCH], sent_at, now)
    mark_stale(ids)


def _seed_batch(
    rng: random.Random, ids: list[int], sent_at: dict[int, datetime], now: datetime
) -> None:
    present = Attendance.objects.filter(conference__case_id__in=ids)
    people = (
        Participant.objects.filter(case_id__in=ids)
        .filter(Q(is_main_person=True) | Q(pk__in=present.values("participant_id")))
        .exclude(status=InvitationStatus.NOT_INVITED_SAFETY)
        .order_by("case_id", "id")
        .values_list("id", "case_id", "is_main_person", "email", "language_id")
    )
    professionals = (
        present.filter(professional__isnull=False)
        .order_by("professional_id")
        .values_list("professional_id", "conference__case_id", "professional__email")
        .distinct()
    )
    rows: list[Questionnaire] = []
    for pk, case_id, is_main, email, language in people:
        who = Respondent.MAIN_PERSON if is_main else Respondent.CIRCLE
        code = family_language(language) or ""
        rows.append(
            _questionnaire(case_id, who, sent_at[case_id], bool(email), code, participant_id=pk)
        )
    for pk, case_id, email in professionals:
        rows.append(
            _questionnaire(
                case_id,
                Respondent.PROFESSIONAL,
                sent_at[case_id],
                bool(email),
                settings.LANGUAGE_CODE,
                involvement_id=pk,
            )
        )
    lean: defaultdict[int, float] = defaultdict(lambda: rng.gauss(0, 0.45))  # per conference
    answers: list[tuple[Questionnaire, Answer]] = []
    for questionnaire in rows:
        answered_at = questionnaire.created_at + timedelta(days=rng.uniform(0.5, 30))
        if answered_at > now or rng.random() > ANSWER_RATE[Respondent(questionnaire.respondent)]:
            continue
        questionnaire.answered_at = answered_at
        scores = {
            question.value: _score(rng, centre + lean[questionnaire.case_id])
            for question, centre in CENTRE.items()
        }
        remark = rng.choice(REMARKS) if rng.random() < REMARK_RATE else ""
        answers.append((questionnaire, Answer(comment=remark, answered_at=answered_at, **scores)))
    for questionnaire in rows:
        questionnaire.reminded_at = _reminded_at(questionnaire, now)
    Questionnaire.objects.bulk_create(rows, batch_size=BATCH)
    for questionnaire, answer in answers:
        answer.questionnaire = questionnaire
    Answer.objects.bulk_create([answer for _questionnaire, answer in answers], batch_size=BATCH)


def _reminded_at(questionnaire: Questionnaire, now: datetime) -> datetime | None:
    """When the one reminder went out, as the periodic job would have sent it: to who was
    mailed and had not answered by then."""
    if questionnaire.sent_at is None:
        return None
    due = questionnaire.sent_at + timedelta(days=settings.KRING_EVALUATION_REMINDER_DAYS)
    answered_first = questionnaire.answered_at is not None and questionnaire.answered_at <= due
    return None if due > now or answered_first else due


def _questionnaire(
    case_id: int, who: str, sent: datetime, mailed: bool, language: str, **person: int
) -> Questionnaire:
    return Questionnaire(
        case_id=case_id,
        respondent=who,
        language=language,
        created_at=sent,
        sent_at=sent if mailed else None,
        expires_at=sent + timedelta(days=settings.KRING_EVALUATION_LINK_DAYS) if mailed else None,
        **person,
    )


def _score(rng: random.Random, centre: float) -> int:
    return min(5, max(1, round(rng.gauss(centre, 0.8))))
