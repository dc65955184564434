from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "kb.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from kb.articles import events
        from kb.lib import ui
        from kb.search.outbox import enqueue

        events.register(enqueue)
        ui.register_nav("search", "Search", "search:page", order=5)
        ui.register_nav(
            "failed_searches", "Failed searches", "search:failed", visible=lambda u: u.sees_metrics, order=65
        )
