"""The admin at /beheer/: the superuser with a second factor only, and every look logged.

Django's admin is kept (no library replaces it); two things are added around it:

- ``KringAdminSite.has_permission`` asks for a superuser whose session passed the second
  factor (django-otp's ``is_verified``, set by its ``OTPMiddleware``). Everyone else is sent
  to Kring's own login, which asks for the second factor. (django-otp's ``OTPAdminSite`` does
  the second-factor half, but brings its own login form with a token field beside ours.)
- Every ModelAdmin registered on the site gets ``AuditedAdmin`` mixed in, so each list, each
  opened object, each change and delete writes a log row (with the case when the object
  belongs to one), and changes of a user's role or rights are logged as such.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url

from kring.audit.log import record
from kring.audit.models import Action

# Fields of a user that decide what they may see: a change is a role change.
PRIVILEGES = ("role", "regions", "organisation", "is_active", "is_staff", "is_superuser")


def case_of(obj: models.Model | None) -> Any:
    """The case an object belongs to (itself, its ``case``, or its request's case), or None."""
    from kring.cases.models import Case

    for path in ((), ("case",), ("request", "case")):
        found: Any = obj
        try:
            for name in path:
                found = getattr(found, name, None)
        except ObjectDoesNotExist:
            continue
        if isinstance(found, Case):
            return found
    return None


def _model_name(model_admin: admin.ModelAdmin[Any]) -> str:
    return str(model_admin.model._meta.label_lower)


class AuditedAdmin(admin.ModelAdmin[Any]):
    """Logs what the admin shows and changes, like every other page of Kring."""

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        record(request.user, Action.ADMIN_VIEWED, model=_model_name(self), query=request.GET.dict())  # type: ignore[arg-type]
        return super().changelist_view(request, extra_context)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: Any = None,
    ) -> HttpResponse:
        if object_id is not None and request.method == "GET":
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                record(request.user, Action.ADMIN_VIEWED, case=case_of(obj), obj=obj)  # type: ignore[arg-type]
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        changed = list(form.changed_data)
        roles = [name for name in changed if name in PRIVILEGES] if self._is_user() else []
        if roles:
            before = {name: str(form.initial.get(name)) for name in roles}
            after = {name: str(form.cleaned_data.get(name)) for name in roles}
            record(request.user, Action.ROLE_CHANGED, obj=obj, before=before, after=after)  # type: ignore[arg-type]
        action = "changed" if change else "added"
        record(request.user, Action.ADMIN_CHANGED, case=case_of(obj), obj=obj, **{action: changed})  # type: ignore[arg-type]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        inlines = [formset.prefix for formset in formsets if formset.has_changed()]
        if inlines:
            obj = form.instance
            record(request.user, Action.ADMIN_CHANGED, case=case_of(obj), obj=obj, inlines=inlines)  # type: ignore[arg-type]

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        record(request.user, Action.ADMIN_CHANGED, case=case_of(obj), obj=obj, deleted=True)  # type: ignore[arg-type]
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            record(request.user, Action.ADMIN_CHANGED, case=case_of(obj), obj=obj, deleted=True)  # type: ignore[arg-type]
        super().delete_queryset(request, queryset)

    def _is_user(self) -> bool:
        from django.contrib.auth import get_user_model

        return self.model is get_user_model()


class KringAdminSite(admin.AdminSite):
    site_header = "Kring — beheer"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        verified = getattr(user, "is_verified", None)
        return bool(user.is_active and user.is_superuser and verified is not None and verified())

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # Kring's own login (with the second factor), then back here.
        target = request.GET.get("next") or request.get_full_path()
        query = urlencode({"next": target})
        return HttpResponseRedirect(f"{resolve_url('accounts:login')}?{query}")

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        base = admin_class or admin.ModelAdmin
        if not issubclass(base, AuditedAdmin):
            base = type(base.__name__, (AuditedAdmin, base), {"__module__": base.__module__})
        super().register(model_or_iterable, base, **options)
