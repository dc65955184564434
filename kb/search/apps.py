from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "kb.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from kb.articles import events
        from kb.search.outbox import enqueue

        events.register(enqueue)
