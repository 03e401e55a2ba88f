import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.schools.models import ImportJob, School
from bench.gias_bulk import SAMPLE

pytestmark = pytest.mark.django_db


def test_core_team_uploads_and_sees_the_summary(client_for, django_capture_on_commit_callbacks):
    client = client_for("core")
    upload = SimpleUploadedFile("register.csv", SAMPLE.read_bytes(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("schools:import"), {"file": upload})
    job = ImportJob.objects.get(filename="register.csv")
    assert response.status_code == 302
    assert response["Location"] == reverse("schools:import_status", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.summary["created"] == 1096
    assert job.file.name == ""  # the upload is not kept once imported (test_upload_storage)
    page = client.get(response["Location"])
    assert b"Import finished" in page.content
    assert School.objects.filter(urn=115850).exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"schools.import.uploaded", "schools.import.completed"} <= actions


def test_bad_file_shows_reason_and_changes_nothing(client_for,
                                                   django_capture_on_commit_callbacks):
    client = client_for("core")
    upload = SimpleUploadedFile("other.csv", b"id,title\n1,Tea\n", content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("schools:import"), {"file": upload})
    page = client.get(response["Location"])
    assert b"The file was not imported" in page.content
    assert "not a register export" in page.content.decode()
    assert ImportJob.objects.get().status == ImportJob.Status.FAILED
    assert School.objects.filter(name__startswith="Tea").count() == 0


@pytest.mark.parametrize(("name", "content", "message"), [
    ("photo.png", b"\x89PNG", "must be a CSV file"),
    ("empty.csv", b"", "empty"),
])
def test_upload_form_errors(client_for, name, content, message):
    client = client_for("core")
    upload = SimpleUploadedFile(name, content)
    response = client.post(reverse("schools:import"), {"file": upload})
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text and message in text
    assert "<title>Error: " in text
    assert not ImportJob.objects.exists()


def test_progress_partial_for_htmx(client_for, world):
    job = ImportJob.objects.create(filename="x.csv", status=ImportJob.Status.RUNNING,
                                   rows_total=1000, rows_done=250, stage="Reading the file")
    response = client_for("core").get(reverse("schools:import_status", args=[job.pk]),
                                      HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert "<html" not in text
    assert 'hx-trigger="every 1s"' in text and "25%" in text


def test_directory_filters(client_for, world):
    world.schools["A1"].percentage_fsm = 35
    world.schools["A1"].save()
    client = client_for("head")
    url = reverse("directory:schools")
    names = lambda r: r.content.decode()  # noqa: E731
    assert "A1 School" in names(client.get(url, {"q": "A1"}))
    assert "A2 School" not in names(client.get(url, {"q": "A1"}))
    fsm = names(client.get(url, {"fsm": "30-40"}))
    assert "A1 School" in fsm and "A2 School" not in fsm
    alpha = names(client.get(url, {"partnership": world.alpha.slug}))
    assert "A1 School" in alpha and "B1 School" not in alpha
    none = names(client_for("core").get(url, {"partnership": "none"}))
    assert "Unpartnered School" in none and "A1 School" not in none
    client = client_for("head")
    # people outside a partnership cannot use it to list its schools
    assert "Beta Partnership" not in names(client.get(url))
    beta = names(client.get(url, {"partnership": world.beta.slug}))
    assert "from the choices given" in beta or "B1 School" in beta and "A1 School" in beta
    by_urn = names(client.get(url, {"q": str(world.schools["B2"].urn)}))
    assert "B2 School" in by_urn
    world.schools["A2"].status = "Closed"
    world.schools["A2"].save()
    assert "A2 School" not in names(client.get(url))
    assert "A2 School" in names(client.get(url, {"status": "closed"}))
    # htmx asks for the results only
    partial = client.get(url, {"q": "A1"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert b"<html" not in partial.content and b"A1 School" in partial.content


def test_directory_rejects_unknown_filter_values_gracefully(client_for, world):
    response = client_for("head").get(reverse("directory:schools"), {"fsm": "lots", "page": "x"})
    assert response.status_code == 200


def test_school_page_shows_only_partnerships_you_belong_to(client_for, world):
    url = reverse("directory:school", args=[world.schools["B1"].urn])
    assert "Beta Partnership" not in client_for("head").get(url).content.decode()
    assert "Beta Partnership" in client_for("outsider").get(url).content.decode()


@pytest.mark.parametrize("q", ["²", "1" * 5000, "a\x00b"])
def test_odd_search_text_is_not_an_error(client_for, world, q):
    assert client_for("head").get(reverse("directory:schools"), {"q": q}).status_code == 200


@pytest.mark.parametrize(("query", "found"), [
    ("A1 school", "A1 School"),            # words in any order, any case
    ("school a1", "A1 School"),
    ("Unpartnered", "Unpartnered School"),
])
def test_directory_search_matches_each_word(client_for, world, query, found):
    text = client_for("head").get(reverse("directory:schools"), {"q": query}).content.decode()
    assert found in text


def test_directory_search_ignores_apostrophes_and_postcode_spaces(client_for, world):
    school = world.schools["A2"]
    school.name, school.postcode = "St Wendreda's Primary", "ZZ99 5DG"
    school.save()
    client = client_for("head")
    for query in ("St Wendredas", "zz995dg", "ZZ99 5DG"):
        text = client.get(reverse("directory:schools"), {"q": query}).content.decode()
        assert "St Wendreda&#x27;s Primary" in text, query
