"""The questionnaire after every conference and its results (issue 14 §5)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "kring.evaluation"
    verbose_name = _("Evaluatie van conferenties")

    def ready(self) -> None:
        # The plans sit below the evaluation: the first sending of a plan makes the
        # questionnaires through the hook the distribution calls in its own transaction.
        from kring.evaluation.domain import create_questionnaires
        from kring.plans.distribution.hooks import register_plan_sent

        register_plan_sent(create_questionnaires)
