"""The review cycle's rules as the services and pages enforce them."""

import re
import uuid
from datetime import date, timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.core.audit import AuditEvent
from apps.reviews import calendar, language, schedule, services, teams
from apps.reviews.models import (
    Cycle,
    EvidenceNote,
    Finding,
    Report,
    Review,
    ReviewFile,
    Status,
    TeamMember,
)
from conftest import TINY_PDF, TOTP_SECRET, sign_in
from tests.factories import RoleFactory, UserFactory

TRAINED = timezone.localdate() + timedelta(days=200)


def leader_at(world, key, trained=True, **extra):
    user = UserFactory(reviewer_trained_until=TRAINED if trained else None, **extra)
    RoleFactory(user=user, role="school_leader", school=world.schools[key])
    return user


def fresh_review(world, host="A3", **extra):
    """A new review of ``host``: in the world's cycle, or next year's when the school already
    has a review this year (a school has one review per cycle)."""
    extra.setdefault("framework_version", world.published)
    # A week after the world's own review, so its team is free that day.
    extra.setdefault("review_starts_on", timezone.localdate() + timedelta(days=7))
    cycle = world.cycle
    if cycle.reviews.filter(host=world.schools[host]).exists():
        cycle, _ = Cycle.objects.get_or_create(partnership=world.alpha,
                                               start_year=world.cycle.start_year + 1)
    return Review.objects.create(cycle=cycle, host=world.schools[host], **extra)


# Review team rules -----------------------------------------------------------------------

def test_nobody_reviews_their_own_school(world):
    review = fresh_review(world, host="A2")
    problems = teams.candidate_problems(review, world.people["leader"], "reviewer")
    assert any("works at the host school" in p for p in problems)


def test_trust_and_federation_conflicts_when_configured(world):
    world.schools["A3"].trust_code = "T1"
    world.schools["A3"].trust_name = "Oak Trust"
    world.schools["A3"].save()
    world.schools["A2"].trust_code = "T1"
    world.schools["A2"].save()
    review = fresh_review(world, host="A3")
    assert any("Oak Trust" in p for p in
               teams.candidate_problems(review, world.people["leader"], "reviewer"))
    world.cycle.trust_conflicts = False
    world.cycle.save()
    review.refresh_from_db()
    assert teams.candidate_problems(review, world.people["leader"], "reviewer") == []


def test_reviewers_need_current_training(world):
    review = fresh_review(world)
    lapsed = leader_at(world, "A4", trained=False)
    assert any("training is not recorded" in p
               for p in teams.candidate_problems(review, lapsed, "reviewer"))
    lapsed.reviewer_trained_until = timezone.localdate() - timedelta(days=1)
    lapsed.save()
    assert any("ran out" in p for p in teams.candidate_problems(review, lapsed, "lead"))
    with pytest.raises(ValidationError):
        services.invite_to_team(review, lapsed, "reviewer", by=world.people["lead"])
    assert not TeamMember.objects.filter(review=review).exists()


def test_one_person_per_school_one_lead_and_at_most_four(world):
    review = fresh_review(world, host="A1")
    services.invite_to_team(review, world.people["leader"], "lead", by=world.people["lead"])
    second_a2 = leader_at(world, "A2")
    assert any("already on the team" in p
               for p in teams.candidate_problems(review, second_a2, "reviewer"))
    other = leader_at(world, "A3")
    assert any("already has a lead reviewer" in p
               for p in teams.candidate_problems(review, other, "lead"))


def test_champion_comes_from_a_school_not_on_the_team(world):
    review = fresh_review(world, host="A1")
    services.invite_to_team(review, world.people["leader"], "lead", by=world.people["lead"])
    champion = leader_at(world, "A2", champion_trained_until=TRAINED)
    assert any("already represented" in p
               for p in teams.candidate_problems(review, champion, "champion"))
    elsewhere = leader_at(world, "A4", champion_trained_until=TRAINED)
    assert teams.candidate_problems(review, elsewhere, "champion") == []


