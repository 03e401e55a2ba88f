from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "apps.notifications"
    label = "notifications"
    verbose_name = "Notifications and calendars"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (ends calendar feeds when a password changes)
