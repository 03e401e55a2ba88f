"""Editing together: two people saving the same text from the same starting point both keep
their words. The first save wins; the second gets ``EditConflict`` carrying the saved text
(the page then shows both), including when the section did not exist yet."""

import re
import threading
from datetime import time

import pytest
from django.db import connection, connections
from django.urls import reverse

from apps.reviews import services
from apps.reviews.models import Finding, SelfReviewEntry, Status, TeamMember
from conftest import sign_in
from tests.factories import RoleFactory, UserFactory

FIRST, SECOND = "First person's words.", "Second person's words."


def _self_review(world, theme):
    review = world.review
    review.status = Status.SELF_REVIEW
    review.save()
    theme = world.published.themes.first() if theme else None
    entry = SelfReviewEntry.objects.filter(review=review, theme=theme).first()

    def save(by, text, version, base=None):
        return services.save_self_review(review, theme, by=by, strengths=text,
                                         areas_to_develop="", expected_version=version,
                                         base=base)
    return save, lambda: SelfReviewEntry.objects.get(review=review, theme=theme).strengths, \
        entry.lock_version if entry else 0


def _finding(world, line):
    review = world.review
    review.status = Status.IN_REVIEW
    review.save()
    Finding.objects.all().delete()  # a fresh review: nobody has written findings yet
    line = review.lines.first() if line else None

    def save(by, text, version, base=None):
        return services.save_finding(review, line, by=by, working_well=text,
                                     explore_further="", workshop_questions="",
                                     expected_version=version, base=base)
    return save, lambda: Finding.objects.get(review=review, line=line).working_well, 0


def _report(world, _):
    review = world.review
    review.status = Status.FEEDBACK_GIVEN
    review.reports.all().delete()

    def save(by, text, version, base=None):
        return services.compile_report(review, by=by, summary=text, expected_version=version,
                                       base=base)
    return save, lambda: review.reports.get().summary, 0


def _enquiry(world, _):
    review = world.review
    review.status = Status.SELF_REVIEW
    review.save()
    version = review.enquiry_version

    def save(by, text, version, base=None):
        return services.set_enquiry(review, by=by, key_question=text, lines=[("Line", None)],
                                    expected_version=version, base=base)
    return save, lambda: type(review).objects.get(pk=review.pk).key_question, version


def _activity(world, _):
    review = world.review
    review.status = Status.SCHEDULED
    review.save()
    activity = review.activities.get()
    fields = {"kind": activity.kind, "on": activity.on, "starts_at": time(9, 0),
              "ends_at": None}

    def save(by, text, version, base=None):
        return services.save_activity(review, by=by, activity=activity, people=text,
                                      place="Library", expected_version=version, base=base,
                                      **fields)
    return save, lambda: review.activities.get().people, activity.lock_version


SHARED_TEXTS = {"self-review, whole school (first save)": (_self_review, False),
                "self-review, a theme (first save)": (_self_review, True),
                "findings, key question (first save)": (_finding, False),
                "findings, a line (first save)": (_finding, True),
                "report summary (first version)": (_report, None),
                "enquiry": (_enquiry, None),
                "plan activity": (_activity, None)}


@pytest.fixture
def two_people(world):
    second = UserFactory(full_name="Second Person")
    RoleFactory(user=second, role="school_leader", school=world.schools["A4"])
    return world.people["head"], second


@pytest.mark.parametrize("order", ["head first", "second first"])
@pytest.mark.parametrize("case", SHARED_TEXTS)
def test_second_save_from_the_same_start_conflicts_and_keeps_the_first(world, two_people,
                                                                        case, order):
    make, arg = SHARED_TEXTS[case]
    save, stored, read_version = make(world, arg)
    first, second = two_people if order == "head first" else two_people[::-1]
    save(first, FIRST, read_version)
    with pytest.raises(services.EditConflict) as conflict:
        save(second, SECOND, read_version)
    assert stored() == FIRST
    current = conflict.value.current
    assert FIRST in str([getattr(current, f, "") for f in (
        "strengths", "working_well", "summary", "key_question", "people")])
    # Saving again from the saved version (after combining) goes through.
    version = current.enquiry_version if case == "enquiry" else current.lock_version
    save(second, FIRST + " " + SECOND, version)
    assert stored() == FIRST + " " + SECOND


