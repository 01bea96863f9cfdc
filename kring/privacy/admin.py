"""A legal hold is placed and lifted in the admin (a rare, legal decision by the functional
administrator); the records of removals and requests can only be read there."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kring.privacy.models import CasePurge, LegalHold, SubjectRequest


@admin.register(LegalHold)
class LegalHoldAdmin(admin.ModelAdmin[LegalHold]):
    list_display = ["case", "reason", "placed_at", "lifted_at"]
    raw_id_fields = ["case"]
    readonly_fields = ["placed_by", "placed_at"]

    def save_model(self, request: HttpRequest, obj: LegalHold, form: Any, change: bool) -> None:
        if not change:
            obj.placed_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request: HttpRequest, obj: LegalHold | None = None) -> bool:
        return False  # lifted, never deleted: the hold stays on record


class ReadOnlyAdmin[M: (CasePurge, SubjectRequest)](admin.ModelAdmin[M]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: M | None = None) -> bool:
        return False


@admin.register(CasePurge)
class CasePurgeAdmin(ReadOnlyAdmin[CasePurge]):
    list_display = ["case", "kind", "ground", "purged_at"]


@admin.register(SubjectRequest)
class SubjectRequestAdmin(ReadOnlyAdmin[SubjectRequest]):
    list_display = ["kind", "received_on", "due_on", "status", "done_at"]
