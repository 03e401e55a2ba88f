from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "apps.resources"
    label = "resources"
    verbose_name = "Resources library"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from apps.core.storage import delete_stored_file

        from .models import ResourceFile

        post_delete.connect(delete_stored_file("file"), sender=ResourceFile, weak=False,
                            dispatch_uid="resources.resourcefile.delete_stored_file")
