from django.urls import path

from kb.tickets import views

app_name = "tickets"
urlpatterns = [
    path("tickets/", views.ticket_lookup, name="lookup"),
    path("tickets/panel/<int:article_id>/use/", views.panel_use, name="panel_use"),
    path("tickets/panel/<int:article_id>/feedback/", views.panel_feedback, name="panel_feedback"),
    path("tickets/panel/<int:article_id>/flag/", views.panel_flag, name="panel_flag"),
    path("tickets/<str:external_id>/", views.ticket_detail, name="detail"),
    path("flags/", views.flag_queue, name="flags"),
    path("flags/<int:flag_id>/close/", views.flag_close, name="flag_close"),
    path("panel/suggest/", views.suggest_panel, name="suggest_panel"),
]
