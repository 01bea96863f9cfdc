"""The coordinator's workspace: the checklist, the next steps, the question, the deadlines and
the reminders about them. Views call these functions; each change writes its audit row in the
same transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.accounts.models import Role, User
from kring.audit.log import record
from kring.audit.models import Action
from kring.cases import clocks
from kring.cases.choices import CompelledHelp
from kring.cases.domain import IllegalTransition, advance
from kring.cases.models import Case, Door, Status
from kring.lib.seen import SavedElsewhere, changed_since
from kring.preparation.models import Invitation, Preparation, SafetyCondition, SentReminder
from kring.preparation.workspace.deadlines import (
    COORDINATOR,
    MANAGERS,
    LateDeadline,
    clock_reminders,
)
from kring.preparation.workspace.tasks import send_deadline_reminder_mail

if TYPE_CHECKING:
    from collections.abc import Iterable

# A circle this large counts as widened (domain.md: ask everyone who else can think along).
WIDE_CIRCLE = 6
NEXT_STEPS = 3


def ensure_preparation(case: Case) -> Preparation:
    """The case's preparation row; a freshly assigned case has none yet."""
    preparation, _created = Preparation.objects.get_or_create(case=case)
    return preparation


# ---------- The checklist ----------


@dataclass(frozen=True)
class Task:
    code: str
    label: str
    done: bool
    # Ticked by hand (stored in Preparation.tasks_done); the others follow from the data.
    toggleable: bool
    # Where the work is done; "" means on the workspace itself.
    url: str = ""
    # How an automatic task gets done, for the coordinator who wonders.
    hint: str = ""


@dataclass(frozen=True)
class Checklist:
    tasks: list[Task]

    @property
    def done(self) -> int:
        return sum(task.done for task in self.tasks)

    @property
    def total(self) -> int:
        return len(self.tasks)

    @property
    def next_steps(self) -> list[Task]:
        return [task for task in self.tasks if not task.done][:NEXT_STEPS]


# The tasks a coordinator may tick by hand. "widen_circle" is also done by itself once the
# circle is large enough, but a small circle can be complete too.
MANUAL_TASKS = ("explain_method", "widen_circle", "conditions", "professionals")


@dataclass(frozen=True)
class _Facts:
    participants: int
    has_safety_conditions: bool
    has_invitations: bool


def _facts(case: Case) -> _Facts:
    """What the checklist derives from the data, in one query whatever the circle's size."""
    row = (
        Case.objects.filter(pk=case.pk)
        .annotate(
            n_participants=Count("participants"),
            has_conditions=Exists(SafetyCondition.objects.filter(involvement__case=OuterRef("pk"))),
            has_invitations=Exists(Invitation.objects.filter(participant__case=OuterRef("pk"))),
        )
        .values("n_participants", "has_conditions", "has_invitations")
        .get()
    )
    return _Facts(row["n_participants"], row["has_conditions"], row["has_invitations"])


def _needs_safety_conditions(case: Case) -> bool:
    return case.request.compelled_help in {CompelledHelp.PRESSURED, CompelledHelp.COMPULSORY}


def checklist(case: Case, preparation: Preparation) -> Checklist:
    """The coordinator's tasks from the method's preparation step, done or not."""
    facts = _facts(case)
    ticked = set(preparation.tasks_done)

    def url(name: str) -> str:
        return reverse(f"preparation:{name}", args=[case.pk])

    tasks = [
        Task(
            "first_contact",
            _("Eerste contact met de aanvrager"),
            case.first_contact_at is not None,
            False,
        ),
        Task(
            "first_visit",
            _("Eerste bezoek aan de hoofdpersoon"),
            case.first_visit_at is not None,
            False,
        ),
        Task("explain_method", _("Doel en werkwijze uitgelegd"), "explain_method" in ticked, True),
        Task(
            "widen_circle",
            _("Kring verbreed: wie kan er nog meedenken?"),
            facts.participants >= WIDE_CIRCLE or "widen_circle" in ticked,
            facts.participants < WIDE_CIRCLE,
            url("circle"),
            _(
                "Vanzelf afgevinkt bij 6 of meer mensen in de kring; een kleinere kring kunt u "
                "zelf afvinken."
            ),
        ),
        Task(
            "conditions",
            _("Voorwaarden om te komen besproken"),
            "conditions" in ticked,
            True,
            url("circle"),
        ),
        Task(
            "question",
            _("Vraagstelling afgesproken"),
            preparation.question_agreed_at is not None,
            False,
            url("question"),
            _("Vanzelf afgevinkt als de vraag is afgesproken."),
        ),
        Task(
            "professionals",
            _("Professionals gevonden en voorbereid"),
            "professionals" in ticked,
            True,
            url("professionals"),
        ),
    ]
    if _needs_safety_conditions(case) or facts.has_safety_conditions:
        tasks.append(
            Task(
                "safety_conditions",
                _("Veiligheidsvoorwaarden (kader) vastgelegd"),
                facts.has_safety_conditions,
                False,
                url("professionals"),
                _("Vanzelf afgevinkt als een professional de voorwaarden heeft vastgelegd."),
            )
        )
    arranged = preparation.conference_at is not None and bool(preparation.venue)
    tasks += [
        Task(
            "logistics",
            _("Datum, plek, eten en tolken geregeld"),
            arranged,
            False,
            url("logistics") if preparation.conference_at else url("poll"),
            _("Vanzelf afgevinkt als datum en plek bekend zijn."),
        ),
        Task(
            "invitations",
            _("Uitnodigingen verstuurd"),
            facts.has_invitations,
            False,
            url("invitations"),
            _("Vanzelf afgevinkt als de uitnodigingen zijn verstuurd."),
        ),
    ]
    return Checklist(tasks)


