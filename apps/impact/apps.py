from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "apps.impact"
    label = "impact"
    verbose_name = "Impact and evaluation"
