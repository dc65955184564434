from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "kb.metrics"
    label = "metrics"
    verbose_name = "Metrics"
