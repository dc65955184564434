from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "kb.articles"
    label = "articles"
    verbose_name = "Articles"
