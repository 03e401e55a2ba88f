"""Background tasks: thin wrappers around services, taking primary keys only."""

from django_tasks import task

from . import services


@task()
def run_import_job(job_id: int) -> str:
    return services.run_import_job(job_id).status
