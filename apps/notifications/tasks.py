"""Background tasks: thin wrappers around services, for a scheduler that enqueues tasks
rather than running the management commands."""

from django_tasks import task

from . import services


@task()
def send_digests() -> int:
    return services.send_digests()


@task()
def send_reminders() -> int:
    return services.send_reminders()
