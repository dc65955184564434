"""URL map (CONTRACT §5). Each app owns its pages under its own namespace; the API lives in kb.api_urls."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from kb import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("accounts.urls")),
    path("", include("kb.articles.urls")),
    path("", include("kb.search.urls")),
    path("", include("kb.tickets.urls")),
    path("", include("kb.training.urls")),
    path("", include("kb.metrics.urls")),
    path("api/v1/", include("kb.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

# JSON under /api/, friendly pages elsewhere (kb/lib/error_views.py).
handler400 = "kb.lib.error_views.bad_request"
handler403 = "kb.lib.error_views.permission_denied"
handler404 = "kb.lib.error_views.page_not_found"
handler500 = "kb.lib.error_views.server_error"
