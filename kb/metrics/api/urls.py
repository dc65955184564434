from django.urls import path

from kb.metrics.api import views

urlpatterns = [
    path("metrics/summary/", views.SummaryView.as_view(), name="api-metrics-summary"),
    path("metrics/articles/", views.ArticlesView.as_view(), name="api-metrics-articles"),
    path("metrics/categories/", views.CategoriesView.as_view(), name="api-metrics-categories"),
    path("metrics/participation/", views.ParticipationView.as_view(), name="api-metrics-participation"),
    path("metrics/review-queue/", views.ReviewQueueView.as_view(), name="api-metrics-review-queue"),
    path("metrics/failed-searches/", views.FailedSearchesView.as_view(), name="api-metrics-failed-searches"),
]
