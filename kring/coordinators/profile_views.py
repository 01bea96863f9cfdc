"""The coordinator's own profile, and the pool of coordinators that managers keep up to date."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
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
from kring.coordinators.models import CoordinatorProfile, Offer, OfferStatus, Unavailability
from kring.coordinators.profile_forms import (
    MyProfileForm,
    PoolFilterForm,
    ProfileEditForm,
    UnavailabilityForm,
)
from kring.lib.http import AuthenticatedHttpRequest, role_required
from kring.lib.seen import (
    SavedElsewhere,
    changed_fields,
    differences,
    form_digest,
    saved_since_shown,
    typed_again,
)

POOL_PAGE_SIZE = 50
VOG_WARNING_DAYS = 30


def vog_state(profile: CoordinatorProfile, today: date) -> str:
    """'missing', 'expired', 'soon' (within 30 days) or 'ok'."""
    return validity_state(profile.vog_valid_until(), today)


def independence_state(profile: CoordinatorProfile, today: date) -> str:
    """The yearly independence declaration, in the same terms as the VOG."""
    return validity_state(profile.independence_valid_until(), today)


def validity_state(until: date | None, today: date) -> str:
    if until is None:
        return "missing"
    if until < today:
        return "expired"
    return "soon" if until <= today + timedelta(days=VOG_WARNING_DAYS) else "ok"


# --- The coordinator's own page -------------------------------------------------------------


def _own_profile(request: AuthenticatedHttpRequest) -> CoordinatorProfile:
    """The coordinator's profile. A first visit shows an empty one (a GET writes nothing);
    the first save makes it."""
    profile = CoordinatorProfile.objects.filter(user=request.user).first()
    if profile is None and request.method == "POST":
        profile, _created = CoordinatorProfile.objects.get_or_create(user=request.user)
    return profile or CoordinatorProfile(user=request.user)


def _save_own_profile(request: AuthenticatedHttpRequest, form: MyProfileForm) -> None:
    """Save the coordinator's own form, unless the profile changed after it was shown (the
    coordinator's other device): then ``SavedElsewhere``."""
    with transaction.atomic():
        locked = CoordinatorProfile.objects.select_for_update().get(pk=form.instance.pk)
        if saved_since_shown(form, MyProfileForm(instance=locked)):
            raise SavedElsewhere
        form.save()
        record(request.user, Action.PROFILE_UPDATED, obj=locked, fields=changed_fields(form))


@role_required(Role.COORDINATOR)
@once_per_form
def my_profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    profile = _own_profile(request)
    action = request.POST.get("action") if request.method == "POST" else None
    form = MyProfileForm(request.POST if action == "profile" else None, instance=profile)
    period_form = UnavailabilityForm(request.POST if action == "unavailability" else None)
    saved_elsewhere = None
    if action == "profile" and form.is_valid():
        try:
            _save_own_profile(request, form)
        except SavedElsewhere as refusal:
            stored = MyProfileForm(instance=_own_profile(request))
            form = typed_again(
                lambda data: MyProfileForm(data, instance=_own_profile(request)),
                request.POST,
                form_digest(stored),
                refusal,
            )
            saved_elsewhere = differences(stored, form)
        else:
            messages.success(request, _("Je profiel is opgeslagen."))
            return redirect("coordinators:my_profile")
    if action == "unavailability" and period_form.is_valid():
        period_form.instance.profile = profile
        period_form.save()
        messages.success(request, _("De periode is toegevoegd."))
        return redirect("coordinators:my_profile")
    profile = _own_profile(request) if saved_elsewhere is not None else profile
    today = timezone.localdate()
    context = {
        "profile": profile,
        "form": form,
        "period_form": period_form,
        "periods": profile.unavailabilities.filter(ends_on__gte=today) if profile.pk else [],
        "vog_state": vog_state(profile, today),
        "independence_state": independence_state(profile, today),
        # Offers declined as "ik ken dit gezin": by case, never the names.
        "declared_conflicts": (
            profile.declared_conflicts.select_related("case__request") if profile.pk else []
        ),
        "saved_elsewhere": saved_elsewhere,
    }
    status = 409 if saved_elsewhere is not None else 400 if request.method == "POST" else 200
    return render(request, "coordinators/my_profile.html", context, status=status)


