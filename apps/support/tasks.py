"""Background work of school-to-school support: thin wrappers taking primary keys only."""

from django_tasks import task

from . import matching


@task()
def refresh_match_texts(school_id: int) -> int:
    """Rebuild one school's texts for partner matching, embedding those that changed."""
    return matching.refresh_school(school_id)
