from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

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


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
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
