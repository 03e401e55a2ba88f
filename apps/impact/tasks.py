"""Background tasks: thin wrappers around services, taking primary keys only."""

from django_tasks import task

from . import services


@task()
def run_outcome_import(job_id: int) -> str:
    return services.run_outcome_import(job_id).status


@task()
def run_analysis(analysis_id: int) -> str:
    return services.run_analysis(analysis_id).status
