"""Form helpers: the NL Design System (Utrecht) classes on every widget, accessible errors,
and bounds on every field, so hostile input gets a Dutch error instead of an error page."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

# A PostgreSQL integer; SQLite and psycopg fail on anything past 64 bits before a query runs.
INT_MAX = 2**31 - 1
# Dates outside these years are typing errors; far-future ones would overflow when a page
# adds days or months to them.
FIRST_YEAR, LAST_YEAR = 1900, 2100

_WIDGET_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.HiddenInput, ""),
    # Django puts a multi-input widget's attrs on its wrapper too, so these are styled by
    # kring.css through the field's <fieldset> instead of per-input classes.
    (forms.CheckboxSelectMultiple, ""),
    (forms.RadioSelect, ""),
    (forms.CheckboxInput, "utrecht-checkbox utrecht-checkbox--html-input"),
    (forms.Textarea, "utrecht-textarea utrecht-textarea--html-textarea"),
    (forms.Select, "utrecht-select utrecht-select--html-select"),
    (forms.SelectMultiple, "utrecht-select utrecht-select--html-select"),
    (forms.widgets.Input, "utrecht-textbox utrecht-textbox--html-input"),
]


class DateInput(forms.DateInput):
    """The browser's date picker. Its value is always ISO (yyyy-mm-dd), whatever the page's
    language: a Dutch "07-12-2026" there makes the browser show the field empty."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    """The browser's time picker, which reads hours and minutes only."""

    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker (ISO, to the minute)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def validate_year(value: date) -> None:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _("Vul een datum in tussen %(first)s en %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            code="year_out_of_range",
        )


def _is_huge_id(value: Any) -> bool:
    text = str(value).strip()
    # isdecimal, not isdigit: '³' is a digit that int() refuses.
    return text.lstrip("-").isdecimal() and abs(int(text)) > INT_MAX


def mark_required[F: forms.Field](field: F) -> F:
    """A field the form leaves optional (a draft may be saved without it, or it is needed only
    in some cases) but the course requires: its label says "(verplicht)", not "(optioneel)"
    (includes/field.html)."""
    field.marked_required = True  # type: ignore[attr-defined]
    return field


class _BoundedChoice:
    """A model choice whose submitted id cannot be looked up beyond the database's integers."""

    def __init__(self, field: forms.ModelChoiceField) -> None:
        self.field, self.clean = field, field.clean

    def __call__(self, value: Any) -> Any:
        values = value if isinstance(value, list | tuple) else [value]
        if any(_is_huge_id(each) for each in values):
            raise ValidationError(
                self.field.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": str(value)[:20]},
            )
        return self.clean(value)


def bound_field(field: forms.Field) -> None:
    """Give a field the limits a hostile value must hit before it reaches the database."""
    if isinstance(field, forms.IntegerField):  # also FloatField and DecimalField
        # A field's own, narrower bounds still apply; these only catch the unbounded.
        field.validators += [MaxValueValidator(INT_MAX), MinValueValidator(-INT_MAX)]
    elif isinstance(field, forms.ModelChoiceField):
        field.clean = _BoundedChoice(field)  # type: ignore[method-assign]


class BoundedFormMixin:
    """Bounds every field (see ``bound_field``) and every date (see ``_clean_form``);
    Django already refuses NUL in text."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            bound_field(field)

    def _clean_form(self) -> None:
        # Dates are bounded after each field's own clean_<name> (whose message about its own
        # range is the better one) and before the form's clean() computes with them.
        for name, value in list(self.cleaned_data.items()):
            if isinstance(value, date):  # and so a datetime
                try:
                    validate_year(value)
                except ValidationError as error:
                    self.add_error(name, error)  # type: ignore[attr-defined]
        super()._clean_form()  # type: ignore[misc]


class StyledFormMixin(BoundedFormMixin):
    """Adds the Utrecht component classes to widgets (Django itself sets the ARIA attributes)."""

    fields: dict[str, forms.Field]
    # The server validates and explains in Dutch; the browser's own (English, red-before-you-
    # start) required-field checks would only get in the way.
    use_required_attribute = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = next((css for cls, css in _WIDGET_CLASSES if isinstance(field.widget, cls)), "")
            field.widget.attrs.setdefault("class", css)


class ValuesChoiceIterator(forms.models.ModelChoiceIterator):
    """A select's choices as (key, label) pairs read straight from the database, without
    making a model instance per row: the language select's 200-odd options took 5 ms per
    page that way (issue 17). The label is the field's ``label_field`` column."""

    def __iter__(self) -> Any:
        field = cast("ValuesModelChoiceField", self.field)
        if field.empty_label is not None:
            yield ("", field.empty_label)
        yield from self.queryset.values_list("pk", field.label_field)


class ValuesModelChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A ModelChoiceField whose options come from ``values_list`` (labels: ``label_field``);
    what is chosen is still checked against, and returned from, the queryset."""

    iterator = ValuesChoiceIterator
    label_field = "name_nl"
