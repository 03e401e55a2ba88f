"""A world full of secrets, for tests/test_confidentiality.py.

It starts from conftest's ``build_world`` and adds:

- personas at the edges of the rules: the host's designated safeguarding lead (``dsl``); a
  programme safeguarding officer who is also headteacher of B3, a host school (``officer``);
  team members removed, declined and still invited (``removed``, ``declined``, ``pending``,
  school leaders at the unpartnered school X, so the team place is their only tie to Alpha);
  a former school leader of A1 whose role has ended and who still owns an action
  (``ended``); the headteacher of A5, a school that has left Alpha (``lefthead``);
- four reviews, each with a unique marker ``SECRET-<review>-<field>-<8 hex>`` in every
  confidential field (self-review entries, document names and contents, key question,
  lines, visit plan, evidence notes, tags and attachments, findings, report versions and
  comments, safeguarding records and what was done about them, workshop notes, actions,
  progress updates, action files, check-back, support requests):

  ====  ======  =================================================================
  R1    A1      ``world.review``: report agreed, not shared; plan shared with
                Alpha; a support request; a concern about the headteacher too
  R2    A2      ``world.other_review``: self-review under way (``leader`` hosts it)
  R3    B1      report agreed, shared with Beta and then withdrawn; plan not shared
  R4    B3      report agreed and shared with Beta; a concern about its headteacher
                (``officer``), who must never see it
  ====  ======  =================================================================

``markers`` maps each marker to ``(review key, kind, field)``; the kinds are the rows of the
tables in docs/review-cycle.md and docs/improvement.md.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from unittest import mock

from allauth.mfa.totp.internal.auth import TOTP
from django.core.files.base import ContentFile
from django.utils import timezone

from apps.accounts.models import Role
from conftest import TINY_PDF, TOTP_SECRET, build_world
from tests.factories import MembershipFactory, RoleFactory, SchoolFactory, UserFactory

EXTRA_PERSONAS = ["dsl", "officer", "removed", "declined", "pending", "ended", "lefthead"]


@dataclass
class Secrets:
    world: object
    reviews: dict = field(default_factory=dict)  # key -> Review
    markers: dict = field(default_factory=dict)  # marker -> (review key, kind, field)
    objects: dict = field(default_factory=dict)  # key -> {name: object} for URLs


class SourceHTML:
    """A stand-in for WeasyPrint's HTML: the "PDF" is the HTML it was given, so the test reads
    exactly the text that would be typeset (no PDF text extractor is installed)."""

    def __init__(self, string="", **kwargs):
        self.string = string

    def write_pdf(self, **kwargs):
        return b"%PDF-source\n" + self.string.encode()


def build_secrets() -> Secrets:
    w = build_world()
    s = Secrets(world=w)

    def mark(review_key, kind, name):
        marker = f"SECRET-{review_key}-{name}-{uuid.uuid4().hex[:8]}"
        s.markers[marker] = (review_key, kind, name)
        return marker

    _people(w)
    _reviews(w, s)
    for key, review in s.reviews.items():
        _plant(w, s, key, review, mark)
    _support(w, s, mark)
    return s


def _people(w):
    today = timezone.localdate()

    def person(name, *roles):
        user = UserFactory(email=f"{name}@test.example", full_name=name.title(),
                           reviewer_trained_until=today + timedelta(days=300))
        for role, scope in roles:
            RoleFactory(user=user, role=role, **({"school": scope} if scope else {}))
        w.people[name] = user
        return user

    w.schools["B3"] = w.memberships["B3"].school
    w.schools["A5"] = SchoolFactory(name="A5 School")
    w.memberships["A5"] = MembershipFactory(partnership=w.alpha, school=w.schools["A5"],
                                            joined_on=today.replace(year=2023),
                                            left_on=today - timedelta(days=30))
    # Both roles read safeguarding concerns, so they sign in with an authenticator app.
    TOTP.activate(person("dsl", (Role.DSL, w.schools["A1"])), TOTP_SECRET)
    TOTP.activate(person("officer", (Role.SAFEGUARDING_OFFICER, None),
                         (Role.HEADTEACHER, w.schools["B3"])), TOTP_SECRET)
    for name in ("removed", "declined", "pending"):
        person(name, (Role.SCHOOL_LEADER, w.schools["X"]))
    ended = person("ended", (Role.SCHOOL_LEADER, w.schools["A1"]))
    ended.roles.update(ended_at=timezone.now() - timedelta(days=10))
    person("lefthead", (Role.HEADTEACHER, w.schools["A5"]))


def _reviews(w, s):
    from apps.reviews import models as r

    today = timezone.localdate()
    s.reviews["R1"] = w.review
    s.reviews["R2"] = w.other_review
    beta_cycle = r.Cycle.objects.create(partnership=w.beta, start_year=w.cycle.start_year)
    for key, school in (("R3", "B1"), ("R4", "B3")):
        s.reviews[key] = r.Review.objects.create(
            cycle=beta_cycle, host=w.schools[school], framework_version=w.published,
            status=r.Status.REPORT_AGREED, review_starts_on=today + timedelta(days=3),
            pre_review_on=today + timedelta(days=12), workshop_on=today + timedelta(days=5))
    r.TeamMember.objects.create(review=s.reviews["R3"], user=w.people["outsider"],
                                school=w.schools["B2"], role="lead", status="accepted")
    review = w.review
    for name, status in (("removed", "removed"), ("declined", "declined"),
                         ("pending", "invited")):
        r.TeamMember.objects.create(review=review, user=w.people[name], school=w.schools["X"],
                                    role="reviewer", status=status)


def _plant(w, s, key, review, mark):
    """Every confidential field of ``review`` gets its own marker."""
    from apps.improvement import models as i
    from apps.reviews import models as r

    today = timezone.localdate()
    objs = s.objects.setdefault(key, {})

    def content(name):
        return mark(key, "content", name)

    review.key_question = content("key_question")
    review.save(update_fields=["key_question"])
    r.SelfReviewEntry.objects.update_or_create(
        review=review, theme=None,
        defaults={"strengths": content("strengths"),
                  "areas_to_develop": content("areas_to_develop")})
    line = review.lines.first() or r.LineOfEnquiry.objects.create(review=review, position=1,
                                                                   text="")
    line.text = content("line")
    line.save()
    activity = review.activities.first() or r.Activity.objects.create(
        review=review, kind="lesson_visit", on=today, starts_at="10:00")
    activity.place, activity.people = content("activity_place"), content("activity_people")
    activity.meeting_link = "https://meet.example/" + content("activity_meeting_link")
    activity.save()
    note = review.evidence.first() or r.EvidenceNote.objects.create(
        review=review, author=w.people["leader"], line=line, activity=activity, text="")
    note.text, note.tags = content("evidence"), [content("evidence_tag")]
    note.save()
    objs["note"] = note
    for purpose, owner in (("self_review", None), ("evidence", note)):
        f = review.files.filter(purpose=purpose).first() or r.ReviewFile(
            review=review, purpose=purpose, content_type="application/pdf")
        f.note = owner
        f.filename = content(f"{purpose}_filename") + ".pdf"
        data = TINY_PDF + content(f"{purpose}_file_contents").encode()
        f.file, f.size_bytes = ContentFile(data, name=f.filename), len(data)
        f.save()
        objs[f"{purpose}_file"] = f
    for finding_line in (None, line):
        r.Finding.objects.update_or_create(review=review, line=finding_line, defaults={
            "working_well": content("working_well"),
            "explore_further": content("explore_further"),
            "workshop_questions": content("workshop_questions")})
    # The audit log names files as the services and downloads do.
    from apps.core import audit
    from apps.reviews.services import record_disclosure

    for f in review.files.all():
        audit.record("self_review.document_added" if f.purpose == "self_review"
                     else "evidence.attachment_added", actor=w.people["leader"], obj=review,
                     file=f.filename)
        record_disclosure(review, "file_downloaded", by=w.people["leader"], file=f.filename)
    if key == "R2":  # still at the self-review: nothing after it
        return

    # The agreed report (version 1) and a later draft (version 2).
    def report_text(name):
        return mark(key, "report", name)

    agreed = review.reports.filter(number=1).first() or r.Report(review=review, number=1)
    agreed.status, agreed.agreed_at, agreed.agreed_by = "agreed", timezone.now(), None
    agreed.summary = report_text("report_summary")
    agreed.sections = [{"heading": "Key enquiry question",
                        "question": report_text("report_question"),
                        "working_well": report_text("report_working_well"),
                        "explore_further": report_text("report_explore_further"),
                        "workshop_questions": report_text("report_workshop_questions")}]
    agreed.save()
    objs["report"] = agreed
    r.Report.objects.create(review=review, number=2, status="draft",
                            summary=content("draft_summary"))
    comment = agreed.comments.first() or r.ReportComment(report=agreed)
    comment.text, comment.response = content("comment"), content("comment_response")
    comment.save()
    objs["comment"] = comment
    concern = r.SafeguardingConcern.objects.filter(review=review).first() or \
        r.SafeguardingConcern(review=review, raised_by=w.people["leader"])
    concern.text = mark(key, "safeguarding", "concern")
    # Seen, with what was done recorded and the concern reopened: the outcome shows on the
    # concern's page and in its outcome form.
    concern.acknowledged_at, concern.outcome_at = timezone.now(), timezone.now()
    concern.outcome = mark(key, "safeguarding", "concern_outcome")
    concern.save()
    objs["concern"] = concern
    objs["concern_about_head"] = r.SafeguardingConcern.objects.create(
        review=review, raised_by=w.people["leader"], about_headteacher=True,
        text=mark(key, "safeguarding_about_head", "concern_about_head"),
        acknowledged_at=timezone.now(), outcome_at=timezone.now(), closed_at=timezone.now(),
        outcome=mark(key, "safeguarding_about_head", "concern_about_head_outcome"))

    workshop, _ = i.Workshop.objects.get_or_create(review=review,
                                                   defaults={"held_on": today})
    for name in ("revisit_notes", "focus", "causes", "impact_plan"):
        setattr(workshop, name, mark(key, "workshop", name))
    workshop.save()
    objs["workshop"] = workshop
    head = {"R1": "head", "R3": "exec_head", "R4": "officer"}[key]
    owners = [w.people["staff"] if key == "R1" else w.people[head]]
    if key == "R1":
        owners.append(w.people["ended"])
    checkback, _ = i.CheckBack.objects.get_or_create(review=review)
    checkback.summary = mark(key, "plan", "checkback_summary")
    checkback.save()
    for n, owner in enumerate(owners):
        action = (w.action if key == "R1" and n == 0 else i.Action(
            review=review, starts_on=today, due_on=today + timedelta(days=20)))
        action.owner = owner
        for name in ("title", "why", "success_criteria", "resources", "support_wanted"):
            setattr(action, name, mark(key, "plan", f"action{n}_{name}"))
        action.save()
        action.findings.set(review.findings.all())
        update = action.updates.first() or i.ProgressUpdate.objects.create(
            action=action, author=owner, status="in_progress", text="")
        update.text = mark(key, "plan", f"action{n}_update")
        update.save()
        af = update.attachments.first() or i.ActionFile(update=update,
                                                         content_type="application/pdf")
        af.filename = mark(key, "plan", f"action{n}_filename") + ".pdf"
        data = TINY_PDF + mark(key, "plan", f"action{n}_file_contents").encode()
        af.file, af.size_bytes = ContentFile(data, name=af.filename), len(data)
        af.save()
        i.ActionImpact.objects.update_or_create(action=action, defaults={
            "checkback": checkback, "impact_seen": mark(key, "plan", f"action{n}_impact"),
            "evidence": mark(key, "plan", f"action{n}_impact_evidence"),
            "next_steps": mark(key, "plan", f"action{n}_next_steps")})
        record_disclosure(review, "file_downloaded", by=owner, file=af.filename)
        objs.setdefault("action", action)
        objs.setdefault("action_file", af)

    # The PDFs hold the source HTML of what WeasyPrint would typeset.
    from apps.improvement.tasks import render_plan
    from apps.reviews.pdf import render_report

    with mock.patch("weasyprint.HTML", SourceHTML):
        agreed.pdf = ContentFile(render_report(agreed), name="report.pdf")
        agreed.pdf_status = "done"
        agreed.save(update_fields=["pdf", "pdf_status"])
        export = i.PlanExport.objects.create(
            review=review, status="done", pdf=ContentFile(render_plan(review), name="plan.pdf"))
    objs["export"] = export

    # Shares, as the rules' cases need them.
    now = timezone.now()
    if key == "R1":
        i.PlanShare.objects.create(review=review, shared_by=w.people["head"])
    if key == "R3":
        r.ReportShare.objects.create(review=review, audience="partnership",
                                     shared_by=w.people["exec_head"], withdrawn_at=now,
                                     withdrawn_by=w.people["exec_head"])
    if key == "R4":
        r.ReportShare.objects.create(review=review, audience="partnership",
                                     shared_by=w.people["officer"])


def _support(w, s, mark):
    """The permission matrix's support request on R1, with its content marked."""
    from apps.support.tests.matrix_rows import support_world

    sw = support_world(w)
    sw.request.need = mark("R1", "support", "support_need")
    sw.request.save()
    sw.match.people = mark("R1", "support", "match_people")
    sw.match.outcome = mark("R1", "support", "match_outcome")
    sw.match.save()
    for n, action in enumerate((sw.action, sw.spare_action)):
        action.title = mark("R1", "plan", f"support_action{n}_title")
        action.support_wanted = mark("R1", "plan", f"support_action{n}_support_wanted")
        action.save()
    s.objects["R1"]["support"] = sw
    # On R3 (plan not shared): B2 (``outsider``, also on R3's team) is asked to help; it may
    # read the need but not the action it serves.
    from apps.support.models import SupportMatch, SupportOffer, SupportRequest

    offer = SupportOffer.objects.create(school=w.schools["B2"], partnership=w.beta,
                                        title="Maths coaching", area="maths", people="Us",
                                        hours=6, created_by=w.people["outsider"])
    request = SupportRequest.objects.create(
        action=s.objects["R3"]["action"], school=w.schools["B1"], partnership=w.beta,
        need=mark("R3", "support", "support_need"), hours_wanted=3, status="matched",
        created_by=w.people["exec_head"])
    match = SupportMatch.objects.create(request=request, offer=offer,
                                        provider_school=w.schools["B2"],
                                        people=mark("R3", "support", "match_people"),
                                        outcome=mark("R3", "support", "match_outcome"))
    s.objects["R3"]["support"] = type(sw)(offer=offer, request=request, match=match,
                                          action=request.action)