def test_saving_the_same_text_twice_is_not_a_conflict(world, two_people):
    save, stored, version = _finding(world, False)
    save(two_people[0], FIRST, version)
    save(two_people[1], FIRST, version)
    assert stored() == FIRST


def test_a_version_moved_by_other_fields_is_not_a_conflict(world, two_people):
    """``base`` says which text was read: the enquiry saved by someone else with the same key
    question but another line still conflicts; a report summary read as it is still stored
    saves even though the version moved (its findings were recompiled)."""
    save, stored, version = _report(world, None)
    report = save(two_people[0], FIRST, version)
    services._bump(type(report), report, None, sections=[])  # e.g. a recompile elsewhere
    save(two_people[1], SECOND, report.lock_version - 1, base=services.text_digest(FIRST))
    assert stored() == SECOND


# Pages ------------------------------------------------------------------------------------

def _reviewer(world, review):
    second = UserFactory(full_name="Second Reviewer")
    RoleFactory(user=second, role="school_leader", school=world.schools["A4"])
    TeamMember.objects.create(review=review, user=second, school=world.schools["A4"],
                              role="reviewer", status="accepted")
    return second


def test_findings_page_first_save_conflict_shows_both_texts(world, client):
    review = world.review
    review.status = Status.IN_REVIEW
    review.save()
    Finding.objects.all().delete()
    second = _reviewer(world, review)
    url = reverse("reviews:findings", args=[review.pk])
    sign_in(client, second)
    form = client.get(url).content.decode()
    base = re.search(r'name="key-base" value="(\w+)"', form).group(1)
    assert 'name="key-lock_version" value="0"' in form
    services.save_finding(review, None, by=world.people["leader"], working_well=FIRST,
                          explore_further="", workshop_questions="", expected_version=0)
    response = client.post(url, {"section": "key", "key-lock_version": 0, "key-base": base,
                                 "key-working_well": SECOND})
    page = response.content.decode()
    assert response.status_code == 200
    assert "saved these findings while you were editing" in page
    assert "First person&#x27;s words." in page and "Second person&#x27;s words." in page
    assert Finding.objects.get(review=review).working_well == FIRST


def test_self_review_saves_every_changed_section_and_keeps_the_rest(world, client):
    review = world.review
    review.status = Status.SELF_REVIEW
    review.save()
    theme = world.published.themes.first()
    url = reverse("reviews:self_review", args=[review.pk])
    sign_in(client, world.people["head"])
    page = client.get(url).content.decode()
    posted = {m[0]: m[1] for m in re.findall(r'name="([\w-]+-(?:lock_version|base))" '
                                             r'value="(\w*)"', page)}
    # Someone saves the theme first; we typed in both sections and press the first button.
    services.save_self_review(review, theme, by=world.people["staff"], strengths=FIRST,
                              areas_to_develop="", expected_version=0)
    response = client.post(url, {**posted, "theme": "school", "school-strengths": "Ours.",
                                 f"{theme.pk}-strengths": SECOND})
    page = response.content.decode()
    assert SelfReviewEntry.objects.get(review=review, theme=None).strengths == "Ours."
    assert SelfReviewEntry.objects.get(review=review, theme=theme).strengths == FIRST
    assert "Second person&#x27;s words." in page and "First person&#x27;s words." in page
    assert "Your other changes are saved." in page


def _enquiry_page(world, client):
    """The host headteacher on the enquiry page of a review in self-review: (review, a
    framework question, the page's address)."""
    review = world.review
    review.status = Status.SELF_REVIEW
    review.save()
    sign_in(client, world.people["head"])
    return (review, world.published.themes.first().questions.first(),
            reverse("reviews:enquiry", args=[review.pk]))


def test_enquiry_framework_choice_keeps_what_was_typed(world, client):
    review, question, url = _enquiry_page(world, client)
    assert f'name="use" value="key:{question.pk}"' in client.get(url).content.decode()
    response = client.post(url, {"key_question": "", "line_1": "A line I typed",
                                 "lock_version": review.enquiry_version,
                                 "use": f"key:{question.pk}"})
    page = response.content.decode()
    assert question.text in page and "A line I typed" in page
    assert "There is a problem" not in page
    assert type(review).objects.get(pk=review.pk).key_question != question.text  # not saved


