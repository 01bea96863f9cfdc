from django.contrib import admin
from django.http import HttpRequest

from kring.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ["at", "actor", "actor_role", "action", "case", "outcome"]
    list_filter = ["action", "outcome", "actor_role"]
    date_hierarchy = "at"
    list_select_related = ["actor", "case"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
