from django.contrib import admin

from kring.coordinators.forms import MatchingWeightsForm
from kring.coordinators.models import (
    Affiliation,
    CoordinatorProfile,
    Language,
    MatchingWeights,
    Offer,
    Unavailability,
)


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "name_nl", "name_en"]
    search_fields = ["code", "name_nl", "name_en"]


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["organisation"]


class UnavailabilityInline(admin.TabularInline):
    model = Unavailability
    extra = 0


@admin.register(CoordinatorProfile)
class CoordinatorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "status", "home_postcode", "load", "max_cases", "vog_issued_on"]
    list_filter = ["status", "regions"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    filter_horizontal = ["languages", "regions"]
    raw_id_fields = ["user", "home_postcode"]
    # The status follows the training's steps and the pause/resume/stop actions (logged).
    readonly_fields = ["load", "status"]
    inlines = [AffiliationInline, UnavailabilityInline]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    """Offers change only through the offer flow (and are logged); the admin only reads."""

    list_display = ["case", "profile", "status", "offered_at", "answer_due"]
    list_filter = ["status"]
    list_select_related = ["case__request", "profile__user"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(MatchingWeights)
class MatchingWeightsAdmin(admin.ModelAdmin):
    form = MatchingWeightsForm
    list_display = ["__str__", "updated_at"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return not MatchingWeights.objects.exists()
