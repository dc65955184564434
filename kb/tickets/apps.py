from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "kb.tickets"
    label = "tickets"
    verbose_name = "Tickets"

    def ready(self) -> None:
        from kb.articles import access
        from kb.lib import ui
        from kb.tickets.views import article_panel

        ui.register_article_panel("tickets", article_panel)
        ui.register_nav(
            "flags", "Flags", "tickets:flags", visible=lambda user: access.is_editor(user), order=70
        )
