import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.core.models import AuditEvent
from apps.impact.fidelity import current_start_year, fidelity
from apps.impact.models import Analysis, Outcome, OutcomeImport
from apps.impact.services import import_outcomes
from tests.factories import MembershipFactory, PartnershipFactory, SchoolFactory

DATA = Path(__file__).parent.parent / "data"
FILES = [DATA / "2018-2019_850_ks2final_subset.csv", DATA / "2018-2019_936_ks2final_subset.csv"]
pytestmark = pytest.mark.django_db


def test_upload_page_imports_in_the_background_and_shows_the_summary(client_for, run_tasks):
    client = client_for("core")
    upload = [SimpleUploadedFile(p.name, p.read_bytes(), content_type="text/csv")
              for p in FILES]
    with run_tasks(execute=True):
        response = client.post(reverse("impact:outcomes_import"), {"files": upload})
    job = OutcomeImport.objects.get()
    assert response.url == reverse("impact:outcomes_import_status", kwargs={"pk": job.pk})
    page = client.get(response.url).content.decode()
    assert "Import finished" in page and "2017 to 2019" in page
    assert job.__class__.objects.get().content == []  # the uploaded bytes are not kept
    assert Outcome.objects.filter(year=2017).exists()


def test_uploads_wait_in_file_storage_and_go_when_the_import_ends():
    """The uploaded files are held in Django's storage (not the database) until the import
    has run, then deleted; the job row keeps only the names people gave them."""
    from django.core.files.storage import default_storage

    from apps.impact import services

    job = services.create_outcome_import(
        uploads=[(p.name, p.read_bytes()) for p in FILES], actor=None)
    job.refresh_from_db()
    assert job.content == [] and len(job.stored) == 2
    assert all(default_storage.exists(name) for name in job.stored)
    assert not any(p.name in name for name in job.stored for p in FILES)
    with default_storage.open(job.stored[0], "rb") as stored:
        assert stored.read() == FILES[0].read_bytes()
    services.run_outcome_import(job.pk)
    done = OutcomeImport.objects.get(pk=job.pk)
    assert done.status == OutcomeImport.Status.DONE and done.stored == []
    assert not any(default_storage.exists(name) for name in job.stored)


def test_a_bad_upload_says_why_and_changes_nothing(client_for, run_tasks):
    client = client_for("core")
    bad = SimpleUploadedFile("notes.csv", b"name,town\nA,B\n", content_type="text/csv")
    with run_tasks(execute=True):
        response = client.post(reverse("impact:outcomes_import"), {"files": [bad]})
    page = client.get(response.url).content.decode()
    assert "The files were not imported" in page
    assert "notes.csv: The file has no URN or RECTYPE column" in page
    assert not Outcome.objects.exists()
    empty = client.post(reverse("impact:outcomes_import"), {})
    assert "Select at least one CSV file" in empty.content.decode()


@pytest.fixture
def treated_world(world):
    """Real KS2 results imported; twelve real URNs made members of Alpha and Beta (fictional
    membership: the schools' own results are real)."""
    import_outcomes([(p.name, p.read_bytes()) for p in FILES])
    urns = sorted(Outcome.objects.filter(measure="READ_AVERAGE", year=2019,
                                         value__isnull=False)
                  .values_list("urn", flat=True).distinct())[:24:2]
    urns.append(140690)  # in the file without key stage 2 results: dropped with the reason
    start = timezone.localdate().replace(year=2017, month=9, day=1)
    for i, urn in enumerate(urns):
        school = SchoolFactory(urn=urn, phase="Primary")
        MembershipFactory(partnership=world.alpha if i % 2 else world.beta, school=school,
                          joined_on=start)
    Outcome.objects.filter(urn__in=urns).update(school=None)
    from apps.impact.services import resolve_schools

    for urn, pk in resolve_schools(urns).items():
        Outcome.objects.filter(urn=urn).update(school_id=pk)
    return world, urns


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def define(client_for, run_tasks):
    def _run(client, world, **extra):
        with run_tasks(execute=True):
            return _define(client, world, **extra)
    return _run


def _define(client, world, **extra):
    data = {"name": "Reading 2017 to 2019", "partnerships": [world.alpha.pk, world.beta.pk],
            "start_year": "2017", "outcome": "READ_AVERAGE", "pre_year": "2017",
            "post_year": "2019", "matching": ["TKS1AVERAGE", "PTFSM6CLA1A", "outcome_pre"],
            "k": "1", "replacement": "yes", "caliper": "", "seed": "7", **extra}
    return client.post(reverse("impact:analysis_new"), data)


