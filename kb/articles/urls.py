from django.urls import path

from kb.articles import views

app_name = "articles"
urlpatterns = [
    path("articles/", views.article_list, name="list"),
    path("articles/new/", views.article_create, name="create"),
    path("articles/preview/", views.article_preview, name="preview"),
    path("articles/<str:slug>/", views.article_detail, name="detail"),
    path("articles/<str:slug>/v/<int:version>/", views.article_version, name="version"),
    path("articles/<str:slug>/history/", views.article_history, name="history"),
    path("articles/<str:slug>/diff/", views.article_diff, name="diff"),
    path("articles/<str:slug>/edit/", views.article_edit, name="edit"),
    path("articles/<str:slug>/<str:action>/", views.article_action, name="action"),
    path("categories/", views.category_list, name="categories"),
    path("categories/<str:code>/", views.category_detail, name="category"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/stale/", views.stale_list, name="stale"),
]
