from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from rest_framework.authtoken.admin import TokenAdmin as BaseTokenAdmin
from rest_framework.authtoken.models import TokenProxy

from accounts.audit import record_event
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

    def save_model(self, request, obj, form, change) -> None:
        old_role = User.objects.filter(pk=obj.pk).values_list("role", flat=True).first() if change else None
        # The role decides the Django-admin flags; they are never set by hand.
        obj.is_staff = obj.is_superuser = obj.role == "admin"
        super().save_model(request, obj, form, change)
        if change and old_role != obj.role:
            detail = f"{old_role} -> {obj.role}"
            record_event("role_change", actor=request.user, target=obj.username, detail=detail)

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


admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class TokenAdmin(BaseTokenAdmin):
    """Token creation and revocation land in the audit log (never the key itself)."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        record_event("token_created", actor=request.user, target=obj.user.username)

    def delete_model(self, request, obj) -> None:
        record_event("token_revoked", actor=request.user, target=obj.user.username)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for token in queryset.select_related("user"):
            record_event("token_revoked", actor=request.user, target=token.user.username)
        super().delete_queryset(request, queryset)
