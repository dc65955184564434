from django.urls import path

from kb.search import views

app_name = "search"
urlpatterns = [
    path("search/", views.search_page, name="page"),
    path("search/suggest/", views.suggest, name="suggest"),
    path("search/open/<uuid:search_id>/<int:article_id>/", views.open_result, name="open"),
    path("search/<uuid:search_id>/not-found/", views.not_found, name="not_found"),
    path("search/failed/", views.failed, name="failed"),
    path("search/synonyms/", views.synonyms, name="synonyms"),
    path("search/synonyms/<int:pk>/delete/", views.synonym_delete, name="synonym_delete"),
]
