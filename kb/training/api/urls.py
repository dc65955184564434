"""Training routes under /api/v1/ (CONTRACT §11).

``articles/<id>/acknowledge/`` and ``articles/<id>/quiz/`` sit under the articles prefix but are
served here: the articles router's patterns are anchored, so these fall through to us (tested).
"""

from django.urls import path

from kb.training.api import views

app_name = "training-api"
urlpatterns = [
    path("reading-lists/", views.ReadingListCollection.as_view(), name="reading-lists"),
    path("reading-lists/<int:pk>/", views.ReadingListDetail.as_view(), name="reading-list"),
    path("assignments/", views.AssignmentCollection.as_view(), name="assignments"),
    path("assignments/<int:pk>/", views.AssignmentDetail.as_view(), name="assignment"),
    path("assignments/<int:pk>/progress/", views.AssignmentProgress.as_view(), name="assignment-progress"),
    path("me/reading/", views.MyReading.as_view(), name="my-reading"),
    path("articles/<int:pk>/acknowledge/", views.Acknowledge.as_view(), name="acknowledge"),
    path("articles/<int:pk>/quiz/", views.ArticleQuiz.as_view(), name="quiz"),
    path("articles/<int:pk>/quiz/attempts/", views.QuizAttempts.as_view(), name="quiz-attempts"),
]