def test_people_outside_the_partnership_unless_their_lead_agrees(
        world, django_capture_on_commit_callbacks):
    """Cross-partnership reviews are an agreement: choosing Beta asks Beta's lead; Beta's
    people can be invited only once that lead agrees, and not after they decline."""
    from apps.notifications.models import Notification
    from apps.reviews.models import PartnerAgreement

    review = fresh_review(world, host="A1")
    beta_leader = leader_at(world, "B3")
    beta_lead = UserFactory()
    RoleFactory(user=beta_lead, role="partnership_lead", partnership=world.beta)
    outside = "does not lead a school of the partnership"
    assert any(outside in p for p in teams.candidate_problems(review, beta_leader, "reviewer"))
    with pytest.raises(ValidationError) as refused:
        services.update_cycle_settings(review.cycle, by=world.people["lead"],
                                       cross_partnership=True, partner_partnerships=[],
                                       trust_conflicts=True)
    assert "partner_partnerships" in refused.value.error_dict
    with django_capture_on_commit_callbacks(execute=True):
        services.update_cycle_settings(review.cycle, by=world.people["lead"],
                                       cross_partnership=True,
                                       partner_partnerships=[world.beta], trust_conflicts=True)
    agreement = PartnerAgreement.objects.get(cycle=review.cycle, partner=world.beta)
    assert agreement.state == PartnerAgreement.State.ASKED
    assert Notification.objects.filter(user=beta_lead, kind="cycle.partner_asked").exists()
    review = Review.objects.get(pk=review.pk)
    assert any(outside in p for p in teams.candidate_problems(review, beta_leader, "reviewer"))
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_partner_request(agreement, by=beta_lead, agree=True)
    assert Notification.objects.filter(user=world.people["lead"],
                                       kind="cycle.partner_answered").exists()
    review = Review.objects.get(pk=review.pk)
    assert teams.candidate_problems(review, beta_leader, "reviewer") == []
    with pytest.raises(ValidationError):
        services.answer_partner_request(agreement, by=beta_lead, agree=False)  # no reason
    services.answer_partner_request(agreement, by=beta_lead, agree=False,
                                    reason="Our own reviews fall in the same weeks")
    review = Review.objects.get(pk=review.pk)
    assert any(outside in p for p in teams.candidate_problems(review, beta_leader, "reviewer"))


def test_the_asked_lead_answers_on_a_page_that_shows_what_is_asked(world, client_for):
    """Alpha's lead reads Beta's request (which cycle, what agreeing means) and answers;
    the home page lists the request until then."""
    from apps.reviews.models import PartnerAgreement

    lead = client_for("lead")
    home = lead.get("/").content.decode()
    url = reverse("reviews:agreement", args=[world.agreement.pk])
    assert "Answer Beta Partnership’s request to include Alpha Partnership’s trained " \
        "reviewers" in home and url in home
    page = lead.get(url).content.decode()
    assert "What agreeing means" in page and world.agreement.cycle.label in page
    refused = lead.post(url, {"answer": "decline"}).content.decode()
    assert "Say why your partnership cannot take part" in refused
    assert 'href="#id_reason"' in refused
    assert lead.post(url, {"answer": "agree"}).status_code == 302
    world.agreement.refresh_from_db()
    assert world.agreement.state == PartnerAgreement.State.AGREED
    assert url not in lead.get("/").content.decode()


def test_invitation_accept_and_decline_with_reason(world, client):
    review = fresh_review(world, host="A1")
    member = services.invite_to_team(review, world.people["leader"], "reviewer",
                                     by=world.people["lead"])
    sign_in(client, world.people["leader"])
    url = reverse("reviews:invitation", args=[member.pk])
    response = client.post(url, {"answer": "decline"})
    assert response.status_code == 200
    assert "Say why you cannot take part" in response.content.decode()
    client.post(url, {"answer": "decline", "reason": "Ofsted visit that week"})
    member.refresh_from_db()
    assert (member.status, member.decline_reason) == ("declined", "Ofsted visit that week")


