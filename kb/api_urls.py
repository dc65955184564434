"""REST API v1 (CONTRACT §6–§11): every app contributes its routes."""

from django.urls import include, path

urlpatterns = [
    path("", include("kb.articles.api.urls")),
    path("", include("kb.search.api.urls")),
    path("", include("kb.tickets.api.urls")),
    path("", include("kb.training.api.urls")),
    path("", include("kb.metrics.api.urls")),
]
