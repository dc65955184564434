"""Read-only admin views of tickets and readers' signals; every change goes through the services."""

from django.contrib import admin

from kb.articles.admin import ArticleScopedAdmin
from kb.lib.admin import ReadOnlyAdmin
from kb.tickets.models import Feedback, Flag, Resolution, Ticket


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ["external_id", "category", "status", "opened_at", "closed_at"]
    list_filter = ["status"]
    search_fields = ["external_id", "subject"]
    list_select_related = ["category"]


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
