from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "apps.reviews"
    label = "reviews"
    verbose_name = "Peer review cycle"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from apps.core.storage import delete_stored_file
        from apps.frameworks.presenters import register_usage_source

        from .models import Report, ReviewFile
        from .selectors import key_question_uses

        register_usage_source(key_question_uses)
        post_delete.connect(delete_stored_file("file"), sender=ReviewFile, weak=False,
                            dispatch_uid="reviews.reviewfile.delete_stored_file")
        post_delete.connect(delete_stored_file("pdf"), sender=Report, weak=False,
                            dispatch_uid="reviews.report.delete_stored_file")
