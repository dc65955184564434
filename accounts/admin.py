from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import AuditEvent, Team, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "role", "is_active"]
    list_filter = ["role", "teams", "is_active"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        ("kb", {"fields": ["role", "teams"]}),
    ]
    filter_horizontal = ["teams", "groups", "user_permissions"]

    def has_module_permission(self, request) -> bool:
        return getattr(request.user, "is_kb_admin", False)

    has_view_permission = has_change_permission = has_add_permission = has_delete_permission = (
        lambda self, request, obj=None: getattr(request.user, "is_kb_admin", False)
    )


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "actor", "target", "ip"]
    list_filter = ["event"]
    readonly_fields = ["created_at", "event", "actor", "target", "detail", "ip"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
