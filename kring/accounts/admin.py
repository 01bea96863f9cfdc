from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kring.accounts import second_factor
from kring.accounts.models import Organisation, Postcode, Region, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active", "regions"]
    search_fields = ["email", "first_name", "last_name"]
    filter_horizontal = ["regions", "groups", "user_permissions"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Persoon"), {"fields": ("first_name", "last_name", "phone")}),
        (_("Rol"), {"fields": ("role", "regions", "organisation")}),
        (_("Rechten"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Datums"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "role", "password1", "password2")}),
    )
    actions = ["reset_second_factor"]

    @admin.action(description=_("Tweede stap opnieuw laten instellen (telefoon kwijt)"))
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        # Removes app, recovery codes and passkeys; the user enrols again at next login.
        for user in queryset:
            second_factor.reset(user, by=request.user)  # type: ignore[arg-type]
        done = _("De tweede stap van %(count)d gebruiker(s) is gewist.") % {"count": len(queryset)}
        self.message_user(request, done, messages.SUCCESS)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "email"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin):
    list_display = ["pc4", "place", "province", "region"]
    list_filter = ["region"]
    search_fields = ["pc4", "place"]
    list_editable = ["region"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
