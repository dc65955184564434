"""Read-only admin views of tickets and readers' signals; every change goes through the services."""

from django.contrib import admin

from kb.articles.access import visible_articles
from kb.tickets.models import Feedback, Flag, Resolution, Ticket


class ReadOnlyAdmin(admin.ModelAdmin):
    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ["external_id", "category", "status", "opened_at", "closed_at"]
    list_filter = ["status"]
    search_fields = ["external_id", "subject"]
    list_select_related = ["category"]


class ArticleScopedAdmin(ReadOnlyAdmin):
    """Rows about articles the admin cannot see (other teams' restricted ones) stay invisible here too."""

    def get_queryset(self, request):
        return super().get_queryset(request).filter(article__in=visible_articles(request.user))


@admin.register(Resolution)
class ResolutionAdmin(ArticleScopedAdmin):
    list_display = ["ticket", "article", "version", "outcome", "user", "created_at"]
    list_filter = ["outcome"]
    search_fields = ["ticket__external_id"]
    list_select_related = ["ticket", "article", "user"]


@admin.register(Feedback)
class FeedbackAdmin(ArticleScopedAdmin):
    list_display = ["article", "version", "user", "helpful", "updated_at"]
    list_filter = ["helpful"]
    list_select_related = ["article", "user"]


@admin.register(Flag)
class FlagAdmin(ArticleScopedAdmin):
    list_display = ["article", "version", "reason", "state", "raised_by", "created_at"]
    list_filter = ["state", "reason"]
    list_select_related = ["article", "raised_by"]