@role_required(Role.COORDINATOR)
@require_POST
def unavailability_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    period = access.own(request, Unavailability.objects.all(), pk, owner="profile__user")
    period.delete()
    messages.success(request, _("De periode is verwijderd."))
    return redirect("coordinators:my_profile")


# --- The manager's pool ---------------------------------------------------------------------


def _filtered_pool(request: AuthenticatedHttpRequest, form: PoolFilterForm) -> QuerySet:
    profiles = CoordinatorProfile.objects.visible_to(request.user)
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("status"):
        profiles = profiles.filter(status=data["status"])
    if data.get("language"):
        # Any of the chosen languages; a language family counts all its varieties.
        speaks = CoordinatorProfile.languages.through.objects.filter(language__in=data["language"])
        profiles = profiles.filter(pk__in=speaks.values("coordinatorprofile_id"))
    for word in (data.get("q") or "").split():
        profiles = profiles.filter(
            Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word)
        )
    # An open offer is shown in the list (one subquery, not one per row).
    open_offer = Offer.objects.filter(profile=OuterRef("pk"), status=OfferStatus.OPEN)
    return (
        profiles.select_related("user", "home_postcode")
        .prefetch_related("languages")
        .annotate(has_open_offer=Exists(open_offer))
        .order_by("user__last_name", "user__first_name", "pk")
    )


@role_required(Role.MANAGER, Role.OFFICE)
def pool(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The coordinators of the manager's regions (office: all), with filters."""
    form = PoolFilterForm(request.GET or None)
    page = Paginator(_filtered_pool(request, form), POOL_PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    today = timezone.localdate()
    for profile in page.object_list:
        profile.vog_state = vog_state(profile, today)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "coordinators/pool.html", context)


def _choosable_regions(user: object) -> QuerySet[Region]:
    if getattr(user, "is_office", False):
        return Region.objects.all()
    return user.regions.all()  # type: ignore[attr-defined]


def _save_profile(
    request: AuthenticatedHttpRequest, form: ProfileEditForm, regions: QuerySet[Region]
) -> bool:
    """Save the manager's form; False when it is invalid, ``SavedElsewhere`` when the profile
    changed after the form was shown (the coordinator, a colleague, another window)."""
    with transaction.atomic():
        # The row lock makes the load we check against final: no offer can land meanwhile.
        locked = CoordinatorProfile.objects.select_for_update().get(pk=form.instance.pk)
        form.instance.load = locked.load
        if not form.is_valid():
            return False
        if saved_since_shown(form, ProfileEditForm(instance=locked, regions=regions)):
            raise SavedElsewhere
        profile = form.save()
        record(request.user, Action.PROFILE_UPDATED, obj=profile, fields=changed_fields(form))
    return True


@role_required(Role.MANAGER, Role.OFFICE)
def profile_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    profiles = CoordinatorProfile.objects.select_related("user", "home_postcode")
    profile = access.in_regions(request, profiles, pk, region="regions")
    regions = _choosable_regions(request.user)
    form = ProfileEditForm(request.POST or None, instance=profile, regions=regions)
    saved_elsewhere = None
    if request.method == "POST":
        try:
            if _save_profile(request, form, regions):
                messages.success(
                    request, _("Het profiel van %(name)s is opgeslagen.") % {"name": profile}
                )
                return redirect("coordinators:pool")
        except SavedElsewhere as refusal:
            profile = profiles.get(pk=profile.pk)
            stored = ProfileEditForm(instance=profile, regions=regions)
            form = typed_again(
                lambda data: ProfileEditForm(
                    data, instance=profiles.get(pk=profile.pk), regions=regions
                ),
                request.POST,
                form_digest(stored),
                refusal,
            )
            saved_elsewhere = differences(stored, form)
    today = timezone.localdate()
    context = {
        "profile": profile,
        "form": form,
        "vog_state": vog_state(profile, today),
        "saved_elsewhere": saved_elsewhere,
    }
    status = 409 if saved_elsewhere is not None else 400 if form.is_bound else 200
    return render(request, "coordinators/profile_edit.html", context, status=status)
