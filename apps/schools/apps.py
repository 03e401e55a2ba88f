from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "apps.schools"
    label = "schools"
    verbose_name = "Schools register"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from apps.core.storage import delete_stored_file

        from .models import ImportJob

        post_delete.connect(delete_stored_file("file"), sender=ImportJob, weak=False,
                            dispatch_uid="schools.importjob.delete_stored_file")

        from .models import School
        from .selectors import register_changed

        def _school_changed(sender, **kwargs):
            register_changed()

        for signal in (post_save, post_delete):
            signal.connect(_school_changed, sender=School, weak=False,
                           dispatch_uid=f"schools.school.register_changed.{signal is post_save}")
