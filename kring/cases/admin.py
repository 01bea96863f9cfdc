from django.contrib import admin
from django.http import HttpRequest

from kring.cases.models import Case


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-mostly: the course, region and coordinator change only through the domain
    functions (and are logged); cases are opened by a request and never deleted here."""

    list_display = ["__str__", "region", "variant", "status", "opened_at"]
    list_filter = ["status", "variant", "region"]
    list_select_related = ["request", "region"]
    readonly_fields = [
        "request",
        "status",
        "stop_reason",
        "region",
        "coordinator",
        "opened_at",
        "status_changed_at",
        "first_contact_at",
        "started_at",
        "closed_at",
    ]
    search_fields = ["request__reference"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
