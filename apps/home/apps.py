from django.apps import AppConfig


class HomeConfig(AppConfig):
    """Pages on top of every domain app: the home page ("what needs you now") and the
    directory of schools, which shows each school's partnerships to those who may see them."""

    name = "apps.home"
    label = "home"
    verbose_name = "Home page and directory"
