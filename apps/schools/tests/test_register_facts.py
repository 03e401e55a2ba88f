"""The register's few facts (the directory's filter lists, the core team's counts) are read
once and kept until the register changes: an import, or a school saved or deleted."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.schools.models import School
from apps.schools.selectors import register_facts
from apps.schools.services import import_register
from bench.gias_bulk import SAMPLE
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db(transaction=True)  # on_commit forgets them too


def _scans(sqls: list[str]) -> list[str]:
    return [s for s in sqls if "DISTINCT" in s and "schools_school" in s
            or s.startswith('SELECT COUNT(*) AS "__count" FROM "schools_school"') and
            "WHERE" not in s]


def test_the_directory_reads_its_filter_lists_once(client_for):
    client = client_for("head")
    client.get(reverse("directory:schools"))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("directory:schools"))
    assert response.status_code == 200
    assert _scans([q["sql"] for q in ctx.captured_queries]) == []


def test_a_school_saved_one_at_a_time_shows_in_the_lists_at_once(client_for):
    client = client_for("head")
    client.get(reverse("directory:schools"))
    SchoolFactory(la_code="999", la_name="Marker Borough Zq", phase="Marker phase Zq")
    page = client.get(reverse("directory:schools")).content.decode()
    assert "Marker Borough Zq" in page and "Marker phase Zq" in page
    School.objects.filter(la_code="999").get().delete()
    page = client.get(reverse("directory:schools")).content.decode()
    assert "Marker Borough Zq" not in page


def test_an_import_refreshes_the_facts(world):
    before = register_facts()
    summary = import_register(SAMPLE.read_bytes(), filename=SAMPLE.name)
    after = register_facts()
    assert after["total"] == before["total"] + summary["created"]
    assert after["total"] == School.objects.count()
    assert after["open_total"] == School.objects.open().count()
    assert len(after["la_choices"]) > len(before["la_choices"])
