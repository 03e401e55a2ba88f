"""Trust, proved by content: no review content reaches anyone the rules exclude.

``tests/confidential_world.py`` plants a unique marker in every confidential field of four
reviews in two partnerships. This module then reads, as every persona, every page and API
endpoint about them (the permission matrix's GET rows, for each review), CSV and PDF
exports, downloads (bodies and file names), every email and notification the platform sends
about them, and the personal calendar feed, and fails on any marker seen by a persona the
rules exclude, naming the persona, the URL and the marker.

The expectation is the explicit tables below, copied from the written rules
(docs/review-cycle.md, *Who sees what*, and docs/improvement.md, *Who sees what*): they do
not call the permission functions, so a wrong rule in the code makes this test fail. Change
the docs and these tables together.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client, TestCase
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from conftest import PERSONAS, sign_in
from tests.confidential_world import EXTRA_PERSONAS, build_secrets

# ``trainer`` (signed in, no roles, trains a course) reads exactly what ``norole`` reads here.
ALL_PERSONAS = [p for p in PERSONAS if p != "trainer"] + EXTRA_PERSONAS

# --- The written rules (docs/review-cycle.md and docs/improvement.md) ----------------------
# Who sees the content of each kind of object, by their relation to the review.
CONTENT_READERS = {"host_head", "host_leader", "team", "champion"}
SEES = {
    # self-review and its documents, enquiry, visit plan, evidence and attachments, findings,
    # draft reports and comments on the report
    "content": CONTENT_READERS,
    # the agreed report: content readers, and the audiences it is shared with (below)
    "report": CONTENT_READERS,
    "safeguarding": {"host_head", "host_dsl"},
    # a concern about the headteacher: the programme's safeguarding officer, never the host
    # headteacher (see NEVER); while no officer may read it, the core team (never stranded)
    "safeguarding_about_head": {"safeguarding_officer", "core_while_no_officer"},
    "workshop": {"host_head", "host_leader", "team", "champion"},
    # the action plan, its actions, updates, files and the check-back
    "plan": {"host_head", "host_leader", "host_staff", "host_dsl", "champion"},
    # a request for support: the asking school's leaders, the provider's leaders, the broker
    "support": {"host_head", "host_leader", "support_provider", "partnership_lead"},
}
NEVER = {"safeguarding_about_head": {"host_head"}}
REPORT_SHARE_AUDIENCES = {"partnership": {"partnership_lead", "partnership_school_leader"},
                          "associate": {"associate"}, "programme": {"core"}}
PLAN_SHARE_AUDIENCE = {"partnership_lead", "associate", "partnership_school_leader"}

# --- The facts of the world: each persona's relations to each review -----------------------
# (A persona not named has no relation to that review.)
RELATIONS = {
    "R1": {"head": {"host_head"}, "staff": {"host_staff"}, "dsl": {"host_dsl"},
           "leader": {"team", "partnership_school_leader", "support_provider"},
           "champion": {"champion", "partnership_school_leader"},
           "reviewer2": {"partnership_school_leader"},
           "exec_head": {"partnership_school_leader"},
           "lead": {"partnership_lead"}, "associate": {"associate"}, "core": {"core"},
           "evaluator": {"evaluator"}, "removed": {"former_team"},
           "declined": {"former_team"}, "pending": {"invited"},
           "ended": {"role_ended", "owner_of_action"}, "lefthead": {"left_school"},
           "officer": {"safeguarding_officer"}},
    "R2": {"leader": {"host_leader"}, "reviewer2": {"team", "partnership_school_leader"},
           "head": {"partnership_school_leader"}, "exec_head": {"partnership_school_leader"},
           "champion": {"partnership_school_leader"}, "staff": {"partnership_staff"},
           "dsl": {"partnership_staff"}, "lead": {"partnership_lead"},
           "associate": {"associate"}, "core": {"core"}, "lefthead": {"left_school"},
           "officer": {"safeguarding_officer"}},
    "R3": {"exec_head": {"host_head"},
           "outsider": {"team", "partnership_school_leader", "support_provider"},
           "officer": {"partnership_school_leader", "safeguarding_officer"},
           "core": {"core"}},
    # R4's headteacher is the only safeguarding officer: a concern about them has no officer
    # who may read it, so the core team reads it.
    "R4": {"officer": {"host_head", "safeguarding_officer"},
           "exec_head": {"partnership_school_leader"},
           "outsider": {"partnership_school_leader"}, "core": {"core", "core_while_no_officer"}},
}
SHARES: dict[str, dict[str, Any]] = {"R1": {"report": set(), "plan": True},
          "R2": {"report": set(), "plan": False},
          "R3": {"report": set(), "plan": False},  # shared with Beta, then withdrawn
          "R4": {"report": {"partnership"}, "plan": False}}


def may_see(persona: str, review_key: str, kind: str) -> bool:
    relations = RELATIONS[review_key].get(persona, set())
    allowed = set(SEES[kind])
    if kind == "report":
        for audience in SHARES[review_key]["report"]:
            allowed |= REPORT_SHARE_AUDIENCES[audience]
    if kind == "plan" and SHARES[review_key]["plan"]:
        allowed |= PLAN_SHARE_AUDIENCE
    if relations & NEVER.get(kind, set()):
        return False
    return bool(relations & allowed)


MARKER = re.compile(r"SECRET-R\d-[a-z0-9_]+-[0-9a-f]{8}")


def leaks(secrets, persona: str, where: str, text: str) -> list[str]:
    """One line per marker in ``text`` that ``persona`` may not see."""
    found = []
    for marker in sorted(set(MARKER.findall(text))):
        review_key, kind, name = secrets.markers[marker]
        if not may_see(persona, review_key, kind):
            found.append(f"{persona} saw {marker} ({kind} of {review_key}) at {where}")
    return found


# --- What to read ------------------------------------------------------------------------
# Namespaces and names that carry no review content (public frameworks, the library,
# training, the register, sign-in pages) are left out to keep the run short.
SKIP = ("frameworks:", "resources:", "training", "schools:", "api:list_frameworks",
        "api:get_framework", "api:get_question", "api:search_questions", "api:list_resources",
        "api:list_schools", "api:get_school", "api:openapi", "api:api-root", "admin:",
        "account", "mfa_", "healthz", "polls", "records", "reports:", "public:",
        "notifications:feed", "api:list_sessions", "api:get_session", "api:list_courses",
        # forms and lists that show no review: partnerships, cycles, offers, preferences
        "partnerships:create", "partnerships:add_school", "partnerships:remove_school",
        "partnerships:change_phase", "partnerships:people", "reviews:cycle_create",
        "reviews:terms", "reviews:add_review", "reviews:cycle_settings", "support:offer_new",
        "allocation:preferences", "api:me", "api:list_bookings", "api:attendance",
        "api:list_polls")
STAGES = ["revisit", "focus", "causes", "actions", "impact"]


def _proxy(secrets, key):
    """The world as the matrix rows see it, with ``key``'s review in place of R1's."""
    w = secrets.world
    review = secrets.reviews[key]
    objs = secrets.objects[key]
    return dataclasses.replace(
        w, review=review, cycle=review.cycle, alpha=review.cycle.partnership,
        evidence=objs["note"], report=objs.get("report", w.report),
        comment=objs.get("comment", w.comment), concern=objs.get("concern", w.concern),
        workshop=objs.get("workshop", w.workshop), action=objs.get("action", w.action),
        action_file=objs.get("action_file", w.action_file),
        export=objs.get("export", w.export))


# Beyond R1, only the pages of one review (the rest of the site is read for R1), as the
# personas with some tie to that review and two with none.
REVIEW_PAGES = ("reviews:detail", "reviews:schedule", "reviews:settings", "reviews:self_review",
                "reviews:file", "reviews:enquiry", "reviews:plan", "reviews:activity",
                "reviews:team", "reviews:evidence", "reviews:findings", "reviews:report",
                "reviews:sharing", "reviews:safeguarding", "improvement:workshop",
                "improvement:plan", "improvement:action", "improvement:checkback",
                "improvement:partnership", "api:get_review", "api:list_team",
                "api:list_evidence", "api:list_findings", "api:list_reports", "api:get_workshop",
                "api:list_actions", "api:get_action", "api:get_checkback",
                "api:partnership_progress", "reviews:cycle", "api:get_cycle")
UNTIED = ["norole", "alumnus"]


def personas_for(key: str) -> list[str]:
    return ALL_PERSONAS if key == "R1" else [p for p in ALL_PERSONAS
                                             if p in RELATIONS[key] or p in UNTIED]


def urls_to_read(secrets) -> dict[str, list[str]]:
    """{review key: the URLs to read for it}."""
    from tests.factories import ImportJobFactory
    from tests.test_permission_matrix import MATRIX

    w = secrets.world
    w.job = ImportJobFactory(created_by=w.people["core"])
    by_review = {}
    seen = set()
    for key in secrets.reviews:
        world = _proxy(secrets, key)
        urls = []
        for name, (method, kwargs, _expected, *query) in MATRIX.items():
            if method != "get" or name.startswith(SKIP):
                continue
            if key != "R1" and not name.startswith(REVIEW_PAGES):
                continue
            try:
                url = reverse(name.split("#")[0], kwargs=kwargs(world))
            except (NoReverseMatch, AttributeError, Exception) as e:  # noqa: BLE001
                if isinstance(e, AssertionError):
                    raise
                continue  # a row about an object this review does not have
            urls.append(url + ("?" + urlencode(query[0]) if query else ""))
        review = secrets.reviews[key]
        urls += [reverse("improvement:workshop", args=[review.pk]) + f"?stage={s}"
                 for s in STAGES]
        urls += [reverse("reviews:file", args=[review.pk, f.pk]) for f in review.files.all()]
        urls += [reverse("reviews:report_version", args=[review.pk, r.number])
                 for r in review.reports.all()]
        urls += [reverse("reviews:invitation", args=[m.pk]) for m in review.team.all()]
        for action in review.actions.all():
            urls += [reverse("improvement:action", args=[action.pk]),
                     reverse("api:get_action", kwargs={"action_id": action.pk})]
            urls += [reverse("improvement:action_file", args=[f.pk])
                     for u in action.updates.all() for f in u.attachments.all()]
        urls += [reverse(name, args=[c.pk])
                 for c in (secrets.objects[key].get("concern"),
                           secrets.objects[key].get("concern_about_head")) if c
                 for name in ("reviews:safeguarding_detail", "reviews:safeguarding_outcome")]
        sw = secrets.objects[key].get("support")
        if sw is not None:
            urls += [reverse("support:index"),
                     reverse("support:request_detail", args=[sw.request.pk]),
                     reverse("support:match_detail", args=[sw.match.pk]),
                     reverse("api:get_request", kwargs={"request_id": sw.request.pk}),
                     reverse("api:get_match", kwargs={"match_id": sw.match.pk})]
        by_review[key] = [u for u in dict.fromkeys(urls) if u not in seen]
        seen |= set(urls)
    from apps.core.models import AuditEvent

    by_review["R1"] += [reverse("admin:core_auditevent_change", args=[e.pk])
                        for e in AuditEvent.objects.filter(details__has_key="file")[:3]]
    by_review["R1"] += [reverse("core:audit") + f"?action={a}" for a in (
        "self_review.document_added", "evidence.attachment_added", "disclosure.file_downloaded")]
    return by_review


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.get("Content-Disposition", "") + "\n" + body.decode("utf-8", "replace")


def read_everything(secrets, client, personas, urls) -> list[str]:
    found = []
    for persona in personas:
        client.logout()
        if persona != "anonymous":
            sign_in(client, secrets.world.people[persona])
        for url in urls:
            # Each look is rolled back, so one persona's visit leaves no trace for the next.
            with transaction.atomic():
                response = client.get(url)
                found += leaks(secrets, persona, f"GET {url} ({response.status_code})",
                               _text(response))
                transaction.set_rollback(True)
    return found


def send_everything(secrets) -> None:
    """Every kind of message the platform sends about these reviews."""
    from apps.improvement.reminders import send_stale_action_reminders
    from apps.notifications import services as notifications
    from apps.reviews import notify as review_notify
    from apps.reviews import services as reviews
    from apps.support import notify as support_notify

    w = secrets.world
    people = w.people
    with TestCase.captureOnCommitCallbacks(execute=True):
        for key, review in secrets.reviews.items():
            host_head = next(p for p, rel in RELATIONS[key].items() if "host_head" in rel) \
                if key != "R2" else "leader"
            by = people[host_head]
            review_notify.status_changed(review, "agree_report", by)
            review_notify.schedule_changed(review, by)
            review_notify.report_for_check(review, by)
            review_notify.report_comment(review, by)
            for member in review.team.all():
                review_notify.team_invitation(member, by)
                review_notify.team_response(member, by)
            for kind in ("safeguarding", "safeguarding_about_head"):
                for text in secrets.markers_by_kind(key, kind):
                    reviews.raise_concern(review, by=people["leader"], text=text,
                                          about_headteacher=kind != "safeguarding")
        sw = secrets.objects["R1"]["support"]
        support_notify.requested(sw.request, people["head"])
        for tell in (support_notify.brokered, support_notify.delivered,
                     support_notify.cancelled):
            tell(sw.match, people["lead"])
        support_notify.confirmed(sw.match, sw.request.school, people["head"])
        support_notify.offered(sw.offer, people["leader"])
        send_stale_action_reminders(now=timezone.now() + timedelta(weeks=20))
        today = timezone.localdate()
        for days in range(0, 40):
            notifications.send_reminders(today + timedelta(days=days))
        notifications.send_digests(now=timezone.now() + timedelta(days=1))


# --- The world, once per module ------------------------------------------------------------

@pytest.fixture(scope="module")
def secrets(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            s = build_secrets()
            s.markers_by_kind = lambda key, kind: [m for m, (k, kd, _) in s.markers.items()
                                                   if k == key and kd == kind]
            s.urls = urls_to_read(s)
            yield s
            transaction.set_rollback(True)


@pytest.mark.django_db
def test_every_page_and_endpoint_shows_content_only_to_those_the_rules_allow(secrets):
    found = []
    for key, urls in secrets.urls.items():
        found += read_everything(secrets, Client(), personas_for(key), urls)
    assert not found, f"{len(found)} leaks:\n" + "\n".join(found[:60])


@pytest.mark.django_db
def test_the_world_has_every_kind_of_secret_and_someone_sees_each(secrets):
    """The checker is not vacuous: the markers exist, and allowed people do read them."""
    kinds = {kind for _, kind, _ in secrets.markers.values()}
    assert kinds == set(SEES)
    client = Client()
    sign_in(client, secrets.world.people["head"])
    r1 = secrets.reviews["R1"]
    seen = set()
    for url in (reverse("reviews:findings", args=[r1.pk]),
                reverse("improvement:plan", args=[r1.pk]),
                reverse("reviews:safeguarding_detail",
                        args=[secrets.objects["R1"]["concern"].pk])):
        seen |= set(MARKER.findall(_text(client.get(url))))
    assert {secrets.markers[m][1] for m in seen} >= {"content", "plan", "safeguarding"}


@pytest.mark.django_db
def test_messages_and_calendars_carry_no_content_to_the_excluded(secrets):
    from apps.notifications.models import Notification
    from apps.notifications.services import calendar_feed

    mail.outbox = []
    send_everything(secrets)
    persona_of = {u.email: name for name, u in secrets.world.people.items()}
    found = []
    for message in mail.outbox:
        parts = [message.subject, message.body]
        parts += [c for c, _ in getattr(message, "alternatives", [])]
        parts += [a.get_payload() if hasattr(a, "get_payload") else str(a[1])
                  for a in message.attachments]
        for address in message.to:
            persona = persona_of.get(address)
            if persona:
                found += leaks(secrets, persona, f"email “{message.subject}”",
                               "\n".join(str(p) for p in parts))
    for note in Notification.objects.select_related("user"):
        persona = persona_of.get(note.user.email)
        if persona:
            found += leaks(secrets, persona, f"notification “{note.subject}”",
                           "\n".join([note.subject, note.body, note.ics]))
    for persona in ALL_PERSONAS:
        if persona != "anonymous":
            found += leaks(secrets, persona, "calendar feed",
                           calendar_feed(secrets.world.people[persona]).decode())
    assert mail.outbox, "no emails were sent: the test would prove nothing"
    assert not found, f"{len(found)} leaks:\n" + "\n".join(found[:60])


@pytest.mark.django_db
def test_a_reintroduced_leak_is_reported(secrets):
    """The checker can fail: let host staff read review content, as the action page once
    did, and it names the persona, the URL and the marker."""
    import rules

    from apps.reviews import rules as policy

    r1 = secrets.reviews["R1"]
    url = reverse("reviews:findings", args=[r1.pk])
    assert not read_everything(secrets, Client(), ["staff"], [url])
    rules.set_perm("reviews.view_content", policy.can_see_review_content | policy.is_host_member)
    try:
        found = read_everything(secrets, Client(), ["staff"], [url])
    finally:
        rules.set_perm("reviews.view_content", policy.can_see_review_content)
    assert found and all(f.startswith("staff saw SECRET-R1-") for f in found)
    assert url in found[0] and "(content of R1)" in found[0]
