import pytest

from apps.allocation.models import AllocationRun
from apps.core import jobs
from apps.core.jobs import JobState
from apps.impact.models import Analysis, OutcomeImport
from apps.improvement.models import PlanExport
from apps.reviews.models import Report
from apps.schools.models import ImportJob
from tests.factories import ImportJobFactory


def _choices(model, field):
    return list(model._meta.get_field(field).choices)


def test_stored_values_and_labels_are_those_the_jobs_had_before():
    assert list(JobState.values) == ["queued", "running", "done", "failed"]
    # Each page keeps the words it showed.
    assert _choices(ImportJob, "status") == [
        ("queued", "Waiting to start"), ("running", "Importing"), ("done", "Finished"),
        ("failed", "Failed")]
    for model in (OutcomeImport, Analysis):
        assert _choices(model, "status") == [
            ("queued", "Waiting to start"), ("running", "Running"), ("done", "Finished"),
            ("failed", "Failed")]
    assert _choices(AllocationRun, "state") == [
        ("queued", "Waiting to start"), ("running", "Running"), ("done", "Done"),
        ("failed", "Failed")]
    assert PlanExport._meta.get_field("status").default == "queued"
    # The old names still work.
    assert ImportJob.Status.DONE == AllocationRun.State.DONE == Analysis.Status.DONE == "done"


def test_labelled_refuses_a_state_that_does_not_exist():
    with pytest.raises(ValueError, match="No job state finished"):
        JobState.labelled(finished="Over")


def test_is_finished():
    assert [s for s in JobState.values if jobs.is_finished(s)] == ["done", "failed"]
    assert not jobs.is_finished("")


@pytest.mark.django_db
def test_helpers_set_the_state_and_fields_of_that_job_only():
    job = ImportJobFactory(status=JobState.QUEUED, stage="")
    other = ImportJobFactory(status=JobState.QUEUED, stage="")

    jobs.start(ImportJob, job.pk, stage="Starting")
    job.refresh_from_db()
    assert (job.status, job.stage) == ("running", "Starting")

    jobs.progress(ImportJob, job.pk, rows_done=5, rows_total=10)
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.percent) == ("running", 5, 50)

    jobs.fail(ImportJob, job.pk, error="Not a register file")
    job.refresh_from_db()
    assert (job.status, job.error, job.is_finished) == ("failed", "Not a register file", True)

    jobs.finish(ImportJob, job.pk, stage="")
    job.refresh_from_db()
    assert (job.status, job.percent) == ("done", 100)

    other.refresh_from_db()
    assert (other.status, other.stage) == ("queued", "")


@pytest.mark.django_db
def test_a_job_whose_state_field_has_another_name(world):
    number = world.review.reports.count() + 1
    report = Report.objects.create(review=world.review, number=number, pdf_status="queued")
    jobs.start(Report, report.pk, field="pdf_status")
    assert Report.objects.get(pk=report.pk).pdf_status == "running"
    jobs.finish(Report, report.pk, field="pdf_status", pdf="reports/made.pdf")
    report.refresh_from_db()
    assert (report.pdf_status, report.pdf.name) == ("done", "reports/made.pdf")