def test_report_conflict_shows_both_summaries(world, client):
    review = world.review
    review.status = Status.FEEDBACK_GIVEN
    review.save()
    review.reports.all().delete()
    sign_in(client, world.people["leader"])
    url = reverse("reviews:report", args=[review.pk])
    base = re.search(r'name="base" value="(\w+)"', client.get(url).content.decode()).group(1)
    services.compile_report(review, by=world.people["leader"], summary=FIRST,
                            expected_version=0)
    response = client.post(url, {"summary": SECOND, "lock_version": 0, "base": base})
    page = response.content.decode()
    assert "saved the summary while you were editing" in page
    assert "First person&#x27;s words." in page and "Second person&#x27;s words." in page
    assert review.reports.get().summary == FIRST


# Two first saves at the same moment (PostgreSQL) -----------------------------------------

@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="real concurrency needs PostgreSQL (SQLite serialises writers); CI "
                           "runs this on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_first_saves_at_the_same_moment_keep_one_and_refuse_the_other(world, two_people):
    review = world.review
    review.status = Status.IN_REVIEW
    review.save()
    Finding.objects.all().delete()
    start, outcomes = threading.Barrier(4), []

    def save(by, text):
        try:
            start.wait()
            services.save_finding(review, None, by=by, working_well=text, explore_further="",
                                  workshop_questions="", expected_version=0)
            outcomes.append(("saved", text))
        except services.EditConflict as e:
            outcomes.append(("conflict", e.current.working_well))
        except Exception as e:  # pragma: no cover - reported below
            outcomes.append(("error", repr(e)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(person, f"{text} {n}"))
               for n in range(2) for person, text in zip(two_people, (FIRST, SECOND),
                                                         strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    saved = [text for kind, text in outcomes if kind == "saved"]
    assert len(saved) == 1, outcomes
    assert sorted(kind for kind, _ in outcomes) == ["conflict"] * 3 + ["saved"], outcomes
    assert all(text == saved[0] for kind, text in outcomes if kind == "conflict")
    assert Finding.objects.get(review=review, line=None).working_well == saved[0]


def test_schedule_conflict_keeps_the_dates_typed_and_shows_the_saved_ones(world, client):
    from datetime import date

    review = world.review
    read = review.lock_version
    services.update_schedule(review, by=world.people["core"], expected_version=read,
                             feedback_on=date(2027, 3, 1))
    sign_in(client, world.people["lead"])
    page = client.post(reverse("reviews:schedule", args=[review.pk]), {
        "lock_version": read, "review_days": 1, "feedback_on": "2027-03-08"}).content.decode()
    assert "changed these dates while you were editing" in page
    assert "1 March 2027" in page and 'value="2027-03-08"' in page
    review.refresh_from_db()
    assert review.feedback_on == date(2027, 3, 1)


def test_choosing_a_line_with_three_written_replaces_none(world, client):
    _, question, url = _enquiry_page(world, client)
    page = client.post(url, {
        "key_question": "Ours", "line_1": "One", "line_2": "Two", "line_3": "Three",
        "use": f"line:{question.pk}"}).content.decode()
    assert "All three lines of enquiry are written" in page
    assert ">\nThree</textarea>" in page and ">\nOurs</textarea>" in page


def test_removing_a_self_review_document_saves_what_was_typed(world, client):
    from apps.reviews.models import ReviewFile

    review = world.review
    review.status = Status.SELF_REVIEW
    review.save()
    document = ReviewFile.objects.get(review=review, purpose="self_review")
    sign_in(client, world.people["head"])
    url = reverse("reviews:self_review", args=[review.pk])
    assert f'name="remove_document" value="{document.pk}"' in client.get(url).content.decode()
    client.post(url, {"remove_document": document.pk, "school-lock_version": 0,
                      "school-strengths": "Typed before removing"})
    assert not ReviewFile.objects.filter(pk=document.pk).exists()
    assert SelfReviewEntry.objects.get(review=review, theme=None).strengths == \
        "Typed before removing"


def test_a_change_refused_by_the_review_stage_is_shown_not_a_server_error(world, client):
    """The report was agreed while the page was open, so findings are closed: the page says
    so and keeps the text."""
    url = reverse("reviews:findings", args=[world.review.pk])
    sign_in(client, world.people["leader"])
    world.review.status = Status.IN_REVIEW
    world.review.save()
    form = client.get(url).content.decode()
    world.review.status = Status.REPORT_AGREED
    world.review.save()
    base = re.search(r'name="key-base" value="(\w+)"', form).group(1)
    version = re.search(r'name="key-lock_version" value="(\d+)"', form).group(1)
    response = client.post(url, {"section": "key", "key-lock_version": version,
                                 "key-base": base, "key-working_well": SECOND})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Findings are written during the review" in page
    assert "Second person&#x27;s words." in page


def _checking(world):
    """The report under the host's check, with an open comment; the lead's page form."""
    world.review.status = Status.FEEDBACK_GIVEN
    world.review.save()
    world.report.status = "checking"
    world.report.save()
    return reverse("reviews:report", args=[world.review.pk])


def test_answering_a_comment_keeps_the_summary_being_typed(world, client):
    url = _checking(world)
    sign_in(client, world.people["leader"])
    page = client.get(url).content.decode()
    assert 'form="report-form"' in page
    base = re.search(r'name="base" value="(\w+)"', page).group(1)
    version = re.search(r'name="lock_version" value="(\d+)"', page).group(1)
    response = client.post(
        reverse("reviews:report_resolve", args=[world.review.pk, world.comment.pk]),
        {"summary": "A summary typed before answering.", "base": base,
         "lock_version": version, f"response-{world.comment.pk}": "The date is corrected."})
    assert response.status_code == 302
    world.report.refresh_from_db()
    world.comment.refresh_from_db()
    assert world.report.summary == "A summary typed before answering."
    assert world.comment.response == "The date is corrected."


def test_answering_with_an_unchanged_summary_only_answers(world, client):
    url = _checking(world)
    sign_in(client, world.people["leader"])
    page = client.get(url).content.decode()
    base = re.search(r'name="base" value="(\w+)"', page).group(1)
    version = re.search(r'name="lock_version" value="(\d+)"', page).group(1)
    client.post(reverse("reviews:report_resolve", args=[world.review.pk, world.comment.pk]),
                {"summary": "Summary.", "base": base, "lock_version": version,
                 f"response-{world.comment.pk}": "Corrected."})
    world.comment.refresh_from_db()
    world.report.refresh_from_db()
    assert world.comment.response == "Corrected." and world.report.summary == "Summary."


def test_a_comment_typed_before_accepting_is_sent_not_lost(world, client):
    from apps.reviews.models import ReportComment

    _checking(world)
    sign_in(client, world.people["head"])
    response = client.post(reverse("reviews:report_accept", args=[world.review.pk]),
                           {"version": world.report.lock_version,
                            "text": "Year 4, not Year 5, ran the reading club."}, follow=True)
    assert "Your comment was sent to the lead reviewer" in response.content.decode()
    assert ReportComment.objects.filter(text__startswith="Year 4, not Year 5").exists()
    world.report.refresh_from_db()
    assert world.report.status == "checking"


def test_removing_an_attachment_saves_the_note_being_typed(world, client):
    from apps.reviews.models import EvidenceNote, ReviewFile
    from conftest import TINY_PDF

    world.review.status = Status.IN_REVIEW
    world.review.save()
    note = world.evidence
    attachment = services.add_evidence_attachment(
        note, ("rota.pdf", "application/pdf", TINY_PDF), by=world.people["leader"])
    sign_in(client, world.people["leader"])
    url = reverse("reviews:evidence_edit", args=[world.review.pk, note.pk])
    page = client.get(url).content.decode()
    assert f'form="evidence-form" name="remove_attachment" value="{attachment.pk}"' in page
    note.refresh_from_db()
    response = client.post(url, {"client_id": note.client_id, "lock_version": note.lock_version,
                                 "line": note.line_id, "activity": note.activity_id,
                                 "text": "Pupils named four strategies, not three.", "tags": "",
                                 "remove_attachment": attachment.pk})
    assert response.status_code == 302
    assert EvidenceNote.objects.get(pk=note.pk).text == "Pupils named four strategies, not three."
    assert not ReviewFile.objects.filter(pk=attachment.pk).exists()


def test_an_activity_conflict_is_shown_in_words(world):
    from apps.reviews.forms import ActivityForm
    from apps.reviews.models import ActivityKind

    activity = world.review.activities.get()
    form = ActivityForm(review=world.review)
    form.conflict = activity
    texts = dict(form.conflict_texts)
    assert texts[form.fields["kind"].label] == dict(ActivityKind.choices)["pupil_voice"]
    assert texts[form.fields["on"].label] == activity.on.strftime("%-d %B %Y")
    assert texts[form.fields["starts_at"].label] == "09:00"
