"""Coaching pages: the coordinators a manager coaches and each one's overview with notes and
the VOG; the coordinator's own overview and declaration; meetings and study days."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.accounts.models import Region, Role
from kring.accounts.once import once_per_form
from kring.audit.log import record
from kring.audit.models import Action
from kring.cases import access
from kring.coaching import domain
from kring.coaching.domain import CoachingRefused
from kring.coaching.forms import (
    AttendanceForm,
    DeclarationForm,
    MeetingCancelForm,
    MeetingForm,
    MeetingMoveForm,
    NoteForm,
    ReplyForm,
    VogForm,
)
from kring.coaching.lapses import lapse_day
from kring.coaching.models import Condition, Meeting, MeetingInvitation
from kring.coaching.overview import overview
from kring.coordinators.models import CoordinatorProfile
from kring.lib.errors import refuse_into, refused
from kring.lib.http import AuthenticatedHttpRequest, role_required

PAGE_SIZE = 50
COACHES = (Role.MANAGER, Role.OFFICE)


# ---------- The coordinators a manager coaches ----------


@role_required(*COACHES)
def coordinators(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The coordinators of the manager's regions (the office: all), with their conditions."""
    profiles = (
        CoordinatorProfile.objects.visible_to(request.user)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    page = Paginator(profiles, PAGE_SIZE).get_page(request.GET.get("pagina"))
    today = timezone.localdate()
    rows = [
        (profile, lapse_day(profile, Condition.VOG), lapse_day(profile, Condition.INDEPENDENCE))
        for profile in page.object_list
    ]
    return render(
        request, "coaching/coordinators.html", {"page": page, "rows": rows, "today": today}
    )


def _coached(request: AuthenticatedHttpRequest, pk: int) -> CoordinatorProfile:
    """A coordinator of the manager's regions (the office: any); anyone else's is 404."""
    profiles = CoordinatorProfile.objects.select_related("user")
    return access.in_regions(request, profiles, pk, region="regions")


def _coordinator_page(
    request: AuthenticatedHttpRequest,
    profile: CoordinatorProfile,
    *,
    note_form: NoteForm | None = None,
    vog_form: VogForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "view": overview(profile, timezone.localdate()),
        "notes": domain.notes_for(request.user, profile),
        "note_form": note_form or NoteForm(),
        "vog_form": vog_form or VogForm(),
        "coaching": True,
    }
    return render(request, "coaching/coordinator.html", context, status=status)


@role_required(*COACHES)
def coordinator(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    profile = _coached(request, pk)
    record(request.user, Action.COORDINATOR_OVERVIEW_VIEWED, obj=profile)
    return _coordinator_page(request, profile)


@role_required(*COACHES)
@require_POST
@once_per_form
def note_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    profile = _coached(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            domain.add_note(profile, text=data["text"], internal=data["internal"], by=request.user)
        except CoachingRefused as refusal:
            refuse_into(form, refusal, field=refusal.field)
        else:
            messages.success(request, _("De notitie is opgeslagen."))
            return redirect("coaching:coordinator", pk=profile.pk)
    return _coordinator_page(request, profile, note_form=form, status=400)


@role_required(*COACHES)
@require_POST
def vog_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """ "VOG vastleggen"."""
    profile = _coached(request, pk)
    form = VogForm(request.POST)
    if form.is_valid():
        try:
            domain.record_vog(profile, issued_on=form.cleaned_data["issued_on"], by=request.user)
        except CoachingRefused as refusal:
            refuse_into(form, refusal, field=refusal.field)
        else:
            messages.success(request, _("De nieuwe VOG is vastgelegd."))
            return redirect("coaching:coordinator", pk=profile.pk)
    return _coordinator_page(request, profile, vog_form=form, status=400)


# ---------- The coordinator's own overview ----------


def _own_page(
    request: AuthenticatedHttpRequest,
    *,
    form: DeclarationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    profile = CoordinatorProfile.objects.filter(user=request.user).select_related("user").first()
    context: dict[str, Any] = {"declaration_form": form or DeclarationForm(), "coaching": False}
    if profile is not None:
        context["view"] = overview(profile, timezone.localdate())
        context["notes"] = domain.notes_for(request.user, profile)
    return render(request, "coaching/my_overview.html", context, status=status)


@role_required(Role.COORDINATOR)
def my_overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _own_page(request)


@role_required(Role.COORDINATOR)
@require_POST
def declaration_renew(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DeclarationForm(request.POST)
    profile = CoordinatorProfile.objects.filter(user=request.user).first()
    if profile is None:
        messages.error(request, _("Je hebt nog geen profiel. Vul eerst je profiel in."))
        return redirect("coordinators:my_profile")
    if form.is_valid():
        try:
            domain.renew_declaration(profile, by=request.user)
        except CoachingRefused as refusal:
            refuse_into(form, refusal, field=refusal.field)
        else:
            messages.success(request, _("Je onafhankelijkheidsverklaring is vernieuwd."))
            return redirect("coaching:my_overview")
    return _own_page(request, form=form, status=400)


# ---------- Meetings ----------


def _plannable_regions(request: AuthenticatedHttpRequest) -> QuerySet[Region]:
    return Region.objects.all() if request.user.is_office else request.user.regions.all()


@role_required(*COACHES)
@once_per_form
def meetings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upcoming and past meetings of the manager's regions and the study days; planning."""
    form = MeetingForm(
        request.POST or None,
        regions=_plannable_regions(request),
        office=request.user.is_office,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = domain.plan_meeting(
                    kind=data["kind"],
                    region=data["region"],
                    starts_at=data["starts_at"],
                    place=data["place"],
                    topic=data["topic"],
                    by=request.user,
                )
            except CoachingRefused as refusal:
                refuse_into(form, refusal, field=refusal.field)
            else:
                messages.success(
                    request, _("De bijeenkomst is gepland. Nodig nu de coördinatoren uit.")
                )
                return redirect("coaching:meeting", pk=meeting.pk)
        status = 400
    now = timezone.now()
    listed = domain.meetings_for(request.user)
    context = {
        "form": form,
        "upcoming": listed.filter(starts_at__gte=now).order_by("starts_at", "pk")[:50],
        "past": listed.filter(starts_at__lt=now)[:50],
        "managed": {m.pk for m in listed[:200] if domain.manages_meeting(request.user, m)},
    }
    return render(request, "coaching/meetings.html", context, status=status)


def _managed(request: AuthenticatedHttpRequest, pk: int) -> Meeting:
    """A meeting this user manages; any other (another region's, or a study day for a
    manager) is 404."""
    found = domain.meetings_for(request.user).filter(pk=pk).first()
    if found is None or not domain.manages_meeting(request.user, found):
        access.deny(request, object_type="meeting", object_id=pk)
    return found


def _invitations(meeting: Meeting) -> QuerySet[MeetingInvitation]:
    return meeting.invitations.select_related("profile__user").order_by(
        "profile__user__last_name", "profile__user__first_name", "pk"
    )


def _meeting_page(
    request: AuthenticatedHttpRequest,
    meeting: Meeting,
    *,
    status: int = 200,
    **bound: BaseForm,
) -> HttpResponse:
    """The meeting's page; ``bound`` holds a form posted back with its errors (by its name
    on the page), the other forms are fresh (attendance only once the meeting began)."""
    invitations = _invitations(meeting)
    started = meeting.starts_at <= timezone.now()
    cancelled = meeting.cancelled_at is not None
    fresh: dict[str, Callable[[], BaseForm | None]] = {
        "attendance_form": lambda: (
            AttendanceForm(
                invitations=invitations,
                initial={"present": [inv.pk for inv in invitations if inv.attended]},
            )
            if started and not cancelled
            else None
        ),
        "move_form": lambda: MeetingMoveForm(
            initial={"starts_at": meeting.starts_at, "place": meeting.place}
        ),
        "cancel_form": lambda: MeetingCancelForm(),
    }
    context = {
        "meeting": meeting,
        "invitations": invitations,
        "started": started,
        "cancelled": cancelled,
        **{name: bound.get(name) or make() for name, make in fresh.items()},
        "not_invited": domain.invitees(meeting)
        .exclude(pk__in=meeting.invitations.values("profile_id"))
        .count(),
    }
    return render(request, "coaching/meeting.html", context, status=status)


@role_required(*COACHES)
def meeting(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, _managed(request, pk))


@role_required(*COACHES)
@require_POST
def meeting_invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _managed(request, pk)
    with refused(request, CoachingRefused) as refusal:
        invited = domain.invite(meeting, by=request.user)
    if not refusal:
        messages.success(request, _("%(n)s coördinator(en) uitgenodigd.") % {"n": invited})
    return redirect("coaching:meeting", pk=meeting.pk)


@role_required(*COACHES)
@require_POST
def meeting_attendance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _managed(request, pk)
    form = AttendanceForm(request.POST, invitations=_invitations(meeting))

    def record_present() -> None:
        present = [inv.pk for inv in form.cleaned_data["present"]]
        domain.record_attendance(meeting, present=present, by=request.user)

    done = _("De aanwezigheid is vastgelegd.")
    return _act_on_meeting(request, meeting, "attendance_form", form, record_present, done)


@role_required(*COACHES)
@require_POST
def meeting_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _managed(request, pk)
    form = MeetingMoveForm(request.POST)

    def move() -> int:
        return domain.move_meeting(meeting, **form.cleaned_data, by=request.user)

    done = _("Verplaatst. %(n)s coördinator(en) krijgen bericht.")
    return _act_on_meeting(request, meeting, "move_form", form, move, done)


@role_required(*COACHES)
@require_POST
def meeting_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _managed(request, pk)
    form = MeetingCancelForm(request.POST)

    def cancel() -> int:
        return domain.cancel_meeting(meeting, reason=form.cleaned_data["reason"], by=request.user)

    done = _("Afgelast. %(n)s coördinator(en) krijgen bericht.")
    return _act_on_meeting(request, meeting, "cancel_form", form, cancel, done)


def _act_on_meeting(
    request: AuthenticatedHttpRequest,
    meeting: Meeting,
    form_name: str,
    form: BaseForm,
    act: Callable[[], int | None],
    done: str,
) -> HttpResponse:
    """A meeting's form posted: the action runs on the valid form (its count, if any, goes
    into the message ``done``); otherwise, or when the action refuses, the page comes back
    with the form, the refusal next to its field (400)."""
    if form.is_valid():
        try:
            told = act()
        except CoachingRefused as refusal:
            refuse_into(form, refusal, field=refusal.field)
        else:
            messages.success(request, done % {"n": told} if told is not None else done)
            return redirect("coaching:meeting", pk=meeting.pk)
    return _meeting_page(request, meeting, status=400, **{form_name: form})


@role_required(Role.COORDINATOR)
def my_meetings(request: AuthenticatedHttpRequest) -> HttpResponse:
    invitations = (
        MeetingInvitation.objects.filter(profile__user=request.user)
        .select_related("meeting__region")
        .order_by("-meeting__starts_at", "-pk")[:50]
    )
    now = timezone.now()
    rows = [
        (inv, inv.meeting.starts_at > now and inv.meeting.cancelled_at is None)
        for inv in invitations
    ]
    return render(request, "coaching/my_meetings.html", {"rows": rows})


@role_required(Role.COORDINATOR)
@require_POST
def invitation_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invitations = MeetingInvitation.objects.select_related("meeting", "profile")
    invitation = access.own(request, invitations, pk, owner="profile__user")
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies of je komt."))
        return redirect("coaching:my_meetings")
    with refused(request, CoachingRefused) as refusal:
        domain.answer(invitation, reply=form.cleaned_data["reply"], by=request.user)
    if not refusal:
        messages.success(request, _("Dank je, je antwoord is doorgegeven."))
    return redirect("coaching:my_meetings")
