from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "apps.improvement"
    label = "improvement"
    verbose_name = "Improvement workshops, action plans and impact"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from apps.core.storage import delete_stored_file

        from .lifecycle import register
        from .models import ActionFile, PlanExport

        register()
        post_delete.connect(delete_stored_file("file"), sender=ActionFile, weak=False,
                            dispatch_uid="improvement.actionfile.delete_stored_file")
        post_delete.connect(delete_stored_file("pdf"), sender=PlanExport, weak=False,
                            dispatch_uid="improvement.planexport.delete_stored_file")
