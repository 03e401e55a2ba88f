from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "apps.schools"
    label = "schools"
    verbose_name = "Schools register"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from apps.core.storage import delete_stored_file

        from .models import ImportJob

        post_delete.connect(delete_stored_file("file"), sender=ImportJob, weak=False,
                            dispatch_uid="schools.importjob.delete_stored_file")
