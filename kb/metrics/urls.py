from django.urls import path

from kb.metrics import views

app_name = "metrics"
urlpatterns = [
    path("metrics/", views.dashboard, name="dashboard"),
    path("metrics/articles/", views.article_list, name="articles"),
    path("metrics/articles/<int:pk>/", views.article_detail, name="article"),
    path("metrics/categories/", views.category_list, name="categories"),
    path("metrics/participation/", views.participation, name="participation"),
    path("metrics/review-queue/", views.review_queue, name="review_queue"),
    path("metrics/failed-searches/", views.failed_searches, name="failed_searches"),
    path("metrics/report/", views.daily_report, name="report"),
]
