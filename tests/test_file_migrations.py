"""ADR 0005's migrations with data in place, on the test run's database (SQLite or
PostgreSQL): rows holding bytes in the old columns, as before the migrations, move to the file
storage going forwards and come back byte for byte going backwards, schema and all."""

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("improvement", "0002_impact_lock_version"),
          ("reviews", "0005_one_live_review_per_school"),
          ("schools", "0003_school_register_row_hash"),
          ("resources", "0002_resource_search_index")]
AFTER = [("improvement", "0003_files_on_storage"), ("reviews", "0007_report_pdf_on_storage"),
         ("schools", "0004_importjob_file_on_storage"),
         ("resources", "0003_resourcefile_file_on_storage")]
BLOB = bytes(range(256)) * 300  # every byte value


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _plant(apps):
    """Rows as the old code wrote them, through the models of that state."""
    User = apps.get_model("accounts", "User")
    School_ = apps.get_model("schools", "School")
    Cycle = apps.get_model("reviews", "Cycle")
    Review = apps.get_model("reviews", "Review")
    user = User.objects.create(email="owner@test.example", full_name="Owner")
    school = School_.objects.create(urn=100001, name="Oak Primary", status="Open",
                                    la_name="Leeds")
    partnership = apps.get_model("partnerships", "Partnership").objects.create(
        name="Alpha", slug="alpha")
    cycle = Cycle.objects.create(partnership=partnership, start_year=2026)
    review = Review.objects.create(cycle=cycle, host=school)
    Report = apps.get_model("reviews", "Report")
    Report.objects.create(review=review, number=1, status="agreed", pdf=b"%PDF report" + BLOB,
                          pdf_status="done")
    Action = apps.get_model("improvement", "Action")
    action = Action.objects.create(review=review, title="Buddies", owner=user,
                                   starts_on="2027-01-04", due_on="2027-03-01")
    update = apps.get_model("improvement", "ProgressUpdate").objects.create(
        action=action, author=user, text="Done", status="done")
    apps.get_model("improvement", "ActionFile").objects.create(
        update=update, filename="rota.pdf", content_type="application/pdf",
        size_bytes=len(BLOB), content=BLOB)
    apps.get_model("improvement", "PlanExport").objects.create(
        review=review, status="done", pdf=b"%PDF plan" + BLOB)
    apps.get_model("improvement", "PlanExport").objects.create(review=review, status="queued")
    apps.get_model("schools", "ImportJob").objects.create(
        filename="waiting.csv", content=b"URN\n1\n" + BLOB, size_bytes=len(BLOB) + 6)
    apps.get_model("schools", "ImportJob").objects.create(filename="done.csv", status="done")
    apps.get_model("reviews", "ReviewFile").objects.create(
        review=review, purpose="self_review", filename="sef.pdf", content_type="application/pdf",
        size_bytes=len(BLOB), content=b"%PDF sef" + BLOB)
    resource = apps.get_model("resources", "Resource").objects.create(
        title="Guide", summary="How to", kind="file", audience="programme",
        published_on="2026-09-01", changed_at="2026-09-01T09:00:00Z")
    apps.get_model("resources", "ResourceFile").objects.create(
        resource=resource, number=1, filename="guide.pdf", content_type="application/pdf",
        size_bytes=len(BLOB), content=b"%PDF guide" + BLOB)


def _old_bytes(apps):
    return {
        "report": [bytes(r) for r in apps.get_model("reviews", "Report").objects
                   .exclude(pdf=None).values_list("pdf", flat=True)],
        "action file": [bytes(c) for c in apps.get_model("improvement", "ActionFile").objects
                        .values_list("content", flat=True)],
        "plan": [bytes(p) for p in apps.get_model("improvement", "PlanExport").objects
                 .exclude(pdf=None).values_list("pdf", flat=True)],
        "upload": [bytes(c) for c in apps.get_model("schools", "ImportJob").objects
                   .order_by("pk").values_list("content", flat=True)],
        "review file": [bytes(c) for c in apps.get_model("reviews", "ReviewFile").objects
                        .values_list("content", flat=True)],
        "library file": [bytes(c) for c in apps.get_model("resources", "ResourceFile").objects
                         .values_list("content", flat=True)],
    }


def _stored(model, field):
    names = [n for n in model.objects.order_by("pk").values_list(field, flat=True) if n]
    out = []
    for name in names:
        with default_storage.open(name, "rb") as f:
            out.append(f.read())
    return names, out


def test_files_move_to_storage_and_back_with_the_schema():
    try:
        old = _migrate(BEFORE)
        _plant(old)
        planted = _old_bytes(old)
        assert planted["report"] == [b"%PDF report" + BLOB] and len(planted["upload"]) == 2

        new = _migrate(AFTER)
        names = {}
        for key, (app, model, field, column) in {
                "report": ("reviews", "Report", "pdf", "pdf_bytes"),
                "action file": ("improvement", "ActionFile", "file", "content"),
                "plan": ("improvement", "PlanExport", "pdf", "pdf_bytes"),
                "upload": ("schools", "ImportJob", "file", "content"),
                "review file": ("reviews", "ReviewFile", "file", "content"),
                "library file": ("resources", "ResourceFile", "file", "content")}.items():
            Model = new.get_model(app, model)
            names[key], contents = _stored(Model, field)
            assert contents == [b for b in planted[key] if b], key
            assert all(not b for b in Model.objects.values_list(column, flat=True)), key

        back = _migrate(BEFORE)
        assert _old_bytes(back) == planted
        assert not any(default_storage.exists(n) for ns in names.values() for n in ns)
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
