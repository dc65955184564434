from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "kb.training"
    label = "training"
    verbose_name = "Training"

    def ready(self) -> None:
        """Add My reading / Training to the navigation, the reading banner and the acknowledge panel."""
        from kb.lib import ui
        from kb.training import views

        ui.register_nav("my_reading", "My reading", "training:my_reading", order=40)
        ui.register_nav(
            "training", "Training", "training:dashboard", visible=lambda user: user.is_trainer, order=60
        )
        ui.register_banner(views.reading_banner)
        ui.register_article_panel("training", views.acknowledge_panel)
