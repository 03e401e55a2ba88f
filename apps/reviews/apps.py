from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "apps.reviews"
    label = "reviews"
    verbose_name = "Peer review cycle"

    def ready(self) -> None:
        from apps.frameworks.presenters import register_usage_source

        from .selectors import key_question_uses

        register_usage_source(key_question_uses)
