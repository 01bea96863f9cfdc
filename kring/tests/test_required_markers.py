"""Issue 15 §2: a field the course requires never says "(optioneel)".

The two answers every plan needs and the cause of an agreement not carried out fully are
optional for the form (a draft may be saved; the cause only where it applies) but required by
the course, so their labels say "(verplicht)"; so does the conference's date."""

from types import SimpleNamespace

from django.template.loader import render_to_string

from kring.plans.aftercare.forms import ImplementationForm
from kring.plans.conference.forms import ConferenceForm
from kring.plans.writing.forms import AnswersForm


def _marker(bound_field) -> str:
    html = render_to_string("includes/field.html", {"field": bound_field})
    return html.split('class="kring-field__marker">')[1].split("</span>")[0]


def test_the_two_mandatory_plan_answers_are_marked_required():
    form = AnswersForm()
    assert _marker(form["next_meeting"]) == "(verplicht)"
    assert _marker(form["who_calls_together"]) == "(verplicht)"
    assert _marker(form["emergency_plan"]) == "(optioneel)"


def test_the_cause_of_an_unfulfilled_agreement_is_marked_required():
    agreement = SimpleNamespace(pk=7, implementation="", cause="")
    form = ImplementationForm(agreements=[agreement])  # type: ignore[list-item]
    assert _marker(form["cause_7"]) == "(verplicht)"


def test_the_conference_date_is_marked_required():
    form = ConferenceForm(case=None, participants=[], professionals=[], preparation=None)
    assert _marker(form["held_on"]) == "(verplicht)"
    assert _marker(form["place"]) == "(verplicht)"