# Schedule ------------------------------------------------------------------------------

def test_schedule_warnings(world):
    day = date(2026, 11, 25)  # a Wednesday
    a3 = fresh_review(world, host="A3", review_starts_on=day, pre_review_on=day + timedelta(1))
    a4 = fresh_review(world, host="A4", review_starts_on=day)
    other = leader_at(world, "A4")
    TeamMember.objects.create(review=a3, user=world.people["leader"], school=world.schools["A2"],
                              role="lead", status="accepted")
    TeamMember.objects.create(review=a4, user=world.people["leader"], school=world.schools["A2"],
                              role="reviewer", status="accepted")
    TeamMember.objects.create(review=a3, user=other, school=world.schools["A4"],
                              role="reviewer", status="accepted")
    world.term.starts_on, world.term.ends_on = date(2026, 9, 1), date(2026, 11, 20)
    world.term.save()
    texts = [w.text for w in schedule.warnings_for(world.cycle, [a3, a4])]
    assert any("is before Pre-review meeting" in t for t in texts), texts
    assert any("booked on two reviews" in t for t in texts), texts
    assert any("A4 School hosts its own review" in t for t in texts), texts
    assert any("outside term" in t for t in texts), texts
    assert set(schedule.schools_without_review(world.cycle)) == set()  # A1–A4 all host


def test_timeline_states(world):
    today = timezone.localdate()
    review = fresh_review(world, data_sharing_on=today - timedelta(days=3),
                          pre_review_on=today + timedelta(days=5),
                          feedback_on=today + timedelta(days=40))
    states = {c["label"]: c["state"] for c in
              next(r for r in schedule.timeline(world.cycle) if r["review"] == review)["cells"]}
    assert states["Data sharing"] == "late"
    assert states["Pre-review meeting"] == "due"
    assert states["Feedback"] == "on_track"
    assert states["Improvement Workshop"] == ""


def test_changing_dates_raises_the_calendar_sequence_and_sends_invitations(
        world, django_capture_on_commit_callbacks, mailoutbox):
    review = world.review
    before = review.schedule_sequence
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.update_schedule(review, by=world.people["lead"],
                                           expected_version=review.lock_version,
                                           feedback_on=timezone.localdate() + timedelta(9))
    assert changed == ["feedback_on"]
    review.refresh_from_db()
    assert review.schedule_sequence == before + 1
    events = calendar.review_events(review)
    assert all(e.sequence == before + 1 for e in events)
    invitations = [m for m in mailoutbox if m.attachments]
    assert invitations
    attachment = invitations[0].attachments[0]
    content = attachment.get_payload(decode=True) if hasattr(attachment, "get_payload") \
        else attachment[1]
    content = content.encode() if isinstance(content, str) else content
    assert f"SEQUENCE:{before + 1}".encode() in content


def test_stale_schedule_edit_is_refused(world):
    review = world.review
    with pytest.raises(services.EditConflict):
        services.update_schedule(review, by=world.people["lead"],
                                 expected_version=review.lock_version - 1 if review.lock_version
                                 else 99, pre_review_on=world.cycle.first_day + timedelta(days=30))


def test_calendar_feed_events_for_team_and_host(world):
    uids = {e.uid for e in calendar.events_for_user(world.people["leader"])}
    assert f"review-{world.review.pk}-review_starts_on@peer-review" in uids
    assert calendar.events_for_user(world.people["outsider"]) == []


# Evidence, findings and the report --------------------------------------------------------

def test_evidence_sent_twice_is_saved_once(world):
    review = world.review
    review.status = Status.IN_REVIEW
    review.save()
    client_id = uuid.uuid4()
    note, created = services.save_evidence(review, by=world.people["leader"], text="First",
                                           client_id=client_id)
    again, created_again = services.save_evidence(review, by=world.people["leader"],
                                                  text="First, more", client_id=client_id,
                                                  expected_version=note.lock_version)
    assert created and not created_again and again.pk == note.pk
    assert EvidenceNote.objects.filter(client_id=client_id).count() == 1


