from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "Platform core"

    def ready(self) -> None:
        from .converters import DatabaseIdConverter  # noqa: F401  (registers <id:...> in URLs)
