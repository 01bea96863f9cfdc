"""The questionnaire after every conference: one per person per case, answered once.

When the plan is first sent, the main persons, the circle members who attended and the
professionals who took part each get a ``Questionnaire``: a personal link (only the SHA-256
of its token is kept, kring/lib/tokens.py), mailed in their language, or handed over by the
coordinator when there is no e-mail address. The ``Answer`` hangs from the questionnaire
(one at most, by a unique key), but every page that shows answers shows them counted,
averaged or shuffled: never next to a name or a role.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SCALE_MIN, SCALE_MAX = 1, 5
COMMENT_MAX = 1000


class Respondent(models.TextChoices):
    MAIN_PERSON = "main_person", _("Hoofdpersoon")
    CIRCLE = "circle", _("Iemand uit de kring")
    PROFESSIONAL = "professional", _("Professional")


class Question(models.TextChoices):
    """The four scale questions, in the order the form asks them (the field names)."""

    INDEPENDENT = "independent", _("De coördinator was onafhankelijk.")
    HEARD = "heard", _("Ik voelde me gehoord.")
    OWN_PLAN = "own_plan", _("Het plan is echt ons eigen plan.")
    RECOMMEND = "recommend", _("Ik zou een Eigen Kracht-conferentie aanraden aan anderen.")


class Questionnaire(models.Model):
    """One person's invitation to evaluate one conference."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="questionnaires")
    respondent = models.CharField(_("wie"), max_length=20, choices=Respondent.choices)
    participant = models.ForeignKey(
        "preparation.Participant",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    involvement = models.ForeignKey(
        "preparation.ProfessionalInvolvement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    # The catalogue language of the mail and the page ("" : no catalogue, Dutch and English).
    language = models.CharField(_("taal"), max_length=5, blank=True)
    created_at = models.DateTimeField(_("klaargezet op"))
    # SHA-256 of the personal link's token; empty until a link is mailed or handed over, and
    # replaced when a new one is made (the old one then stops working).
    token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    # The first mail's link, kept working when the reminder brings a new one: someone may have
    # the first mail open while the reminder goes out. A link made by the coordinator clears it.
    earlier_token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    expires_at = models.DateTimeField(_("link geldig tot"), null=True, blank=True)
    # When the link went out by mail (None: no address, the coordinator hands it over).
    sent_at = models.DateTimeField(_("gemaild op"), null=True, blank=True)
    answered_at = models.DateTimeField(_("ingevuld op"), null=True, blank=True)
    # The one reminder to someone who did not answer (claimed by setting it, so it goes once).
    reminded_at = models.DateTimeField(_("herinnerd op"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("vragenlijst")
        verbose_name_plural = _("vragenlijsten")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "participant"], name="questionnaire_participant_once"
            ),
            models.UniqueConstraint(
                fields=["case", "involvement"], name="questionnaire_professional_once"
            ),
            models.CheckConstraint(
                condition=models.Q(participant__isnull=False, involvement__isnull=True)
                | models.Q(participant__isnull=True, involvement__isnull=False),
                name="questionnaire_one_person",
            ),
            models.CheckConstraint(
                condition=models.Q(respondent__in=Respondent.values),
                name="questionnaire_respondent_valid",
            ),
        ]
        indexes = [models.Index(fields=["case", "answered_at"], name="questionnaire_answered")]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.pk} ({self.respondent})"

    @property
    def person_name(self) -> str:
        person = self.participant or self.involvement
        return person.name if person is not None else ""

    @property
    def email(self) -> str:
        person = self.participant or self.involvement
        return person.email if person is not None else ""


def _scale(label: StrOrPromise) -> models.PositiveSmallIntegerField:  # type: ignore[type-arg]
    return models.PositiveSmallIntegerField(
        label, validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)]
    )


class Answer(models.Model):
    """What one person answered: four scales from 1 (not at all) to 5 (completely) and one
    open question."""

    questionnaire = models.OneToOneField(
        Questionnaire, on_delete=models.CASCADE, related_name="answer"
    )
    independent = _scale(Question.INDEPENDENT.label)
    heard = _scale(Question.HEARD.label)
    own_plan = _scale(Question.OWN_PLAN.label)
    recommend = _scale(Question.RECOMMEND.label)
    comment = models.TextField(_("wil je nog iets kwijt?"), max_length=COMMENT_MAX, blank=True)
    answered_at = models.DateTimeField(_("ingevuld op"))

    class Meta:
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(**{f"{field}__gte": SCALE_MIN for field in Question.values})
                & models.Q(**{f"{field}__lte": SCALE_MAX for field in Question.values}),
                name="answer_scales_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"answer {self.questionnaire_id}"
