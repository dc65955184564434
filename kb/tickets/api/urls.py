"""Tickets API routes. The article-scoped ones are explicit paths so no articles router can swallow them."""

from django.urls import path

from kb.tickets.api import views

urlpatterns = [
    path("tickets/<str:external_id>/", views.TicketDetail.as_view(), name="api-ticket-detail"),
    path("resolutions/", views.ResolutionCreate.as_view(), name="api-resolutions"),
    path("suggest/", views.Suggest.as_view(), name="api-suggest"),
    path("articles/<int:pk>/feedback/", views.ArticleFeedback.as_view(), name="api-article-feedback"),
    path("articles/<int:pk>/flags/", views.ArticleFlags.as_view(), name="api-article-flags"),
    path("flags/", views.FlagList.as_view(), name="api-flags"),
    path("flags/<int:pk>/close/", views.FlagClose.as_view(), name="api-flag-close"),
]
