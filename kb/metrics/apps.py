from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "kb.metrics"
    label = "metrics"
    verbose_name = "Metrics"

    def ready(self) -> None:
        from kb.lib import ui

        ui.register_nav(
            "metrics", "Metrics", "metrics:dashboard", visible=lambda user: user.sees_metrics, order=60
        )
