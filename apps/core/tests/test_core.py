import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from apps.core import audit
from apps.core.logging import JsonFormatter

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_migrations(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}}


def test_healthz_unhealthy_when_migrations_missing(client, monkeypatch):
    from django.db.migrations import executor

    from apps.core import views

    monkeypatch.setattr(views, "_migrations_ok_at", -views.MIGRATIONS_TRUSTED_FOR)
    monkeypatch.setattr(executor.MigrationExecutor, "migration_plan",
                        lambda self, targets: [("x", False)])
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "1 not applied"


def test_production_profile_passes_check_deploy():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production",
                "SECRET_KEY": "k" * 20 + "-a-long-and-random-production-secret-" + "z" * 20,
                "ALLOWED_HOSTS": "peer-review.example", "DATABASE_URL": "sqlite:///:memory:"})
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy",
                             "--fail-level", "DEBUG"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_profile_refuses_to_start_without_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production",
                "ALLOWED_HOSTS": "x.example"})
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_request_log_is_json_with_request_id(client, caplog, world):
    client.force_login(world.people["head"])
    with caplog.at_level(logging.INFO, logger="peerreview.request"):
        response = client.get(reverse("home"), HTTP_X_REQUEST_ID="abc123")
    assert response["X-Request-ID"] == "abc123"
    record = next(r for r in caplog.records if r.name == "peerreview.request")
    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/" and line["status"] == 200 and line["request_id"] == "abc123"
    assert line["user_id"] == world.people["head"].pk and "duration_ms" in line


def test_audit_log_search(client_for, world, rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="198.51.100.66, 203.0.113.9",
                     HTTP_USER_AGENT="pytest")
    request.user = world.people["lead"]
    audit.record("invitation.sent", request=request, obj=world.invitation, email="z@x.example")
    client = client_for("core")
    text = client.get(reverse("core:audit"), {"q": "lead@test.example"}).content.decode()
    assert "invitation.sent" in text and "203.0.113.9" in text
    assert "198.51.100.66" not in text  # what the client claims further left is not trusted
    none = client.get(reverse("core:audit"), {"q": "nobody-at-all"}).content.decode()
    assert "0 entries" in none
    bad = client.get(reverse("core:audit"), {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert "The end date must be the same as or after the start date" in bad.content.decode()


def test_home_shows_each_persona_what_needs_them(client_for, world):
    assert "Programme" in client_for("core").get("/").content.decode()
    lead_home = client_for("lead").get("/").content.decode()
    assert "(you lead)" in lead_home and "’s headteacher to the platform" in lead_home
    assert "Your schools" in client_for("head").get("/").content.decode()
    assert "Your training" in client_for("leader").get("/").content.decode()
    assert "You have no roles yet" in client_for("norole").get("/").content.decode()
    evaluator = client_for("evaluator").get("/").content.decode()
    assert "anonymised" in evaluator and "A1 School" not in evaluator


def test_uses_the_configured_database():
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") \
        else "sqlite"
    assert connection.vendor == expected


def test_forwarded_for_is_ignored_without_trusted_proxies(world, rf):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.9", REMOTE_ADDR="192.0.2.10")
    request.user = world.people["lead"]
    assert audit.record("x.test", request=request).ip_address == "192.0.2.10"


def test_invitation_tokens_never_reach_the_logs(client, caplog, world):
    with caplog.at_level(logging.INFO):
        client.get(f"/invitations/{world.invitation.token}/")
        client.get("/invitations/not-a-real-token/")
    lines = [JsonFormatter().format(r) for r in caplog.records]
    assert lines
    assert not any(world.invitation.token in line or "not-a-real-token" in line
                   for line in lines)
    assert any("/invitations/[redacted]/" in line for line in lines)


def test_email_addresses_cannot_be_changed_by_their_owner(client_for, world):
    client = client_for("staff")
    assert client.get("/accounts/email/").status_code == 404
    client.post("/accounts/email/", {"action_add": "", "email": "someone@else.example"})
    world.people["staff"].refresh_from_db()
    assert world.people["staff"].email == "staff@test.example"


def test_evaluator_counts_only_schools_in_partnerships(client_for, world):
    text = client_for("evaluator").get("/").content.decode()
    members = 4 + 3 + 1  # Alpha, Beta, Gamma
    assert f"{members} schools in partnerships" in text


def test_actions_record_where_they_came_from(client_for, world):
    from apps.core.models import AuditEvent

    client_for("head").post(reverse("frameworks:shortlist_add"), {
        "question": world.published.themes.first().questions.last().pk,
        "school": world.schools["A1"].pk}, REMOTE_ADDR="192.0.2.44")
    event = AuditEvent.objects.get(action="shortlist.added", actor=world.people["head"],
                                   details__question=str(
                                       world.published.themes.first().questions.last().ref))
    assert event.ip_address == "192.0.2.44"


def test_home_shows_invitations_and_the_chosen_question(client_for, world):
    from apps.accounts.models import Invitation, Role
    from apps.frameworks import services as frameworks

    Invitation.objects.create(email="head@test.example", full_name="Head", role=Role.STAFF,
                              school=world.schools["A2"], invited_by=world.people["lead"])
    frameworks.choose_for_review(world.shortlist_item, chosen=True, by=world.people["head"])
    text = client_for("head").get("/").content.decode()
    assert "Invitations for you" in text
    assert "Accept the invitation to be staff – A2 School – by " in text
    assert "A1 School’s key enquiry question" in text


def test_audit_page_shows_a_detail_named_like_a_dict_method(world, client_for):
    from apps.core import audit

    audit.record("impact.survey.created", actor=world.people["core"], items=12, keys=3)
    page = client_for("core").get("/audit/")
    assert page.status_code == 200
    assert "Items: 12" in page.content.decode()


def _production_env(**extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL", "WEB_CONCURRENCY")}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production",
                "SECRET_KEY": "k" * 20 + "-a-long-and-random-production-secret-" + "z" * 20,
                "ALLOWED_HOSTS": "peer-review.example", "DATABASE_URL": "sqlite:///:memory:"})
    env.update(extra)
    return env


def test_production_refuses_several_workers_without_a_shared_cache():
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT,
                            env=_production_env(WEB_CONCURRENCY="3"),
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "WEB_CONCURRENCY is 3 but REDIS_URL is not set" in result.stderr
    # With Redis configured, three workers start (the cache degrades if Redis is down).
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT,
                            env=_production_env(WEB_CONCURRENCY="3",
                                                REDIS_URL="redis://127.0.0.1:6379/9"),
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_gunicorn_refuses_several_workers_without_a_shared_cache(monkeypatch):
    import runpy
    from types import SimpleNamespace

    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    conf = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))
    assert conf["workers"] == 4
    assert conf["logger_class"] == "apps.core.access_log.RedactingLogger"
    with pytest.raises(SystemExit, match="set REDIS_URL"):
        conf["on_starting"](SimpleNamespace(cfg=SimpleNamespace(workers=4)))
    conf["on_starting"](SimpleNamespace(cfg=SimpleNamespace(workers=1)))
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/9")
    conf["on_starting"](SimpleNamespace(cfg=SimpleNamespace(workers=4)))
