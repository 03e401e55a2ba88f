from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "apps.improvement"
    label = "improvement"
    verbose_name = "Improvement workshops, action plans and impact"

    def ready(self) -> None:
        from .lifecycle import register

        register()
