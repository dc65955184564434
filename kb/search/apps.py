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
        self._forget_synonyms_on_change()
        ui.register_nav("search", "Search", "search:page", order=5)
        ui.register_nav(
            "failed_searches", "Failed searches", "search:failed", visible=lambda u: u.sees_metrics, order=65
        )

    @staticmethod
    def _forget_synonyms_on_change() -> None:
        """Any change to a synonym group clears this process's copy (other processes: within 10 s)."""
        from django.db.models.signals import post_delete, post_save

        from kb.search.models import Synonym
        from kb.search.selectors import forget_synonyms

        def forget(**_kwargs: object) -> None:
            forget_synonyms()

        post_save.connect(forget, sender=Synonym, weak=False, dispatch_uid="kb.search.synonyms.save")
        post_delete.connect(forget, sender=Synonym, weak=False, dispatch_uid="kb.search.synonyms.delete")
