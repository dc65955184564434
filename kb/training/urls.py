from django.urls import path

from kb.training import views

app_name = "training"
urlpatterns = [
    path("me/reading/", views.my_reading, name="my_reading"),
    path("training/", views.dashboard, name="dashboard"),
    path("training/ack/<int:article_id>/", views.acknowledge, name="acknowledge"),
    path("training/lists/new/", views.list_create, name="list_create"),
    path("training/lists/<int:pk>/", views.list_detail, name="list_detail"),
    path("training/lists/<int:pk>/items/", views.list_items, name="list_items"),
    path("training/lists/<int:pk>/delete/", views.list_delete, name="list_delete"),
    path("training/assign/", views.assign, name="assign"),
    path("training/assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("training/assignments/<int:pk>/delete/", views.assignment_delete, name="assignment_delete"),
    path("training/grid/", views.grid, name="grid"),
    path("training/quiz/<int:article_id>/", views.quiz, name="quiz"),
]
