"""Search routes under /api/v1/ (CONTRACT §8)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from kb.search.api.views import SearchNotFoundView, SearchOpenedView, SearchView, SynonymViewSet

router = SimpleRouter()
router.register("synonyms", SynonymViewSet, basename="synonym")

urlpatterns = [
    path("search/", SearchView.as_view(), name="search"),
    path("search/<uuid:search_id>/opened/", SearchOpenedView.as_view(), name="search-opened"),
    path("search/<uuid:search_id>/not-found/", SearchNotFoundView.as_view(), name="search-not-found"),
    *router.urls,
]
