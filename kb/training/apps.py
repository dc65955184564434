from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "kb.training"
    label = "training"
    verbose_name = "Training"
