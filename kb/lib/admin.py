"""The kb admin site and the bases every kb ModelAdmin builds on (docs/versions.md, "The Django admin").

The admin is a window onto the data, not a second way to change it: the services own every write
of articles, versions, teams, categories, tags, roles and memberships (audit event, outbox row,
change note), and ``kb.articles.access`` decides what a user may see, here as on every other page.
Two holes of Django's own admin site are closed here: "Recent actions" shows the ``object_repr``
(an article's title) of every logged change, and ``/admin/r/<type>/<id>/`` redirects to any
object's page whoever asks. Both now ask the object's ModelAdmin whether the admin may see it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

if TYPE_CHECKING:
    from accounts.models import User


def actor(request: HttpRequest) -> User:
    """The signed-in admin (``admin_view`` already refused anyone else), as services take it."""
    return cast("User", request.user)


class KbAdminConfig(AdminConfig):
    """``django.contrib.admin`` with kb's site; this module is imported before models are ready, so
    the content-type imports below stay inside the methods."""

    default_site = "kb.lib.admin.KbAdminSite"


class KbModelAdmin(admin.ModelAdmin):
    """A row the admin may not see answers 404, exactly like a missing one.

    Django's admin answers a missing object with a redirect to the index; kb's rule elsewhere is a
    404 for both, and ``get_queryset`` (narrowed by the visibility rule) decides which is which.
    ``scoped = True`` marks admins whose ``get_queryset`` hides rows: the site then also hides their
    log entries and view-on-site redirects.
    """

    scoped = False
    # True where an object's str() is a secret (a token's key): its log entries are never listed.
    secret_repr = False

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("No such object.")
        return obj


class ReadOnlyAdmin(KbModelAdmin):
    """View only: these rows are written by the services (or by nobody)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class KbAdminSite(admin.AdminSite):
    site_header = "kb administration"
    site_title = "kb admin"

    def _scoped_admins(self) -> list[tuple[type, KbModelAdmin]]:
        return [(m, a) for m, a in self._registry.items() if getattr(a, "scoped", False)]  # type: ignore[misc]

    def get_log_entries(self, request: HttpRequest) -> QuerySet[Any]:
        """Recent actions: only entries about objects the admin may still see (titles are in them)."""
        from django.contrib.contenttypes.models import ContentType

        entries = super().get_log_entries(request)
        hidden = Q()
        for model, model_admin in self._registry.items():
            if getattr(model_admin, "secret_repr", False):
                hidden |= Q(content_type=ContentType.objects.get_for_model(model, for_concrete_model=False))
        for model, model_admin in self._scoped_admins():
            visible_ids = (
                model_admin.get_queryset(request)
                .order_by()
                .values(text_pk=Cast("pk", output_field=TextField()))
            )
            content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
            hidden |= Q(content_type=content_type) & ~Q(object_id__in=visible_ids)
        return entries.exclude(hidden) if hidden else entries

    def get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super().get_urls()
        view_on_site = path(
            "r/<path:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        return [view_on_site, *[u for u in urls if getattr(u, "name", None) != "view_on_site"]]

    def view_on_site(self, request: HttpRequest, content_type_id: str, object_id: str) -> HttpResponse:
        """Django's shortcut redirect, for objects of a registered admin that the admin may see."""
        from django.contrib.contenttypes import views as contenttype_views
        from django.contrib.contenttypes.models import ContentType

        try:
            model = ContentType.objects.get(pk=int(content_type_id)).model_class()
        except (ContentType.DoesNotExist, ValueError, OverflowError):
            raise Http404("No such object.") from None
        model_admin = self._registry.get(model) if model is not None else None  # type: ignore[arg-type]
        if model_admin is None:
            raise Http404("No such object.")
        try:
            exists = model_admin.get_queryset(request).filter(pk=object_id).exists()
        except (ValueError, TypeError, OverflowError):
            exists = False
        if not exists:
            raise Http404("No such object.")
        return contenttype_views.shortcut(request, content_type_id, object_id)
