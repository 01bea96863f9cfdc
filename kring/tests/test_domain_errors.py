"""Refusals share one base class and one way onto the page (issue 16 §4)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

import kring
from kring.lib.errors import DomainError, refuse_into, refused

# Exceptions that are no refusal for a user: the log that cannot be written (503) and a plan
# move the code itself got wrong.
NOT_REFUSALS = {"LogUnavailable", "IllegalPlanMove"}


def _kring_exceptions() -> dict[str, type[Exception]]:
    found: dict[str, type[Exception]] = {}
    for module in pkgutil.walk_packages(kring.__path__, "kring."):
        if ".tests" in module.name or ".migrations" in module.name or "settings" in module.name:
            continue
        for name, value in vars(importlib.import_module(module.name)).items():
            if (
                inspect.isclass(value)
                and issubclass(value, Exception)
                and value.__module__.startswith("kring.")
            ):
                found[name] = value
    return found


def test_every_refusal_of_the_domain_is_a_domain_error() -> None:
    exceptions = _kring_exceptions()
    assert {
        "IllegalTransition",
        "OfferRefused",
        "PlanLocked",
        "LogisticsError",
        "MoneyRefused",
    } <= set(exceptions)
    others = sorted(
        name
        for name, kind in exceptions.items()
        if not issubclass(kind, DomainError) and name not in NOT_REFUSALS
    )
    assert not others, f"Refusals that are no DomainError (kring/lib/errors.py): {others}"


class _Form(forms.Form):
    email = forms.CharField(required=False)


class _Refused(DomainError):
    default_message = "Zo niet."


def _request() -> Any:
    request: Any = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_refusal_lands_next_to_its_field_above_the_form_or_as_a_message() -> None:
    form = _Form({})
    assert form.is_valid()
    refuse_into(form, _Refused(), field="email")
    refuse_into(form, _Refused("Anders gezegd."))
    assert form.errors == {"email": ["Zo niet."], "__all__": ["Anders gezegd."]}
    request = _request()
    refuse_into(request, _Refused(), message="In de woorden van de pagina.")
    assert [str(m) for m in get_messages(request)] == ["In de woorden van de pagina."]


def test_refused_catches_only_the_kinds_it_is_given() -> None:
    request = _request()
    with refused(request, _Refused) as refusal:
        raise _Refused
    assert refusal and str(refusal.error) == "Zo niet."
    with refused(request) as nothing:
        pass
    assert not nothing
    with pytest.raises(ValueError), refused(request, _Refused):
        raise ValueError("geen weigering")
