from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "kb.tickets"
    label = "tickets"
    verbose_name = "Tickets"