@transaction.atomic
def set_task_done(case: Case, code: str, done: bool, *, by: User) -> Preparation:
    """Tick or untick a manual task. Setting a state (not flipping it) makes a second submit
    of the same form harmless."""
    if code not in MANUAL_TASKS:
        raise ValueError(code)
    if not by.has_perm("cases.prepare_case", case):
        raise PermissionDenied
    ensure_preparation(case)
    preparation = Preparation.objects.select_for_update().get(case=case)
    current = [c for c in preparation.tasks_done if c != code]
    updated = [*current, code] if done else current
    if updated != preparation.tasks_done:
        preparation.tasks_done = updated
        preparation.save(update_fields=["tasks_done"])
    return preparation


# ---------- Steps of the course the coordinator takes ----------


@transaction.atomic
def start_preparation(case: Case, *, by: User) -> Case:
    """Assigned → preparation, by the coordinator who starts the work (or their manager)."""
    if not by.has_perm("cases.prepare_case", case):
        raise PermissionDenied
    if case.status != Status.ASSIGNED:
        raise IllegalTransition(_("De voorbereiding is al gestart."))
    return advance(case, Status.PREPARATION, by=by, door=Door.START)


# ---------- The question ----------

# Verbs that open a yes/no question ("Kan Kevin ...?"); open questions start with Wat, Hoe,
# Wie, Welke, Waar, Wanneer, Waardoor ... and never with a verb.
_YES_NO_VERBS = frozenset(
    """
    is zijn ben bent was waren kan kunnen kunt kon konden moet moeten moest mag mogen mocht
    wil willen wilt wilde gaat gaan ga heeft hebben heb hebt had wordt worden werd zal zullen
    zou zouden blijft blijven komt komen krijgt krijgen doet doen lukt hoort weet weten vindt
    vinden staat klopt past denkt ziet durft
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")
_TWO_WAY = re.compile(r"\bja\s+of\s+nee\b|\bof\s+niet\b", re.IGNORECASE)
MIN_WORDS = 5


def _first_word(sentence: str) -> str:
    match = _WORD.search(sentence)
    return match.group(0).lower() if match else ""


def _opening_words(text: str) -> list[str]:
    """The first word of each question in the text (or of the text, if it asks nothing)."""
    sentences = [s.strip() for s in _SENTENCE.findall(text) if s.strip()]
    questions = [s for s in sentences if s.endswith("?")] or sentences[:1]
    return [_first_word(s) for s in questions]


def closed_question_warning(text: str) -> str | None:
    """A gentle warning when a question reads as closed (yes/no) rather than open.

    Dutch heuristics: a yes/no question puts the verb first ("Kan Kevin ...?"); "ja of nee" and
    "... of niet" offer two answers only; a handful of words rarely leaves room for a plan; and
    without a question mark it is not a question yet. Open questions start with Wat, Hoe, Wie...
    """
    text = text.strip()
    if not text:
        return None
    openings = _opening_words(text)
    if any(word in _YES_NO_VERBS for word in openings):
        return _(
            "Deze vraag lijkt met ja of nee te beantwoorden. Een open vraag (Wat, Hoe, Wie …) "
            "laat de kring meer ruimte om zelf een plan te maken."
        )
    if _TWO_WAY.search(text):
        return _(
            "Deze vraag laat maar twee antwoorden toe (‘ja of nee’, ‘… of niet’). Vraag liever "
            "wat er nodig is, zodat de kring zelf een plan kan maken."
        )
    if len(_WORD.findall(text)) < MIN_WORDS:
        return _(
            "Deze vraag is erg kort. Een goede vraag zegt concreet waar het plan over gaat: "
            "wat moet er anders, en voor wie?"
        )
    if "?" not in text:
        return _(
            "Dit leest nog niet als een vraag. Schrijf het als een open vraag, met een vraagteken."
        )
    return None


def good_question_examples() -> list[str]:
    return [
        _("Wat is er nodig zodat de kinderen veilig thuis kunnen blijven wonen?"),
        _("Hoe zorgen we ervoor dat moeder weer grip krijgt op de schulden?"),
        _("Wie kan wat doen zodat Kevin weer naar school gaat?"),
        _("Welke hulp heeft opa nodig om zelfstandig te blijven wonen, en wie geeft die?"),
    ]


@dataclass(frozen=True)
class QuestionSaved:
    preparation: Preparation
    changed: bool
    # The text changed after it was agreed, so it has to be agreed again.
    agreement_cleared: bool


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").strip()


@transaction.atomic
def save_question(
    case: Case, text: str, *, agreed: bool, by: User, seen: str = ""
) -> QuestionSaved:
    """Save the draft question; ``agreed`` marks it as agreed with the requesters.

    Changing the text of an agreed question clears the agreement (unless this very save
    agrees on the new text): what was agreed is that text, not another. Refused with
    ``SavedElsewhere`` when the saved text changed after the form showed it (``seen``).
    """
    if not by.has_perm("cases.prepare_case", case):
        raise PermissionDenied
    ensure_preparation(case)
    preparation = Preparation.objects.select_for_update().get(case=case)
    text = _normalise(text)
    if changed_since(seen, [preparation.question], [text]):
        raise SavedElsewhere
    text_changed = text != preparation.question
    was_agreed = preparation.question_agreed_at is not None
    if agreed:
        agreed_at = timezone.now() if text_changed or not was_agreed else None
        agreed_at = agreed_at or preparation.question_agreed_at
    else:
        agreed_at = None if text_changed else preparation.question_agreed_at
    changed = text_changed or agreed_at != preparation.question_agreed_at
    if changed:
        preparation.question, preparation.question_agreed_at = text, agreed_at
        preparation.save(update_fields=["question", "question_agreed_at"])
        # The text itself stays out of the log: the log says who changed what, not the content.
        record(
            by,
            Action.QUESTION_SAVED,
            case=case,
            obj=preparation,
            agreed=agreed_at is not None,
            text_changed=text_changed,
        )
    cleared = was_agreed and text_changed and not agreed
    return QuestionSaved(preparation, changed, cleared)


# ---------- Deadlines ----------


def _reminder_recipients(case: Case, audience: str) -> list[str]:
    """The coordinator and/or the region's managers (the office for the national queue)."""
    emails: list[str] = []
    if audience != COORDINATOR:
        if case.region_id is not None:
            staff = User.objects.filter(role=Role.MANAGER, regions=case.region_id)
        else:
            staff = User.objects.filter(role=Role.OFFICE)
        emails = list(staff.filter(is_active=True).values_list("email", flat=True))
    if audience != MANAGERS and case.coordinator is not None and case.coordinator.is_active:
        emails.insert(0, case.coordinator.email)
    return list(dict.fromkeys(emails))


def _remind_once(case: Case, reminder: LateDeadline) -> bool:
    """Claim the reminder, log it and enqueue its mail, or skip if it was claimed before."""
    # The claim comes first: a second run (or a parallel one) finds it and skips.
    with transaction.atomic():
        if not SentReminder.claim(case, reminder.kind):
            return False
        recipients = _reminder_recipients(case, reminder.audience)
        record(None, Action.REMINDER_SENT, case=case, obj=case, kind=reminder.kind)
        mail = partial(send_deadline_reminder_mail.enqueue, case.pk, reminder.kind, recipients)
        transaction.on_commit(mail)
    return True


def send_deadline_reminders(now: datetime) -> int:
    """Remind the coordinator and/or managers of every overdue, unpaused case, once per case
    and reminder; safe to run twice (or twice at once). Returns the number of reminders sent."""
    target_passed = Case.objects.filter(
        status__in=clocks.NO_DATE_YET, conference_due__lt=now, paused_at__isnull=True
    )
    cases: Iterable[Case] = (Case.objects.overdue(now) | target_passed).select_related(
        "coordinator"
    )
    return sum(
        _remind_once(case, reminder) for case in cases for reminder in clock_reminders(case, now)
    )


# ---------- The conference's target date ----------


@transaction.atomic
def set_conference_target(case: Case, target: date, *, by: User) -> Case:
    """Record the date agreed with the family; a reminder follows it. Not a deadline: the
    family sets the pace, and a new agreement simply replaces the date."""
    if not by.has_perm("cases.prepare_case", case):
        raise PermissionDenied
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status not in clocks.BEFORE_CONFERENCE:
        raise IllegalTransition(_("De conferentie is al geweest; er is geen streefdatum meer."))
    previous = clocks.conference_target(locked)
    if previous != target:
        locked.conference_due = clocks.end_of_day(target)
        locked.save(update_fields=["conference_due"])
        record(
            by,
            Action.CONFERENCE_TARGET_SET,
            case=locked,
            obj=locked,
            old=previous.isoformat() if previous else None,
            new=target.isoformat(),
        )
    return locked
