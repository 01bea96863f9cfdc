from django.contrib import admin

from kring.cases.models import Case


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-mostly: the course changes only through the domain functions (and is logged)."""

    list_display = ["__str__", "region", "variant", "status", "opened_at"]
    list_filter = ["status", "variant", "region"]
    list_select_related = ["request", "region"]
    readonly_fields = [
        "request",
        "status",
        "stop_reason",
        "coordinator",
        "opened_at",
        "status_changed_at",
        "first_contact_at",
        "started_at",
        "closed_at",
    ]
    search_fields = ["request__reference"]
