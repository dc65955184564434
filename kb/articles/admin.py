from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kb.articles.access import visible_articles
from kb.articles.models import Article, Category, Publication, Tag


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent"]
    search_fields = ["code", "name"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    """Read-mostly: content changes go through the editor so versions, rendering and the outbox stay right."""

    list_display = ["title", "kind", "status", "version", "published_version", "owner"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "slug"]
    readonly_fields = [f.name for f in Article._meta.fields]
    filter_horizontal = ["teams"]

    def get_queryset(self, request):
        return visible_articles(request.user).select_related("owner")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["article", "version", "material", "actor", "created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(article__in=visible_articles(request.user))
