"""The office's page of API keys and webhooks. A new secret is shown once, on the answer
to the POST that made it (never stored, never in the session or a redirect)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.accounts.models import Role
from kring.api import keys, webhooks
from kring.api.forms import KeyForm, RotateForm, WebhookForm
from kring.api.models import ApiKey, WebhookDelivery, WebhookEndpoint
from kring.api.signing import WebhookRefused
from kring.cases import access
from kring.lib.errors import refused
from kring.lib.http import AuthenticatedHttpRequest, role_required


def _page(
    request: AuthenticatedHttpRequest,
    *,
    form: KeyForm | None = None,
    hook_form: WebhookForm | None = None,
    shown: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "form": form or KeyForm(),
        "hook_form": hook_form or WebhookForm(),
        "keys": ApiKey.objects.select_related("organisation", "acts_for", "replaced_by"),
        "hooks": WebhookEndpoint.objects.select_related("organisation"),
        "deliveries": webhooks.latest_deliveries(),
        "rotate_form": RotateForm(),
        "shown": shown,
    }
    return render(request, "api/keys.html", context, status=status)


@role_required(Role.OFFICE)
def keys_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    form = KeyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        with refused(form, keys.KeyRefused, field="acts_for") as refusal:
            key, secret = keys.issue_key(
                data["organisation"],
                scope=data["scope"],
                name=data["name"],
                acts_for=data["acts_for"],
                by=request.user,
            )
        if not refusal:
            return _page(request, shown={"key": key, "secret": secret})
    return _page(request, form=form, status=400)


def _key(request: AuthenticatedHttpRequest, pk: int) -> ApiKey:
    return ApiKey.objects.filter(pk=pk).first() or access.deny(request, api_key=pk)


@role_required(Role.OFFICE)
@require_POST
def rotate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    key = _key(request, pk)
    form = RotateForm(request.POST)
    at_once = form.is_valid() and form.cleaned_data["at_once"]
    with refused(request, keys.KeyRefused) as refusal:
        new, secret = keys.rotate_key(key, by=request.user, at_once=at_once)
    if refusal:
        return redirect("koppelingen:keys")
    return _page(request, shown={"key": new, "secret": secret, "replaces": key})


@role_required(Role.OFFICE)
@require_POST
def revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    key = _key(request, pk)
    with refused(request, keys.KeyRefused) as refusal:
        keys.revoke_key(key, by=request.user)
    if not refusal:
        messages.success(
            request, _("De sleutel %(prefix)s is ingetrokken.") % {"prefix": key.prefix}
        )
    return redirect("koppelingen:keys")


@role_required(Role.OFFICE)
@require_POST
def webhook(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = WebhookForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        with refused(form, WebhookRefused, field="url") as refusal:
            endpoint, secret = webhooks.set_webhook(
                data["organisation"], data["url"], by=request.user
            )
        if not refusal:
            return _page(request, shown={"webhook": endpoint, "secret": secret})
    return _page(request, hook_form=form, status=400)


@role_required(Role.OFFICE)
@require_POST
def switch_off_webhook(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """No more messages to this address (a receiver that is gone); setting it again switches
    it on with a new secret. Twice is once."""
    endpoints = WebhookEndpoint.objects.select_related("organisation")
    endpoint = endpoints.filter(pk=pk).first() or access.deny(request, webhook=pk)
    webhooks.switch_off(endpoint.organisation, by=request.user)
    messages.success(
        request,
        _("De webhook van %(organisation)s staat uit.") % {"organisation": endpoint.organisation},
    )
    return redirect(reverse("koppelingen:keys") + "#webhooks")


@role_required(Role.OFFICE)
@require_POST
def resend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    delivery = WebhookDelivery.objects.filter(pk=pk).first() or access.deny(
        request, webhook_delivery=pk
    )
    with refused(request, WebhookRefused) as refusal:
        webhooks.resend(delivery, by=request.user)
    if not refusal:
        messages.success(request, _("Het bericht wordt opnieuw verstuurd."))
    return redirect(reverse("koppelingen:keys") + "#berichten")
