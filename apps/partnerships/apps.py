from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "apps.partnerships"
    label = "partnerships"
    verbose_name = "Partnerships"
