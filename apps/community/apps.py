from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "apps.community"
    label = "community"
    verbose_name = "National community"