def test_evidence_closed_outside_the_review(world):
    with pytest.raises(ValidationError, match="Evidence is recorded"):
        services.save_evidence(world.review, by=world.people["leader"], text="Late note")


def test_two_reviewers_editing_findings_no_lost_update(world, client):
    review = world.review
    review.status = Status.IN_REVIEW
    review.save()
    second = leader_at(world, "A4")
    TeamMember.objects.create(review=review, user=second, school=world.schools["A4"],
                              role="reviewer", status="accepted")
    finding = Finding.objects.get(review=review, line=None)
    url = reverse("reviews:findings", args=[review.pk])
    read_version = finding.lock_version
    sign_in(client, world.people["leader"])
    client.post(url, {"section": "key", "key-lock_version": read_version,
                      "key-working_well": "Leader's words"})
    client.logout()
    sign_in(client, second)
    response = client.post(url, {"section": "key", "key-lock_version": read_version,
                                 "key-working_well": "Second reviewer's words"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "saved these findings while you were editing" in page
    assert "Second reviewer&#x27;s words" in page  # their text is kept in the form
    finding.refresh_from_db()
    assert finding.working_well == "Leader's words"  # the first save is not lost


def test_refused_attachment_keeps_the_note_under_its_line_and_says_so(world, client):
    """Autosave stores a note's text as it is typed, so a full save with a refused file does
    the same (never "There is a problem" over a note that is in fact stored): the note is
    saved under the line chosen, the file is not, and the page says both."""
    review = world.review
    review.status = Status.IN_REVIEW
    review.save()
    line = review.lines.first()
    sign_in(client, world.people["leader"])
    before = ReviewFile.objects.count()
    client_id = str(uuid.uuid4())
    response = client.post(reverse("reviews:evidence", args=[review.pk]), {
        "client_id": client_id, "text": "Pupils talked about books", "line": line.pk,
        "file": SimpleUploadedFile("photo.jpg", b"not really a jpeg")})
    page = response.content.decode()
    assert response.status_code == 200
    assert "not really a .jpg file" in page
    assert f"Your note is saved under line of enquiry {line.position}" in page
    note = EvidenceNote.objects.get(client_id=client_id)
    assert (note.text, note.line) == ("Pupils talked about books", line)
    assert ReviewFile.objects.count() == before
    # Saving again from the page (its version is the saved one) attaches a good file.
    version = re.search(r'name="lock_version" value="(\d+)"', page).group(1)
    client.post(reverse("reviews:evidence", args=[review.pk]), {
        "client_id": client_id, "text": "Pupils talked about books", "line": line.pk,
        "lock_version": version, "file": SimpleUploadedFile("plan.pdf", TINY_PDF)})
    assert note.attachments.count() == 1
    response = client.post(reverse("reviews:evidence", args=[review.pk]), {
        "client_id": str(uuid.uuid4()), "text": "",
        "file": SimpleUploadedFile("virus.exe", b"MZ...")})
    assert "must be a PDF" in response.content.decode()
    assert ReviewFile.objects.count() == before + 1  # nothing more: the note had no text


def test_report_versions_lock_and_pdf_is_tagged(world, django_capture_on_commit_callbacks):
    review = fresh_review(world, host="A3", status=Status.FEEDBACK_GIVEN,
                          key_question="How do pupils use feedback?")
    TeamMember.objects.create(review=review, user=world.people["leader"],
                              school=world.schools["A2"], role="lead", status="accepted")
    Finding.objects.create(review=review, working_well="Pupils respond to marking.")
    head = world.people["exec_head"]
    report = services.compile_report(review, by=world.people["leader"], summary="Summary")
    services.submit_report(report, by=world.people["leader"])
    services.comment_on_report(report, by=head, text="Name of the deputy is wrong")
    with pytest.raises(Exception, match="Every factual-accuracy comment"):
        services.accept_report(report, by=head)
    services.resolve_comment(report.comments.get(), by=world.people["leader"],
                             response="Corrected")
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_report(report, by=head)
    report.refresh_from_db()
    review.refresh_from_db()
    assert report.status == Report.State.AGREED and review.status == Status.REPORT_AGREED
    assert report.pdf_status == "done"
    pdf = report.pdf.read()
    assert pdf.startswith(b"%PDF") and report.pdf.name.startswith("reports/")
    assert b"/StructTreeRoot" in _inflated(pdf)  # tagged, for screen readers
    assert b"/Lang" in _inflated(pdf)
    with pytest.raises(services.EditConflict):
        services._bump(Report, report, report.lock_version - 1, summary="changed")
    # A later change makes a new version; the agreed one stays as it was.
    v2 = services.compile_report(review, by=world.people["leader"], summary="Summary, revised")
    assert v2.number == 2 and v2.status == "draft"
    report.refresh_from_db()
    assert report.summary == "Summary" and report.status == "agreed"


def _inflated(pdf: bytes) -> bytes:
    """The PDF with its compressed streams (object streams included) inflated."""
    import re
    import zlib

    out = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            pass
    return b"\n".join(out)


# Language --------------------------------------------------------------------------------

def test_judgement_words_warn_with_suggestions():
    warnings = language.judgement_warnings("Teaching was Outstanding and behaviour requires  "
                                           "improvement.", "A good start")
    words = [w for w, _ in warnings]
    assert words == ["Outstanding", "requires  improvement", "good"]
    assert language.judgement_warnings("Pupils explained their reasoning.") == []
    assert language.judgement_warnings("goodness") == []


def test_saving_judgement_words_warns_but_saves(world, client):
    review = world.review
    review.status = Status.IN_REVIEW
    review.save()
    sign_in(client, world.people["leader"])
    response = client.post(reverse("reviews:findings", args=[review.pk]), {
        "section": "key", "key-lock_version": Finding.objects.get(review=review).lock_version,
        "key-working_well": "Outstanding reading"}, follow=True)
    assert "sound like inspection grades" in response.content.decode()
    assert Finding.objects.get(review=review).working_well == "Outstanding reading"


# Confidentiality ---------------------------------------------------------------------------

def test_sharing_is_audited_and_withdrawable(world, client):
    head, lead = world.people["head"], world.people["lead"]
    url = reverse("reviews:report", args=[world.review.pk])
    sign_in(client, lead)
    assert client.get(url).status_code == 403
    share = services.share_report(world.review, "partnership", by=head)
    world.review.__dict__.pop("_pr_shares", None)
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(action="disclosure.report_viewed", actor=lead).exists()
    services.withdraw_share(share, by=head)
    assert client.get(url).status_code == 403
    client.logout()
    sign_in(client, head)
    log = client.get(reverse("reviews:sharing", args=[world.review.pk])).content.decode()
    name = lead.display_name
    assert f"{name} read the report" in log
    assert "stopped sharing the report with the partnership" in log
    assert "share_withdrawn" not in log and "disclosure." not in log


def test_the_looks_history_is_plain_filterable_and_paged(world, client_for):
    """The host reads who looked in sentences, can separate the school's own looks from
    everyone else's and one kind of look from the rest, and pages through a long history."""
    from apps.reviews import disclosures

    review, head, leader = world.review, world.people["head"], world.people["leader"]
    services.record_disclosure(review, "report_downloaded", by=head)
    services.record_disclosure(review, "evidence_viewed", by=leader)
    services.record_disclosure(review, "evidence_viewed", by=leader)
    client = client_for("head")
    url = reverse("reviews:sharing", args=[review.pk])
    page = client.get(url).content.decode()
    assert f"{head.display_name} downloaded the report PDF on " in page
    assert f"{leader.display_name} looked at the evidence on " in page
    assert "2 times in all" in page
    own = client.get(url, {"who": "host"}).content.decode()
    assert "downloaded the report PDF" in own and "looked at the evidence" not in own
    others = client.get(url, {"who": "others"}).content.decode()
    assert "looked at the evidence" in others and "downloaded the report PDF" not in others
    report_only = client.get(url, {"what": "report"}).content.decode()
    assert "downloaded the report PDF" in report_only and "looked at the evidence" not in \
        report_only
    for n in range(disclosures.PER_PAGE + 5):
        AuditEvent.objects.create(action="disclosure.findings_viewed", actor=leader,
                                  object_type="reviews.review", object_id=str(review.pk),
                                  view_key=f"k{n}")
    first = client.get(url).content.decode()
    assert "1 of 2" in first and 'href="?page=2"' in first
    filtered = client.get(url, {"who": "others"}).content.decode()
    assert 'href="?who=others&amp;page=2"' in filtered
    second = client.get(url, {"page": 2}).content.decode()
    assert "2 of 2" in second


def test_safeguarding_record_goes_only_to_head_and_dsl(world, client,
                                                       django_capture_on_commit_callbacks,
                                                       mailoutbox):
    dsl = UserFactory()
    RoleFactory(user=dsl, role="dsl", school=world.schools["A1"])
    officer = UserFactory()
    RoleFactory(user=officer, role="safeguarding_officer")
    for reader in (dsl, officer):  # their roles require an authenticator app
        TOTP.activate(reader, TOTP_SECRET)
    with django_capture_on_commit_callbacks(execute=True):
        concern = services.raise_concern(world.review, by=world.people["leader"],
                                         text="A pupil said something worrying",
                                         about_headteacher=False)
    recipients = {m.to[0] for m in mailoutbox}
    assert recipients == {world.people["head"].email, dsl.email}
    assert all("worrying" not in m.body for m in mailoutbox)
    url = reverse("reviews:safeguarding_detail", args=[concern.pk])
    for user, status in [(world.people["head"], 200), (dsl, 200), (officer, 404),
                         (world.people["leader"], 404), (world.people["core"], 404)]:
        client.logout()
        sign_in(client, user)
        assert client.get(url).status_code == status, user
    about_head = services.raise_concern(world.review, by=world.people["leader"],
                                        text="About the head", about_headteacher=True)
    url = reverse("reviews:safeguarding_detail", args=[about_head.pk])
    for user, status in [(world.people["head"], 404), (dsl, 404), (officer, 200)]:
        client.logout()
        sign_in(client, user)
        assert client.get(url).status_code == status, user
    # Never in notes or the report, and the host's disclosure log does not list it.
    assert not AuditEvent.objects.filter(action__startswith="disclosure.safeguarding").exists()


def test_self_review_document_upload_refused_with_reason(world, client):
    review = fresh_review(world, host="A1", status=Status.SELF_REVIEW)
    sign_in(client, world.people["head"])
    response = client.post(reverse("reviews:self_review", args=[review.pk]), {
        "upload": "1", "file": SimpleUploadedFile("plan.pdf", b"hello")})
    assert "not really a .pdf file" in response.content.decode()
    client.post(reverse("reviews:self_review", args=[review.pk]), {
        "upload": "1", "file": SimpleUploadedFile("plan.pdf", TINY_PDF)})
    assert ReviewFile.objects.filter(review=review, filename="plan.pdf").count() == 1


def test_usage_counts_come_from_agreed_reviews(world):
    from apps.frameworks.presenters import usage_by_ref

    question = world.shortlist_item.question
    for key in ("A2", "A3", "A4", "B1"):
        fresh_review(world, host=key, key_question=question.text, key_question_ref=question.ref,
                     enquiry_agreed_at=timezone.now(), status=Status.ENQUIRY_AGREED)
    assert usage_by_ref([question.ref]) == {}  # 4 schools: too few to show
    fresh_review(world, host="B2", key_question=question.text, key_question_ref=question.ref,
                 enquiry_agreed_at=timezone.now(), status=Status.SCHEDULED)
    # A1 chose it on its shortlist as well: six schools.
    world.shortlist_item.chosen_for_review = True
    world.shortlist_item.save()
    assert usage_by_ref([question.ref]) == {question.ref: 6}


def test_home_page_lists_review_invitations_and_reviews(world, client):
    review = fresh_review(world, host="A3")
    member = services.invite_to_team(review, world.people["reviewer2"], "reviewer",
                                     by=world.people["lead"])
    sign_in(client, world.people["reviewer2"])
    page = client.get(reverse("home")).content.decode()
    assert reverse("reviews:invitation", args=[member.pk]) in page
    client.logout()
    sign_in(client, world.people["head"])
    page = client.get(reverse("home")).content.decode()
    # The head's own review is worded as its next step (its workshop is today).
    assert "at A1 School’s Improvement Workshop on" in page


def test_three_date_edits_leave_one_unread_message_each(
        world, django_capture_on_commit_callbacks, mailoutbox):
    """No flood: each attendee has one unread "dates" notification for the review however
    many times its dates change, and one email per change carrying an invitation per event."""
    from apps.notifications.models import Notification

    review = world.review
    for days in (9, 10, 11):
        review.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            services.update_schedule(review, by=world.people["lead"],
                                     expected_version=review.lock_version,
                                     feedback_on=timezone.localdate() + timedelta(days))
    head = world.people["head"]
    unread = Notification.objects.filter(user=head, kind="review.calendar", read_at=None)
    assert unread.count() == 1
    note = unread.get()
    assert "feedback on" in note.body and f"{timezone.localdate() + timedelta(11):%-d %B}" \
        in note.body
    mails = [m for m in mailoutbox if head.email in m.to]
    assert len(mails) == 3
    events = len([e for e in calendar.review_events(review)
                  if any(a.pk == head.pk for a in e.attendees)])
    assert events > 1 and len(mails[-1].attachments) == events
    # Once read, the next change is a new message.
    Notification.objects.filter(pk=note.pk).update(read_at=timezone.now())
    review.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_schedule(review, by=world.people["lead"],
                                 expected_version=review.lock_version,
                                 feedback_on=timezone.localdate() + timedelta(12))
    assert Notification.objects.filter(user=head, kind="review.calendar").count() == 2


def test_required_choices_have_no_silent_default(world, client_for):
    """Adding a review: no host school or way of running is chosen for the lead; leaving
    either out is an error naming it."""
    lead = client_for("lead")
    url = reverse("reviews:add_review", args=[world.cycle.pk])
    page = lead.get(url).content.decode()
    assert ">Select the host school</option>" in page
    assert 'name="mode"' in page and "checked" not in page.split('name="mode"', 1)[1][:200]
    errors = lead.post(url, {"framework_version": ""}).content.decode()
    assert "Select the host school" in errors and "Select how the review runs" in errors


def test_a_step_passed_is_done_but_never_on_a_day_to_come(world):
    """The enquiry is agreed (so the pre-review meeting's work is done), but the meeting is
    dated next week: the schedule says due, not done; once the day has passed, done."""
    review = world.review
    next_week = timezone.localdate() + timedelta(days=7)
    review.status, review.pre_review_on = "enquiry_agreed", next_week
    assert schedule.step_state(review, "pre_review_on") == "due"
    assert schedule.step_state(review, "pre_review_on",
                               today=next_week + timedelta(days=1)) == "done"


def test_every_step_of_a_review_has_its_own_notification_wording():
    """No step falls back to a vague "has moved on": each transition names what happened."""
    from apps.reviews import notify, workflow

    missing = [name for name in workflow.TRANSITIONS if name not in notify.MESSAGES]
    assert missing == []
