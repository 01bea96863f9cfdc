"""Professionals: the coordinator's page, the invitation link, and the professional's part."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.accounts.models import Role, User
from kring.audit import link_guard
from kring.cases import access
from kring.lib.errors import refuse_into, refused
from kring.lib.http import AuthenticatedHttpRequest, role_required
from kring.lib.seen import typed_again
from kring.preparation.models import ProfessionalInvolvement
from kring.preparation.professionals import domain
from kring.preparation.professionals.forms import (
    ConditionsForm,
    InviteForm,
    JoinForm,
    PartForm,
)

# ---------- The coordinator's (and manager's) page ----------


@login_required
def professionals(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """The invited professionals, what they entered, the kader, and the invitation form."""
    case = access.case_to_prepare(request, case_pk)
    form = InviteForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            involvement = domain.invite_professional(case, **form.cleaned_data, by=request.user)
        except (domain.AlreadyInvited, domain.NotAProfessionalAccount) as refusal:
            refuse_into(form, refusal, field="email")
        else:
            messages.success(
                request,
                _("%(name)s is uitgenodigd; de persoonlijke link is gemaild naar %(email)s.")
                % {"name": involvement.name, "email": involvement.email},
            )
            for _kind, warning in domain.independence_warnings(involvement):
                messages.warning(request, warning)
            return redirect("preparation:professionals", case_pk=case.pk)
    context = {
        "case": case,
        "involvements": domain.involvements_for_case(case),
        "conditions": domain.conditions_for_case(case),
        "conditions_apply": domain.conditions_apply(case),
        "form": form,
    }
    return render(request, "preparation/professionals/professionals.html", context)


@login_required
@require_POST
def professional_resend(request: AuthenticatedHttpRequest, case_pk: int, pk: int) -> HttpResponse:
    case = access.case_to_prepare(request, case_pk)
    involvement = access.of_case(request, case, ProfessionalInvolvement.objects.all(), pk)
    domain.resend_invitation(involvement, by=request.user)
    messages.success(
        request,
        _("De link is opnieuw gemaild naar %(email)s.") % {"email": involvement.email},
    )
    return redirect("preparation:professionals", case_pk=case.pk)


# ---------- The personal link ----------


def professional_join(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link: set up an account, or log in, and get linked to the case."""
    if link_guard.too_many_failures(request):
        return link_guard.throttled(request, "professional")
    found = domain.involvement_for_token(token)
    involvement = found.involvement
    if involvement is None:
        return link_guard.refused(request, "professional", found.reason, case=found.case)
    user = request.user
    if involvement.user_id is not None:
        if user.is_authenticated and user.pk != involvement.user_id:
            raise Http404  # never tell someone else which case this link belongs to
        return redirect("preparation:professional_part", pk=involvement.pk)
    if user.is_authenticated:
        return _join_as_logged_in(request, involvement, user, token)  # type: ignore[arg-type]
    access.log_view(request, involvement.case, obj=involvement, page="professional_join")  # type: ignore[arg-type]
    existing = User.objects.filter(email__iexact=involvement.email).first()
    if existing is not None:
        state = "login" if existing.role == Role.PROFESSIONAL else "other_role"
        return _join_page(request, involvement, state=state, token=token)
    form = JoinForm(request.POST or None, involvement=involvement)
    if request.method == "POST" and form.is_valid():
        try:
            new_user = domain.join_professional(
                involvement,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except domain.AlreadyJoined:  # a second click on the button: the first one did it
            return redirect("preparation:professional_part", pk=involvement.pk)
        login(request, new_user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Uw account is klaar. Hieronder vult u uw deel in."))
        return redirect("preparation:professional_part", pk=involvement.pk)
    return _join_page(request, involvement, state="form", form=form, token=token)


def _join_as_logged_in(
    request: HttpRequest, involvement: ProfessionalInvolvement, user: User, token: str
) -> HttpResponse:
    if user.is_professional and user.email.lower() == involvement.email.lower():
        if request.method != "POST":  # opening the link writes nothing: its button links it
            return _join_page(request, involvement, state="link", token=token)
        try:
            domain.link_existing_professional(involvement, user)
        except domain.AlreadyJoined:
            raise Http404 from None
        messages.success(request, _("De uitnodiging is aan uw account gekoppeld."))
        return redirect("preparation:professional_part", pk=involvement.pk)
    return _join_page(request, involvement, state="other_account", token=token, status=403)


def _join_page(
    request: HttpRequest,
    involvement: ProfessionalInvolvement,
    *,
    state: str,
    token: str,
    form: JoinForm | None = None,
    status: int = 200,
) -> HttpResponse:
    here = reverse("preparation:professional_join", args=[token])
    context = {
        "involvement": involvement,
        "state": state,
        "form": form,
        "login_url": reverse("accounts:login") + "?" + urlencode({"next": here}),
    }
    return render(
        request, "preparation/professionals/professional_join.html", context, status=status
    )


# ---------- The professional's own part ----------


def _own_involvement(request: AuthenticatedHttpRequest, pk: int) -> ProfessionalInvolvement:
    involvements = ProfessionalInvolvement.objects.select_related("case__request", "organisation")
    return access.own_part(request, involvements, pk)


def _render_part(
    request: AuthenticatedHttpRequest,
    involvement: ProfessionalInvolvement,
    *,
    part_form: PartForm | None = None,
    conditions_form: ConditionsForm | None = None,
    saved_elsewhere: bool = False,
) -> HttpResponse:
    case = involvement.case
    access.log_view(request, case, obj=involvement, page="professional_part")
    conference_at, venue = domain.conference_when_where(case)
    initial = {
        "information": involvement.information,
        "concerns": involvement.concerns,
        "help_offer": involvement.help_offer,
        "seen": domain.part_digest(involvement),
    }
    context: dict[str, Any] = {
        "involvement": involvement,
        "question": domain.case_question(case),
        "conference_at": conference_at,
        "venue": venue,
        "editable": domain.part_is_editable(case),
        "conditions_apply": domain.conditions_apply(case),
        "conditions": involvement.conditions.all(),
        "part_form": part_form or PartForm(initial=initial),
        "conditions_form": conditions_form or ConditionsForm(),
        "saved_elsewhere": saved_elsewhere,
    }
    return render(request, "preparation/professionals/professional_part.html", context)


@login_required
def professional_part(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    involvement = _own_involvement(request, pk)
    if request.method != "POST":
        return _render_part(request, involvement)
    form = PartForm(request.POST)
    if not form.is_valid():
        invalid = _render_part(request, involvement, part_form=form)
        invalid.status_code = 400
        return invalid
    try:
        with refused(request, domain.PartClosed) as refusal:
            domain.save_part(involvement, **form.cleaned_data, by=request.user)
    except domain.PartChanged as changed:
        return _part_changed(request, involvement, changed)
    if not refusal:
        messages.success(request, _("Uw inbreng is opgeslagen."))
    return redirect("preparation:professional_part", pk=involvement.pk)


def _part_changed(
    request: AuthenticatedHttpRequest,
    involvement: ProfessionalInvolvement,
    changed: domain.PartChanged,
) -> HttpResponse:
    """The form again with what was typed, the saved text above it, and the digest of the
    saved text: saving again keeps what the professional chose."""
    involvement.refresh_from_db()
    form = typed_again(PartForm, request.POST, domain.part_digest(involvement), changed)
    response = _render_part(request, involvement, part_form=form, saved_elsewhere=True)
    response.status_code = 409
    return response


@login_required
@require_POST
def professional_condition_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    involvement = _own_involvement(request, pk)
    form = ConditionsForm(request.POST)
    if not form.is_valid():
        return _render_part(request, involvement, conditions_form=form)
    closed = _("U kunt hier geen voorwaarden (meer) toevoegen.")
    with refused(request, domain.PartClosed, message=closed) as refusal:
        added = domain.add_conditions(involvement, form.cleaned_data["conditions"], by=request.user)
    if not refusal and added:
        messages.success(request, _("De voorwaarden zijn opgeslagen."))
    return redirect(reverse("preparation:professional_part", args=[involvement.pk]) + "#kader")


@login_required
@require_POST
def professional_condition_remove(
    request: AuthenticatedHttpRequest, pk: int, condition_pk: int
) -> HttpResponse:
    involvement = _own_involvement(request, pk)
    closed = _("Na de conferentie kunt u de voorwaarden niet meer wijzigen.")
    with refused(request, domain.PartClosed, message=closed) as refusal:
        removed = domain.remove_condition(involvement, condition_pk, by=request.user)
    if not refusal and removed:
        messages.success(request, _("De voorwaarde is verwijderd."))
    return redirect(reverse("preparation:professional_part", args=[involvement.pk]) + "#kader")


@role_required(Role.PROFESSIONAL)
@require_POST
def professional_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Take up an invitation to one's own address from the list, logged in: the link's token
    is not stored, so the list cannot link to it."""
    involvement = domain.pending_invitations_of(request.user).filter(pk=pk).first()
    if involvement is None:
        access.deny(request, involvement_id=pk)
    try:
        domain.link_existing_professional(involvement, request.user)
    except (domain.AlreadyJoined, domain.NotAProfessionalAccount):
        raise Http404 from None
    messages.success(request, _("De uitnodiging is aan uw account gekoppeld."))
    return redirect("preparation:professional_part", pk=involvement.pk)


@role_required(Role.PROFESSIONAL)
def my_involvements(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The cases a professional is invited to, and invitations still waiting for the link."""
    rows = [(inv, domain.case_question(inv.case)) for inv in domain.involvements_of(request.user)]
    context = {"rows": rows, "pending": domain.pending_invitations_of(request.user)}
    return render(request, "preparation/professionals/professional_my_involvements.html", context)
