"""Routes of the categories and articles API under /api/v1/ (CONTRACT §7)."""

from rest_framework.routers import SimpleRouter

from kb.articles.api.views import ArticleViewSet, CategoryViewSet

router = SimpleRouter()
router.register("categories", CategoryViewSet, basename="category")
router.register("articles", ArticleViewSet, basename="article")

urlpatterns = router.urls
