"""The Django admin, for platform administrators only. The audit log is read-only here too."""

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django_otp.admin import OTPAdminSite

from changemaker.core.models import AuditEvent, Council, Job, RoleAssignment, User, Ward

if not settings.DEBUG:
    # Outside development the admin needs two-factor sign-in.
    admin.site.__class__ = OTPAdminSite


class WardInline(admin.TabularInline):
    model = Ward
    extra = 0


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "is_default"]
    inlines = [WardInline]


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "is_active", "date_joined"]
    search_fields = ["name", "email"]
    exclude = ["password", "user_permissions", "groups"]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [RoleInline]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "council", "action", "object_type", "object_id"]
    list_filter = ["action", "council"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "created_at"]
    readonly_fields = [f.name for f in Job._meta.fields]