def test_an_evaluator_defines_and_reads_an_analysis_with_pseudonyms_only(treated_world,
                                                                        client_for, define):
    world, urns = treated_world
    client = client_for("evaluator")
    response = define(client, world, sd="6.5", sd_source="An invented pupil-level figure")
    analysis = Analysis.objects.get()
    assert analysis.status == "done", analysis.error
    page = client.get(response.url).content.decode()
    assert "Standardised mean differences" in page and "<svg" in page
    assert "Estimates by disadvantage quintile" in page
    assert "Schools are shown by pseudonym" in page
    assert "6.5: An invented pupil-level figure" in page
    for urn in urns:
        assert str(urn) not in page
    assert analysis.result["reproducibility"]["spec"]["start_year"] == 2017
    assert analysis.result["n_treated"] + analysis.result["n_dropped"] == len(urns)
    assert "Average reading scaled score 2017: blank in the file" in page  # not READ_AVERAGE
    # The chart names what it plots as the table does, never the file's variable names.
    start = page.rindex("<svg", 0, page.index("Balance: standardised mean differences"))
    chart = page[start:page.index("</svg>", start)]
    for code in ("TKS1AVERAGE", "PTFSM6CLA1A", "outcome_pre"):
        assert code not in chart
    assert "Outcome in the pre year" in chart
    assert "eef-toolkit" not in page and "Teaching and Learning Toolkit" in page
    assert AuditEvent.objects.filter(action="impact.analysis.finished").exists()


def test_exports_are_pseudonymised_per_export_and_audited(treated_world, client_for, define):
    world, urns = treated_world
    client = client_for("core")
    define(client, world, )
    analysis = Analysis.objects.get()
    assert analysis.result["n_dropped"] > 0
    url = reverse("impact:analysis_export", kwargs={"pk": analysis.pk, "fmt": "csv"})
    first = client.get(url).content.decode()
    second = client.get(url).content.decode()
    dropped_first = [r[0] for r in csv.reader(io.StringIO(first)) if r and r[0].startswith("S-")]
    dropped_second = [r[0] for r in csv.reader(io.StringIO(second))
                      if r and r[0].startswith("S-")]
    assert dropped_first and len(dropped_first) == len(set(dropped_first))
    assert set(dropped_first).isdisjoint(dropped_second)  # new pseudonyms per export
    assert not any(str(u) in first for u in urns)
    xlsx = client.get(reverse("impact:analysis_export", kwargs={"pk": analysis.pk,
                                                                "fmt": "xlsx"}))
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Summary", "Balance", "Subgroups", "Dropped schools"]
    assert AuditEvent.objects.filter(action="impact.analysis.exported").count() == 3
    fid = client.get(reverse("impact:fidelity_export", kwargs={"fmt": "csv"}))
    assert "Reviews completed with an agreed report" in fid.content.decode()
    assert AuditEvent.objects.filter(action="impact.fidelity.exported").count() == 1


def test_an_analysis_that_cannot_run_says_why(treated_world, client_for, define):
    world, _ = treated_world
    client = client_for("core")
    response = define(client, world, pre_year="2012", post_year="2019")
    page = client.get(response.url).content.decode()
    assert "The analysis could not run" in page
    assert "The pre year 2012 is not in the outcomes files" in page
    invalid = define(client, world, pre_year="2019", post_year="2017", name="", sd="15")
    text = invalid.content.decode()
    assert "Enter where the standard deviation comes from" in text
    assert "Enter a name for the analysis" in text
    assert "The post year must be after the pre year" in text


def test_fidelity_counts_what_the_platform_records(world):
    year = current_start_year()
    f = fidelity(world.alpha, year)
    by_key = {i.key: i for i in f["indicators"]}
    assert f["schools"] == 4
    # conftest: A1's review has an agreed report, a workshop today and one action.
    assert by_key["reviews_agreed"].value == 1 and by_key["reviews_agreed"].expected == 4
    assert by_key["reviews_agreed"].status == "Partly met"
    assert by_key["workshops_held"].value == 1 and by_key["workshops_held"].status == "Met"
    assert by_key["actions_set"].value == 1
    assert by_key["actions_checked"].value == 0 and by_key["actions_checked"].status == \
        "Not yet"
    # leader (A2) and reviewer2 (A4) are trained and in date.
    assert by_key["leaders_trained"].value == 2 and by_key["leaders_in_date"].value == 2
    world.people["leader"].reviewer_trained_until = timezone.localdate() - timedelta(days=1)
    world.people["leader"].save()
    assert {i.key: i.value for i in fidelity(world.alpha, year)["indicators"]}[
        "leaders_in_date"] == 1
    beta = {i.key: i.value for i in fidelity(world.beta, year)["indicators"]}
    assert beta["reviews_agreed"] == 0 and beta["actions_set"] == 0


