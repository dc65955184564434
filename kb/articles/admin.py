"""Admin views of articles and their records: read-only, narrowed by ``visible_articles``.

Articles, versions, teams and tags change only through ``kb.articles.services`` (the editor pages
and the API), which write the change note, the audit event and the search outbox row. The admin shows
them and links to the kb page that changes them. Categories are the exception: their add, change and
delete here call the category services, as the API does.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin import AuditEventAdmin
from kb.articles import services
from kb.articles.access import visible_articles
from kb.articles.models import Article, Category, Publication, ReviewEvent, Tag
from kb.lib.admin import KbModelAdmin, ReadOnlyAdmin, actor
from kb.lib.errors import DomainError


class ArticleScopedAdmin(ReadOnlyAdmin):
    """Rows about articles the admin cannot see (other teams' restricted ones) do not exist here."""

    scoped = True

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).filter(article__in=visible_articles(request.user))


@admin.register(Category)
class CategoryAdmin(KbModelAdmin):
    """Saved through the category services, as the API saves them (the index follows a rename)."""

    list_display = ["code", "name", "parent"]
    search_fields = ["code", "name"]
    fields = ["code", "name", "description", "parent"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The code is permanent (the ticketing system relies on it) and names the parent.
        return ["code", "parent"] if obj is not None else ["parent"]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}  # bulk delete would skip the service's checks

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change:
            current = services.update_category(
                actor=actor(request),
                category=Category.objects.get(pk=obj.pk),
                name=data["name"],
                description=data.get("description", ""),
            )
        else:
            current = services.create_category(
                actor=actor(request),
                code=data["code"],
                name=data["name"],
                description=data.get("description", ""),
            )
        obj.pk, obj.parent_id = current.pk, current.parent_id
        obj._state.adding = False

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.delete_category(actor=actor(request), category=obj)

    def get_deleted_objects(
        self, objs: Any, request: HttpRequest
    ) -> tuple[list[Any], dict[str, int], set[str], list[Any]]:
        # Django would list every related row, titles of hidden articles included; the service refuses
        # a category that still files articles, so the category alone is what a delete removes.
        return [str(o) for o in objs], {"categories": len(objs)}, set(), []

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().changeform_view(request, *args, **kwargs)
        except DomainError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:articles_category_change", args=[object_id]))


@admin.register(Tag)
class TagAdmin(ReadOnlyAdmin):
    """Tags exist through the versions that carry them; only those on visible articles are listed."""

    scoped = True
    search_fields = ["name"]

    def get_queryset(self, request: HttpRequest) -> Any:
        visible = visible_articles(request.user)
        return (
            super().get_queryset(request).filter(pk__in=Tag.objects.filter(articles__in=visible).values("pk"))
        )


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """View only, history included; simple-history's revert is off (kb's revert is a new version)."""

    scoped = True
    list_display = ["title", "kind", "status", "version", "published_version", "owner"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "slug"]
    list_select_related = ["owner"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return visible_articles(request.user).select_related("owner")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        opts = Article._meta
        return ["kb_page", *[f.name for f in opts.fields], *[f.name for f in opts.many_to_many]]

    @admin.display(description="Change it in kb")
    def kb_page(self, obj: Article) -> str:
        if obj.pk is None:
            return ""
        return format_html(
            '<a href="{}">Edit, publish, revert or change teams</a>',
            reverse("articles:edit", args=[obj.slug]),
        )

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def _require_visible(self, request: HttpRequest, object_id: str) -> None:
        try:
            found = self.get_queryset(request).filter(pk=object_id).exists()
        except (ValueError, TypeError, OverflowError):
            found = False
        if not found:
            raise Http404("No such article.")

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        self._require_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        """One version, shown read-only; a POST (simple-history's revert) is refused, never saved."""
        self._require_visible(request, object_id)
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Publication)
class PublicationAdmin(ArticleScopedAdmin):
    list_display = ["article", "version", "material", "actor", "created_at"]
    list_select_related = ["article", "actor"]


@admin.register(ReviewEvent)
class ReviewEventAdmin(ArticleScopedAdmin):
    list_display = ["article", "version", "action", "actor", "created_at"]
    list_filter = ["action"]
    list_select_related = ["article", "actor"]


# Audit events about an article exist for those who may see the article.
AuditEventAdmin.register_scope("article", visible_articles)
