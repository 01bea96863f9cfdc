"""Refusals of the domain and how a page shows them.

Every domain action that says no raises a ``DomainError`` (each part of the course has its
own subclass, ``IllegalTransition``, ``OfferRefused``, ``PlanLocked``, ...) carrying the
sentence for the person at the screen. A view turns it into a form error next to what was
typed, or a message at the top of the next page, with ``refuse_into`` or ``refused``:

    with refused(request, OfferRefused) as refusal:
        accept_offer(offer, by=request.user)
    if not refusal:
        messages.success(request, _("Je hebt het traject aangenomen."))
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    Message = str | _StrPromise


class DomainError(Exception):
    """A domain action refused; ``message`` says why, in words for the user (Dutch, with an
    English translation). Subclasses without a message of their own say ``default_message``."""

    default_message: ClassVar[Message] = gettext_lazy("Dit kan nu niet.")

    def __init__(self, message: Message | None = None) -> None:
        self.message: Message = self.default_message if message is None else message
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)


def refuse_into(
    target: HttpRequest | BaseForm,
    error: DomainError,
    *,
    field: str | None = None,
    message: Message | None = None,
    level: int = messages.ERROR,
) -> None:
    """Show ``error`` (or ``message``, where the page says it in its own words): on a form,
    next to ``field`` or above the form; on a request, as a message on the next page."""
    text = error.message if message is None else message
    if isinstance(target, BaseForm):
        target.add_error(field, str(text))
    else:
        messages.add_message(target, level, text)


@dataclass
class Refusal:
    """What ``refused`` caught: falsy while the action went through."""

    error: DomainError | None = None

    def __bool__(self) -> bool:
        return self.error is not None


@contextmanager
def refused(
    target: HttpRequest | BaseForm,
    *kinds: type[DomainError],
    field: str | None = None,
    message: Message | None = None,
    level: int = messages.ERROR,
) -> Iterator[Refusal]:
    """Run the block; a refusal of one of ``kinds`` (any ``DomainError`` when none are given)
    is shown with ``refuse_into`` and kept on the yielded ``Refusal`` instead of raised."""
    refusal = Refusal()
    caught = kinds or (DomainError,)
    try:
        yield refusal
    except caught as error:
        refuse_into(target, error, field=field, message=message, level=level)
        refusal.error = error