def test_a_partnership_lead_sees_only_their_own_fidelity(world, client_for):
    PartnershipFactory(name="Delta Partnership")
    page = client_for("lead").get(reverse("impact:fidelity")).content.decode()
    assert "Alpha Partnership" in page
    assert "Beta Partnership" not in page and "Delta Partnership" not in page
    page = client_for("associate").get(reverse("impact:fidelity")).content.decode()
    assert "Beta Partnership" in page and "Delta Partnership" in page
    api = client_for("lead").get("/api/impact/fidelity").json()["items"]
    assert [p["partnership"] for p in api] == [world.alpha.slug]


def test_the_api_gives_evaluators_pseudonyms(treated_world, client_for, define):
    world, urns = treated_world
    define(client_for("core"), world)
    analysis = Analysis.objects.get()
    data = client_for("evaluator").get(f"/api/impact/analyses/{analysis.pk}").json()
    assert data["result"]["dropped"] and all(
        d["urn"].startswith("S-") for d in data["result"]["dropped"])
    core = client_for("core").get(f"/api/impact/analyses/{analysis.pk}").json()
    assert all(d["urn"] in urns for d in core["result"]["dropped"])


def test_the_commissioner_report_sums_up_fidelity_surveys_and_results(treated_world,
                                                                      client_for, define):
    world, _ = treated_world
    define(client_for("core"), world)
    from apps.impact import surveys

    survey = surveys.create_survey(by=world.people["core"], title="Partnership survey",
                                   items=[("partnership", "likert", "We challenge each other")])
    wave = surveys.open_wave(survey, by=world.people["core"], kind="baseline",
                             partnerships=[world.alpha], roles=["staff", "headteacher"],
                             min_group=3)
    for invite in wave.invites.all():
        surveys.submit(invite, {survey.items.get(): 4})
    url = reverse("impact:commissioner_report", kwargs={"pk": world.alpha.organisation_id})
    page = client_for("associate").get(url).content.decode()
    assert "Alpha Partnership" in page and "Reviews completed with an agreed report" in page
    assert "Partnership survey" in page and "100%" in page
    assert "Reading 2017 to 2019" in page and "not a randomised trial" in page
    assert "Beta Partnership" not in page  # another organisation's partnership
    pdf = client_for("core").get(reverse("impact:commissioner_report_pdf",
                                         kwargs={"pk": world.alpha.organisation_id}))
    assert pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="impact.commissioner_report.downloaded").exists()


def test_progress_is_shown_while_an_analysis_waits_and_the_page_reloads_when_done(world,
                                                                                 client_for):
    client = client_for("core")
    analysis = Analysis.objects.create(name="Queued", created_by=world.people["core"],
                                       spec={"outcome": "READ_AVERAGE", "pre_year": 2017,
                                             "post_year": 2019, "start_year": 2017})
    url = reverse("impact:analysis", kwargs={"pk": analysis.pk})
    page = client.get(url).content.decode()
    assert "Waiting to start" in page and 'hx-trigger="every 1s"' in page
    Analysis.objects.filter(pk=analysis.pk).update(status="running", stage="Matching",
                                                   steps_done=2, steps_total=6)
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Matching – 33%" in partial and "<html" not in partial
    Analysis.objects.filter(pk=analysis.pk).update(status="failed", error="No data.")
    done = client.get(url, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def test_an_indicator_with_nothing_expected_is_not_met():
    """A partnership with no reviews this year owes no workshops: that is 'Nothing due', not
    'Met' (the walkthrough found an alumni partnership 'Met' for doing nothing)."""
    from apps.impact.fidelity import Indicator

    nothing = Indicator("workshops_held", "Improvement Workshops held", 0, 0, "one each")
    assert nothing.status == "Nothing due" and nothing.tag_colour == "blue"
    assert Indicator("workshops_held", "Improvement Workshops held", 1, 1, "").status == "Met"
