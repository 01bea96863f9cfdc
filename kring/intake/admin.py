from django.contrib import admin

from kring.intake.models import MainPerson, Request


class MainPersonInline(admin.TabularInline):
    model = MainPerson
    extra = 0


@admin.register(Request)
class RequestAdmin(admin.ModelAdmin):
    list_display = ["reference", "submitted_at", "channel", "variant", "region"]
    list_filter = ["channel", "variant", "region"]
    search_fields = ["reference"]
    inlines = [MainPersonInline]
    readonly_fields = ["reference", "submitted_at", "consent_at"]
