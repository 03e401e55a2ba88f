from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "apps.support"
    label = "support"
    verbose_name = "School-to-school support"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (keeps partner matching's texts current)
