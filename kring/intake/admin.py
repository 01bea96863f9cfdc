from django.contrib import admin
from django.http import HttpRequest

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
    readonly_fields = ["reference", "submitted_at", "consent_at", "region"]

    # A request opens its case (intake.domain.submit_request); neither is made or removed here.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
