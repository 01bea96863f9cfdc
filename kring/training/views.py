"""Pages of the coordinator's path: the public application, the office's and trainers'
lists and actions, the sessions, the candidate's self-report and their own page.

Scope: trainers and the office see every application, a regional manager those of their
regions (the evaluation of a first conference is theirs); anything else is 404 (logged). A
role that never uses a page gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import get_usage

from kring.accounts.models import Role
from kring.accounts.once import once_per_form
from kring.audit.log import record
from kring.audit.models import Action, Outcome
from kring.cases import access
from kring.cases.choices import Variant
from kring.coordinators.models import CoordinatorProfile
from kring.lib.errors import refuse_into
from kring.lib.http import AuthenticatedHttpRequest, role_required
from kring.lib.pdf import pdf_response, render_to_pdf
from kring.lib.ratelimits import address_key
from kring.lib.tokens import hash_token
from kring.training import domain
from kring.training.domain import SESSION_STEPS, TrainingRefused
from kring.training.forms import (
    ApplicationFilterForm,
    ApplicationForm,
    AttendanceCorrectionForm,
    AttendanceForm,
    EK2ReportForm,
    EvaluationForm,
    InviteForm,
    ReasonForm,
    SelfReportForm,
    SessionCancelForm,
    SessionForm,
    SessionMoveForm,
    TrainerDecisionForm,
    WithdrawForm,
)
from kring.training.models import Application, Certificate, Stage, TrainingSession
from kring.training.profile import CONDITIONS, QUALITIES, REPORT_POINTS, TASKS

STAFF = (Role.TRAINER, Role.OFFICE)


def variant_labels(values: list[str]) -> list[str]:
    labels = dict(Variant.choices)
    return [str(labels.get(v, v)) for v in values]


READERS = (Role.TRAINER, Role.OFFICE, Role.MANAGER)
_SESSION_KEY = "kring_training_applied"


# ---------- The public page ----------


def _apply_usage(request: HttpRequest, *, count: bool) -> dict[str, int] | None:
    """The same protection as the public request form: stored applications per address per
    hour, counted on a keyed hash of the address."""
    limit = getattr(settings, "KRING_TRAINING_RATE_LIMIT", settings.KRING_INTAKE_RATE_LIMIT)
    return get_usage(
        request, group="training_apply", key=address_key, rate=f"{limit}/h", increment=count
    )


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    form = ApplicationForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        usage = _apply_usage(request, count=False)
        if usage is not None and usage["count"] >= usage["limit"]:
            record(None, Action.TRAINING_APPLY_THROTTLED, outcome=Outcome.REFUSED)
            form.add_error(
                None,
                _(
                    "Er zijn vanaf dit adres in het afgelopen uur te veel aanmeldingen gedaan. "
                    "Probeer het later opnieuw."
                ),
            )
            status = 429
        elif form.is_valid():
            fields = form.application_fields()
            application = domain.submit_application(**fields)
            _apply_usage(request, count=True)
            request.session[_SESSION_KEY] = application.first_name
            return redirect("training:applied")
        else:
            status = 400
    context = {"form": form, "tasks": TASKS, "qualities": QUALITIES, "conditions": CONDITIONS}
    return render(request, "training/apply.html", context, status=status)


def applied(request: HttpRequest) -> HttpResponse:
    name = request.session.get(_SESSION_KEY)
    if name is None:
        return redirect("training:apply")
    return render(request, "training/applied.html", {"name": name})


@require_http_methods(["GET", "POST"])
def self_report(request: HttpRequest, link: str) -> HttpResponse:
    """The candidate's report after EK1, through the personal link from the mail (``link``
    is its token; the page shows nothing of any case)."""
    application = domain.application_by_report_token(hash_token(link))
    if application is None or application.stage != Stage.EK1_ATTENDED:
        raise Http404
    form = SelfReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            domain.submit_self_report(application, form.cleaned_data)
        except TrainingRefused as refusal:
            refuse_into(form, refusal)
        else:
            return render(request, "training/self_report_done.html", {"application": application})
    status = 400 if form.errors else 200
    context = {"form": form, "application": application}
    return render(request, "training/self_report.html", context, status=status)


# ---------- The office's and trainers' list and detail ----------


def _applications(request: AuthenticatedHttpRequest) -> QuerySet[Application]:
    found = Application.objects.select_related("region")
    user = request.user
    if user.is_office or user.is_trainer:
        return found
    if user.is_manager:
        return found.filter(region__in=user.regions.all())
    return found.none()


def _application(request: AuthenticatedHttpRequest, pk: int) -> Application:
    found = _applications(request).filter(pk=pk).first()
    if found is None:
        access.deny(request, object_type="application", object_id=pk)
    return found


@role_required(*READERS)
def applications(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ApplicationFilterForm(request.GET or None)
    found = _applications(request)
    if form.is_valid():
        data = form.cleaned_data
        if data.get("stage"):
            found = found.filter(stage=data["stage"])
        if data.get("region"):
            found = found.filter(region=data["region"])
        if data.get("q"):
            q = data["q"]
            found = found.filter(
                Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(email__icontains=q)
            )
    page = Paginator(found.order_by("-submitted_at", "-pk"), 50).get_page(request.GET.get("pagina"))
    return render(request, "training/applications.html", {"form": form, "page": page})


def _detail(
    request: AuthenticatedHttpRequest,
    application: Application,
    *,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    record(request.user, Action.TRAINING_APPLICATION_VIEWED, obj=application)
    user = request.user
    stage = application.stage
    case = domain.first_case(application)
    report = getattr(application, "self_report", None)
    ek2_report = getattr(application, "ek2_report", None)
    shown: dict[str, Any] = {
        "decision_form": TrainerDecisionForm() if stage == Stage.SELF_REPORT else None,
        "evaluation_form": EvaluationForm() if stage == Stage.ACCEPTED else None,
        "withdraw_form": WithdrawForm() if stage in domain.WITHDRAWABLE else None,
        **(forms or {}),
    }
    context = {
        "application": application,
        "invitations": application.invitations.select_related("session"),
        "report": report,
        "report_answers": [(q, report.answers.get(key, "")) for key, q in REPORT_POINTS]
        if report
        else [],
        "decision": getattr(application, "trainer_decision", None),
        "evaluation": getattr(application, "evaluation", None),
        "certificate": getattr(application, "certificate", None),
        "ek2_report": ek2_report,
        "ek2_labels": variant_labels(ek2_report.variants) if ek2_report else [],
        "profile": domain.profile_of(application),
        "first_case": case,
        "supporting_manager": getattr(case, "supporting_manager", None) if case else None,
        "can_take_part": stage == Stage.INFO_MEETING and user.role in STAFF,
        "can_decide": stage == Stage.SELF_REPORT and user.is_trainer,
        "can_evaluate": stage == Stage.ACCEPTED and user.role in (Role.MANAGER, Role.OFFICE),
        "can_certify": stage == Stage.EVALUATED and user.role in STAFF,
        "can_read_cv": user.role in STAFF,
        "can_withdraw": stage in domain.WITHDRAWABLE and user.role in STAFF,
        **shown,
    }
    return render(request, "training/application.html", context, status=status)


@role_required(*READERS)
def application_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _application(request, pk))


@role_required(*STAFF)
def cv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    found = getattr(application, "cv", None)
    if found is None:
        raise Http404
    record(request.user, Action.TRAINING_CV_VIEWED, obj=application)
    response = HttpResponse(bytes(found.content), content_type=found.content_type)
    # Always a download, never shown inline: a file from the public is not rendered here.
    response["Content-Disposition"] = f'attachment; filename="{found.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _done(request: AuthenticatedHttpRequest, application: Application, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("training:application", pk=application.pk)


@role_required(*STAFF)
@require_POST
def take_part(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    try:
        domain.decide_to_take_part(application, by=request.user)
    except TrainingRefused as refusal:
        refuse_into(request, refusal)
        return redirect("training:application", pk=pk)
    return _done(request, application, _("Vastgelegd: de kandidaat volgt EK1."))


@role_required(*STAFF)
@require_POST
def withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid() and application.stage in domain.WITHDRAWABLE:
        return _detail(request, application, forms={"withdraw_form": form}, status=400)
    try:
        reason = form.cleaned_data.get("reason", "")
        domain.withdraw_application(application, reason=reason, by=request.user)
    except TrainingRefused as refusal:
        # Already stopped (a second click) or a coordinator by now: the page says why.
        refuse_into(request, refusal)
        return redirect("training:application", pk=pk)
    return _done(request, application, _("Vastgelegd: de kandidaat is gestopt."))


@role_required(Role.TRAINER)
@require_POST
def decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = TrainerDecisionForm(request.POST)
    if form.is_valid():
        try:
            domain.decide_as_trainers(
                application,
                positive=form.cleaned_data["positive"],
                talk_note=form.cleaned_data["talk_note"],
                by=request.user,
            )
        except TrainingRefused as refusal:
            refuse_into(form, refusal, field=refusal.field_on(form))
        else:
            return _done(request, application, _("Het besluit is vastgelegd."))
    application.refresh_from_db()
    return _detail(request, application, forms={"decision_form": form}, status=400)


@role_required(Role.MANAGER, Role.OFFICE)
@require_POST
def evaluate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = EvaluationForm(request.POST)
    if form.is_valid():
        try:
            domain.record_evaluation(
                application,
                positive=form.cleaned_data["positive"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except TrainingRefused as refusal:
            refuse_into(form, refusal, field=refusal.field_on(form))
        else:
            return _done(request, application, _("De evaluatie is vastgelegd."))
    application.refresh_from_db()
    return _detail(request, application, forms={"evaluation_form": form}, status=400)


@role_required(*STAFF)
@require_POST
def certify(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    try:
        certificate = domain.issue_certificate(application, by=request.user)
    except TrainingRefused as refusal:
        refuse_into(request, refusal)
        return redirect("training:application", pk=pk)
    text = _("Certificaat %(number)s is uitgereikt.") % {"number": certificate.number}
    return _done(request, application, text)


def _certificate_pdf(request: AuthenticatedHttpRequest, certificate: Certificate) -> HttpResponse:
    application = certificate.application
    record(request.user, Action.TRAINING_CERTIFICATE_VIEWED, obj=application)
    pdf = render_to_pdf(
        "training/certificate_pdf.html", {"certificate": certificate, "application": application}
    )
    return pdf_response(pdf, f"certificaat-{certificate.number}.pdf")


@role_required(*READERS)
def certificate_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    certificate = Certificate.objects.filter(application=application).first()
    if certificate is None:
        raise Http404
    return _certificate_pdf(request, certificate)


# ---------- Sessions ----------


@role_required(*STAFF)
@require_http_methods(["GET", "POST"])
@once_per_form
def sessions(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = domain.plan_session(**form.cleaned_data, by=request.user)
        except TrainingRefused as refusal:
            refuse_into(form, refusal, field=refusal.field_on(form))
        else:
            messages.success(request, _("De bijeenkomst is gepland."))
            return redirect("training:session", pk=session.pk)
    listed = TrainingSession.objects.prefetch_related("trainers", "invitations")[:100]
    status = 400 if form.errors else 200
    return render(
        request, "training/sessions.html", {"form": form, "sessions": listed}, status=status
    )


def _session_page(
    request: AuthenticatedHttpRequest,
    session: TrainingSession,
    *,
    status: int = 200,
    **bound: BaseForm,
) -> HttpResponse:
    """The session's page; ``bound`` holds a form posted back with its errors (by its name
    on the page), the other forms are fresh."""
    invitations = list(session.invitations.select_related("application__region"))
    open_ = [i for i in invitations if i.attended is None]
    recorded = [i for i in invitations if i.attended is not None]
    fresh: dict[str, Callable[[], BaseForm]] = {
        "invite_form": lambda: InviteForm(candidates=_invitable(session)),
        "attendance_form": lambda: AttendanceForm(invitations=open_),
        "correction_form": lambda: AttendanceCorrectionForm(invitations=recorded),
        "move_form": lambda: SessionMoveForm(initial=_time_and_place(session)),
        "cancel_form": lambda: SessionCancelForm(),
    }
    context = {
        "session": session,
        "invitations": invitations,
        "free": max(session.capacity - len(invitations), 0),
        **{name: bound.get(name) or make() for name, make in fresh.items()},
        "has_open": bool(open_),
        # Attendance is recorded from the first day on (record_attendance).
        "begun": session.starts_on <= timezone.localdate(),
        "has_recorded": bool(recorded),
        # Moved or called off only before anyone's attendance was recorded.
        "changeable": session.cancelled_at is None and not recorded,
        "needed": Stage(SESSION_STEPS[session.kind][0]).label,
    }
    return render(request, "training/session.html", context, status=status)


def _time_and_place(session: TrainingSession) -> dict[str, Any]:
    return {"starts_on": session.starts_on, "ends_on": session.ends_on, "place": session.place}


def _invitable(session: TrainingSession) -> QuerySet[Application]:
    needed, _reached = SESSION_STEPS[session.kind]
    found = Application.objects.filter(stage=needed).exclude(
        invitations__session__kind=session.kind, invitations__attended__isnull=True
    )
    pks = [a.pk for a in found.select_related("region") if domain.can_be_invited(a, session)]
    return Application.objects.filter(pk__in=pks).select_related("region")


def _session(pk: int) -> TrainingSession:
    found = TrainingSession.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@role_required(*STAFF)
def session_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _session_page(request, _session(pk))


@role_required(*STAFF)
@require_POST
def session_invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = _session(pk)
    form = InviteForm(request.POST, candidates=_invitable(session))
    if form.is_valid():
        try:
            count = domain.invite(session, form.cleaned_data["applications"], by=request.user)
        except TrainingRefused as refusal:
            refuse_into(form, refusal, field=refusal.field_on(form))
        else:
            messages.success(request, _("%(n)s uitnodiging(en) verstuurd.") % {"n": count})
            return redirect("training:session", pk=pk)
    return _session_page(request, session, invite_form=form, status=400)


@role_required(*STAFF)
@require_POST
def session_attendance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = _session(pk)
    open_ = session.invitations.filter(attended__isnull=True).select_related("application")
    form = AttendanceForm(request.POST, invitations=open_)
    if form.is_valid():
        try:
            count = domain.record_attendance(session, form.present_ids(), by=request.user)
        except TrainingRefused as refusal:
            refuse_into(request, refusal)
            return redirect("training:session", pk=pk)
        messages.success(request, _("Aanwezigheid vastgelegd: %(n)s aanwezig.") % {"n": count})
        return redirect("training:session", pk=pk)
    return _session_page(request, session, attendance_form=form, status=400)


@role_required(*STAFF)
@require_POST
def session_attendance_correct(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def form_for(session: TrainingSession) -> AttendanceCorrectionForm:
        recorded = session.invitations.exclude(attended=None).select_related("application")
        return AttendanceCorrectionForm(request.POST, invitations=recorded)

    def correct(session: TrainingSession, form: AttendanceCorrectionForm) -> None:
        data = form.cleaned_data
        invitation = session.invitations.get(pk=data["invitation"])
        domain.correct_attendance(
            invitation, attended=data["attended"], reason=data["reason"], by=request.user
        )

    return _act_on_session(
        request, pk, "correction_form", form_for, correct, _("De aanwezigheid is gecorrigeerd.")
    )


@role_required(*STAFF)
@require_POST
def session_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def move(session: TrainingSession, form: SessionMoveForm) -> int:
        return domain.move_session(session, **form.cleaned_data, by=request.user)

    return _act_on_session(
        request,
        pk,
        "move_form",
        lambda _session: SessionMoveForm(request.POST),
        move,
        _("Verplaatst. %(n)s genodigde(n) krijgen bericht."),
    )


@role_required(*STAFF)
@require_POST
def session_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def cancel(session: TrainingSession, form: SessionCancelForm) -> int:
        return domain.cancel_session(session, reason=form.cleaned_data["reason"], by=request.user)

    return _act_on_session(
        request,
        pk,
        "cancel_form",
        lambda _session: SessionCancelForm(request.POST),
        cancel,
        _("Afgelast. %(n)s genodigde(n) krijgen bericht."),
    )


def _act_on_session[F: BaseForm](
    request: AuthenticatedHttpRequest,
    pk: int,
    form_name: str,
    form_for: Callable[[TrainingSession], F],
    act: Callable[[TrainingSession, F], int | None],
    done: str,
) -> HttpResponse:
    """A session's form posted: the action runs on the valid form (its count, if any, goes
    into the message ``done``); otherwise, or when the action refuses, the page comes back
    with the form, the refusal next to its field (400)."""
    session = _session(pk)
    form = form_for(session)
    if form.is_valid():
        try:
            told = act(session, form)
        except TrainingRefused as refusal:
            refuse_into(form, refusal, field=refusal.field_on(form))
        else:
            messages.success(request, done % {"n": told} if told is not None else done)
            return redirect("training:session", pk=pk)
    return _session_page(request, session, status=400, **{form_name: form})


# ---------- The coordinator's own page ----------


def _own(request: AuthenticatedHttpRequest) -> Application | None:
    return Application.objects.filter(user=request.user).select_related("region").first()


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    application = _own(request)
    form = None
    status = 200
    if application is not None and application.stage == Stage.EK2_ATTENDED:
        form = EK2ReportForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                domain.submit_ek2_report(
                    application,
                    variants=form.cleaned_data["variants"],
                    text=form.cleaned_data["text"],
                    by=request.user,
                )
            except TrainingRefused as refusal:
                refuse_into(form, refusal, field=refusal.field_on(form))
            else:
                messages.success(request, _("Je verslag is ontvangen. Dank je wel."))
                return redirect("training:mine")
        status = 400 if form.errors else 200
    elif request.method == "POST":
        messages.error(request, _("Er is nu geen verslag te schrijven."))
        return redirect("training:mine")
    case = domain.first_case(application) if application else None
    context = {
        "application": application,
        "form": form,
        "profile": CoordinatorProfile.objects.filter(user=request.user).first(),
        "certificate": getattr(application, "certificate", None) if application else None,
        "first_case": case,
        "supporting_manager": getattr(case, "supporting_manager", None) if case else None,
        "stages": _stages(application),
    }
    return render(request, "training/mine.html", context, status=status)


def _stages(application: Application | None) -> list[tuple[str, bool, bool]]:
    """The course as a list: (label, done, current)."""
    if application is None:
        return []
    order = [str(s) for s in Stage if s != Stage.ENDED]
    here = order.index(application.stage) if application.stage in order else -1
    labels = dict(Stage.choices)
    return [(str(labels[s]), i < here, i == here) for i, s in enumerate(order)]


@role_required(Role.COORDINATOR)
def my_certificate(request: AuthenticatedHttpRequest) -> HttpResponse:
    application = _own(request)
    certificate = Certificate.objects.filter(application=application).first()
    if application is None or certificate is None:
        raise Http404
    return _certificate_pdf(request, certificate)


# ---------- Pausing, resuming, stopping a coordinator ----------


def _profile(request: AuthenticatedHttpRequest, pk: int) -> CoordinatorProfile:
    return access.in_regions(
        request, CoordinatorProfile.objects.select_related("user"), pk, region="regions"
    )


def _status_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    profile = _profile(request, pk)
    form = ReasonForm(request.POST)
    try:
        if action == "resume":
            domain.resume_coordinator(profile, by=request.user)
        elif not form.is_valid():
            raise TrainingRefused(_("Vul een reden in."))
        elif action == "pause":
            domain.pause_coordinator(profile, reason=form.cleaned_data["reason"], by=request.user)
        else:
            domain.stop_coordinator(profile, reason=form.cleaned_data["reason"], by=request.user)
    except TrainingRefused as refusal:
        refuse_into(request, refusal)
    else:
        profile.refresh_from_db()
        messages.success(
            request,
            _("De status van %(name)s is nu: %(status)s.")
            % {"name": profile, "status": profile.get_status_display()},
        )
    return redirect("coordinators:profile_edit", pk=pk)


@role_required(Role.MANAGER, Role.OFFICE)
@require_POST
def coordinator_pause(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _status_action(request, pk, "pause")


@role_required(Role.MANAGER, Role.OFFICE)
@require_POST
def coordinator_resume(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _status_action(request, pk, "resume")


@role_required(Role.MANAGER, Role.OFFICE)
@require_POST
def coordinator_stop(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _status_action(request, pk, "stop")
