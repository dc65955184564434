"""Admin views of users, teams, tokens and the audit log.

Role and team membership change through ``accounts.services.upsert_user`` (the same path as
``adduser``; a role change is audited there); tokens are issued through ``issue_token``. Password
hashes and token keys are never shown. Teams are listed and added here but never renamed or deleted:
a team's name is how articles are restricted, and deleting it would make its articles public with
no search update. Users are deactivated, never deleted, so their history stays attributed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.db.models import Q, QuerySet, TextField, Value
from django.db.models.functions import Cast, Concat
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from rest_framework.authtoken.admin import TokenAdmin as BaseTokenAdmin
from rest_framework.authtoken.models import TokenProxy

from accounts.audit import record_event
from accounts.models import AuditEvent, Team, User
from accounts.services import ensure_teams, issue_token, upsert_user
from kb.lib.admin import KbModelAdmin, ReadOnlyAdmin, actor


class KbUserChangeForm(UserChangeForm):
    password = None  # type: ignore[assignment]  # not even its masked hash is shown

    def clean_teams(self) -> Any:
        teams = self.cleaned_data.get("teams")
        if self.instance.pk and not teams and self.instance.teams.exists():
            raise forms.ValidationError(
                "Keep at least one team: kb's account service changes teams, it does not clear them."
            )
        return teams


def _is_kb_admin(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_kb_admin", False))


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = KbUserChangeForm
    list_display = ["username", "email", "role", "is_active"]
    list_filter = ["role", "teams", "is_active"]
    fieldsets = [
        (None, {"fields": ["username", "password_status"]}),
        ("Personal info", {"fields": ["first_name", "last_name", "email"]}),
        ("kb", {"fields": ["role", "teams", "is_active"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "usable_password", "password1", "password2"]}),
        ("kb", {"fields": ["role", "teams", "email"]}),
    ]
    readonly_fields = ["password_status", "last_login", "date_joined"]
    filter_horizontal = ["teams"]

    @admin.display(description="Password")
    def password_status(self, obj: User) -> str:
        if obj.pk is None:
            return ""
        state = "set" if obj.has_usable_password() else "not set (sign-in by identity provider or token)"
        url = reverse("admin:auth_user_password_change", args=[obj.pk])
        return format_html('{} — <a href="{}">set a new password</a>', state, url)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        team_names = [t.name for t in data.get("teams") or []]
        if change:
            # Name, e-mail and active are the person's profile; role and teams belong to the service.
            profile = [
                f
                for f in form.changed_data
                if f in ("username", "first_name", "last_name", "email", "is_active")
            ]
            if profile:
                obj.save(update_fields=profile)
            upsert_user(username=obj.username, role=data["role"], teams=team_names, actor=actor(request))
        else:
            password = data.get("password1") if data.get("usable_password", "true") != "false" else None
            user, _ = upsert_user(
                username=data["username"],
                role=data["role"],
                teams=team_names,
                email=data.get("email") or "",
                password=password or None,
                actor=actor(request),
            )
            obj.pk = user.pk
            obj._state.adding = False
        obj.refresh_from_db()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        form.cleaned_data.pop("teams", None)  # set by upsert_user in save_model
        super().save_related(request, form, formsets, change)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_kb_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_kb_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_kb_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_kb_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Team)
class TeamAdmin(KbModelAdmin):
    search_fields = ["name"]
    fields = ["name"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["name"] if obj is not None else []

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        (team,) = ensure_teams([form.cleaned_data["name"]])
        obj.pk = team.pk
        obj._state.adding = False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit log, without the events about objects the admin may not see.

    An event names its object in ``target`` as ``<kind>:<id>``. Apps above accounts register, per
    kind, the queryset of objects a user may see (``register_scope``): dependencies run one way.
    """

    scoped = True
    list_display = ["created_at", "event", "actor", "target", "ip"]
    list_filter = ["event"]
    readonly_fields = ["created_at", "event", "actor", "target", "detail", "ip"]
    scopes: ClassVar[dict[str, Callable[[Any], QuerySet[Any]]]] = {}

    @classmethod
    def register_scope(cls, kind: str, visible: Callable[[Any], QuerySet[Any]]) -> None:
        cls.scopes[kind] = visible

    def get_queryset(self, request: HttpRequest) -> Any:
        qs = super().get_queryset(request)
        for kind, visible in self.scopes.items():
            prefix = f"{kind}:"
            targets = (
                visible(request.user)
                .order_by()
                .values(
                    target=Concat(
                        Value(prefix), Cast("pk", output_field=TextField()), output_field=TextField()
                    )
                )
            )
            qs = qs.exclude(Q(target__startswith=prefix) & ~Q(target__in=targets))
        return qs


admin.site.unregister(TokenProxy)
# A token's text is its key: page titles, breadcrumbs and the admin's log (LogEntry.object_repr)
# print an object's str(). The admin's proxy of it prints its owner instead.
TokenProxy.__str__ = lambda self: f"API token of {self.user}"  # type: ignore[method-assign,assignment,attr-defined]


@admin.register(TokenProxy)
class TokenAdmin(BaseTokenAdmin):
    """Tokens are issued through ``issue_token`` and listed without their keys."""

    list_display = ("user", "created")
    secret_repr = True  # entries logged before the str() below carry the key in object_repr

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.key = issue_token(user=obj.user, actor=actor(request))
        obj._state.adding = False

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        record_event("token_revoked", actor=actor(request), target=obj.user.username)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for token in queryset.select_related("user"):
            record_event("token_revoked", actor=actor(request), target=token.user.username)
        super().delete_queryset(request, queryset)
