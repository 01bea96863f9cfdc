"""The second step of logging in: set up the app once, then a code each time; the security
page for passkeys and new recovery codes (``kring.accounts.second_factor``)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import user_has_device

from kring.accounts import second_factor
from kring.accounts.forms import SecondFactorForm
from kring.accounts.models import Role
from kring.lib.http import AuthenticatedHttpRequest, role_required

ALL_ROLES = Role.values


def _next(request: HttpRequest) -> str:
    """Back to the page the user asked for, when it is one of ours: a path on this site (a
    bare word would pass the host check and then be taken for a view's name by redirect)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    ours = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    if ours and target.startswith("/"):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
@role_required(*ALL_ROLES)
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(_next(request))
    if not user_has_device(user, confirmed=True):
        return redirect(second_factor.second_factor_url(user))
    form = SecondFactorForm(request.POST or None)
    if form.is_valid():
        if second_factor.verify(request, form.cleaned_data["code"]):
            return redirect(_next(request))
        form.add_error("code", _("Deze code klopt niet of is al gebruikt. Probeer het opnieuw."))
    context = {"form": form, "next": _next(request), "passkey": second_factor.has_passkey(user)}
    return render(request, "accounts/second_factor.html", context)


@require_http_methods(["GET", "POST"])
@role_required(*ALL_ROLES)
def enrol(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if user_has_device(user, confirmed=True):
        # A new app only after proving an existing factor: else a stolen password would do.
        return redirect(second_factor.second_factor_url(user))
    device = second_factor.pending_totp_device(request)  # kept in the session, not stored
    form = SecondFactorForm(request.POST or None, recovery_allowed=False)
    if form.is_valid():
        codes = second_factor.confirm_enrolment(request, device, form.cleaned_data["code"])
        if codes is not None:
            return _show_codes(request, codes)
        form.add_error(
            "code", _("Deze code klopt niet. Kijk of de tijd op uw telefoon goed staat.")
        )
    context = {
        "form": form,
        "next": _next(request),
        "qr": second_factor.qr_data_uri(device),
        "secret": second_factor.secret_of(device),
    }
    return render(request, "accounts/second_factor_enrol.html", context)


@require_http_methods(["GET", "POST"])
@role_required(*ALL_ROLES)
def security(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Passkeys and new recovery codes, for a user who passed the second factor."""
    if request.method == "POST":
        return _show_codes(request, second_factor.new_recovery_codes(request.user))
    context = {"passkey": second_factor.has_passkey(request.user)}
    return render(request, "accounts/security.html", context)


def _show_codes(request: HttpRequest, codes: list[str]) -> HttpResponse:
    """Shown once, never stored in the clear elsewhere and never shown again."""
    response = render(
        request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)}
    )
    response["Cache-Control"] = "no-store"
    return response
