from django.apps import AppConfig


def _is_editor(user) -> bool:
    from kb.articles.access import is_editor  # the app registry is not ready at import time

    return is_editor(user)


class ArticlesConfig(AppConfig):
    name = "kb.articles"
    label = "articles"
    verbose_name = "Articles"

    def ready(self) -> None:
        """Put the article pages in the site navigation (kb.lib.ui); editors also get review and stale."""
        from kb.lib import ui

        ui.register_nav("home", "Home", "home", order=0)
        ui.register_nav("articles", "Articles", "articles:list", order=10)
        ui.register_nav("categories", "Categories", "articles:categories", order=20)
        ui.register_nav("review", "Review queue", "articles:review_queue", visible=_is_editor, order=60)
        ui.register_nav("stale", "Stale", "articles:stale", visible=_is_editor, order=61)
