"""What the demo promises (issue 15, "The demo"): a programme that looks alive."""

from datetime import timedelta
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role, RoleAssignment, User
from apps.demo.programme import DOMAIN, PEOPLE
from apps.impact import surveys
from apps.impact.fidelity import current_start_year, fidelity
from apps.impact.models import Analysis, Wave
from apps.improvement.models import Action, CheckBack, Workshop
from apps.notifications.models import Notification
from apps.partnerships.models import (
    AlumniMembership,
    DeliveryAttachment,
    DeliveryPartner,
    Partnership,
    Phase,
)
from apps.reviews.models import (
    EvidenceNote,
    Finding,
    PartnerAgreement,
    Report,
    Review,
    SelfReviewEntry,
    Status,
    StatusChange,
)
from apps.support.models import SupportMatch
from apps.training import polls
from apps.training.models import Booking, CourseKind
from conftest import sign_in

STAGES = {Status.PLANNED, Status.SELF_REVIEW, Status.ENQUIRY_AGREED, Status.IN_REVIEW,
          Status.REPORT_AGREED, Status.ACTING, Status.CLOSED}
AFTER_REVIEW_DAY = {Status.IN_REVIEW, Status.FEEDBACK_GIVEN, Status.REPORT_AGREED,
                    Status.ACTING, Status.CLOSED}
AFTER_FEEDBACK = {Status.REPORT_AGREED, Status.ACTING, Status.CLOSED}


@pytest.mark.django_db
def test_the_demo_keeps_its_promises():
    """One load (it takes a while), every promise checked against it."""
    call_command("load_frameworks", stdout=StringIO())
    loading_began = timezone.now()
    call_command("load_demo", stdout=StringIO())
    audit_follows_the_demo_clock(loading_began)
    for check in (partnerships_in_different_phases_one_alumni,
                  one_cycle_has_a_review_at_every_stage_with_its_work,
                  actions_progress_support_and_check_backs,
                  the_second_year_starts_from_the_first,
                  training_history_with_expiring_and_lapsed_people,
                  a_national_meeting_with_registrations,
                  every_school_has_a_place_so_distances_show,
                  a_rapid_response_review_online_with_its_lines_of_enquiry,
                  small_group_figures_shown_somewhere_and_hidden_elsewhere,
                  safeguarding_can_be_walked_by_the_dsl_and_the_officer,
                  the_demo_content_does_not_contradict_itself,
                  ashcombe_ran_the_cycle_its_renewal_describes,
                  a_delivery_partner_and_a_nomination_waiting,
                  an_open_support_request_finds_schools_elsewhere,
                  every_link_in_what_needs_you_now_opens_for_every_persona,
                  every_listed_sign_in_works_and_a_second_load_adds_nothing):
        check()


def an_open_support_request_finds_schools_elsewhere():
    """Partner matching is ready once the demo loads (the tasks its signals queue): its
    stored texts are exactly what the schools publish (refreshing changes nothing), and some
    open request for support is suggested a school, in words."""
    from apps.support import matching
    from apps.support.models import MatchText, SupportRequest

    def stored() -> set:
        return set(MatchText.objects.values_list("key", "digest"))

    loaded = stored()
    matching.refresh_all()
    assert stored() == loaded, "the demo's matching texts were out of date"
    open_requests = SupportRequest.objects.exclude(status=SupportRequest.State.CLOSED)
    suggested = [(r, s) for r in open_requests for s in matching.suggest(r)]
    assert suggested, "no open request in the demo is suggested a school"


def audit_follows_the_demo_clock(loading_began):
    """Every audit entry is stamped on the day its story happened, never with the instant
    the loader ran (steps dated later than now read as earlier today, in order)."""
    from apps.core.models import AuditEvent

    assert AuditEvent.objects.exists()
    assert not AuditEvent.objects.filter(created_at__gte=loading_began).exists()
    stamps = list(AuditEvent.objects.values_list("created_at", flat=True))
    assert len(set(stamps)) > len(stamps) // 3  # spread over the year, not one instant
    today = timezone.localdate()
    assert AuditEvent.objects.filter(created_at__date__lt=today - timedelta(days=200)).exists()


def every_school_has_a_place_so_distances_show():
    from itertools import combinations

    from apps.reviews.rulebook import distance_km
    from apps.schools.models import School

    schools = list(School.objects.all())
    assert schools and all(s.easting and s.northing for s in schools)
    assert len({(s.easting, s.northing) for s in schools}) == len(schools)
    for p in Partnership.objects.all():
        members = list(p.current_schools())
        for a, b in combinations(members, 2):
            assert 0.1 < distance_km(a, b) < 40, (a.name, b.name, distance_km(a, b))


def a_rapid_response_review_online_with_its_lines_of_enquiry():
    from apps.reviews.models import Mode, Review

    review = Review.objects.get(mode=Mode.RAPID)
    assert review.framework_version.framework.slug == "rapid-response"
    assert review.meeting_link.startswith("https://meet.example/")
    activities = list(review.activities.all())
    assert activities and all(a.meeting_link.startswith("https://") for a in activities)
    assert review.pre_review_on < review.review_starts_on == review.feedback_on \
        < review.workshop_on < review.checkback_on


def _cycle_reviews():
    bramble = Partnership.objects.get(slug="brambleford-primary-cluster")
    cycle = bramble.cycles.order_by("-start_year").first()
    return list(cycle.reviews.select_related("host"))


def partnerships_in_different_phases_one_alumni():
    phases = set(Partnership.objects.values_list("phase", flat=True))
    assert len(phases) >= 3 and Phase.ALUMNI in phases
    # The Alumni partnership is in the alumni programme (renewed once); another waits.
    alumni = Partnership.objects.get(phase=Phase.ALUMNI)
    member = AlumniMembership.objects.current().get(partnership=alumni)
    assert member.renewal_of is not None and member.renewal_of.partnership == alumni
    assert AlumniMembership.objects.filter(status=AlumniMembership.State.REQUESTED).exists()


def one_cycle_has_a_review_at_every_stage_with_its_work():
    reviews = _cycle_reviews()
    assert len(reviews) >= 6
    assert STAGES <= {r.status for r in reviews}
    for r in reviews:
        if r.status in AFTER_REVIEW_DAY:
            assert EvidenceNote.objects.filter(review=r).count() >= 2, r.host
        if r.status in AFTER_FEEDBACK:
            assert Finding.objects.filter(review=r).count() >= 2, r.host
            assert r.reports.filter(status=Report.State.AGREED).exists(), r.host
            assert Workshop.objects.filter(review=r).exists(), r.host
        if r.status == Status.CLOSED:
            assert CheckBack.objects.get(review=r).completed_at is not None
    # The history reads as it happened: the closed review's steps are on different days,
    # all before today.
    closed = next(r for r in reviews if r.status == Status.CLOSED)
    days = {timezone.localdate(c.at) for c in StatusChange.objects.filter(review=closed)}
    assert len(days) >= 5 and max(days) < timezone.localdate()


def actions_progress_support_and_check_backs():
    assert Action.objects.filter(updates__isnull=False).distinct().count() >= 15
    statuses = set(SupportMatch.objects.values_list("status", flat=True))
    assert SupportMatch.State.DELIVERED in statuses and len(statuses) >= 2
    assert CheckBack.objects.filter(completed_at__isnull=False).count() >= 6


def the_second_year_starts_from_the_first():
    this_year = [r for r in _cycle_reviews() if r.status != Status.PLANNED]
    carried = SelfReviewEntry.objects.filter(review__in=this_year, theme=None,
                                             areas_to_develop__startswith="Last review (")
    assert carried.count() >= 4
    assert Review.objects.filter(status=Status.CLOSED).count() >= 7


def training_history_with_expiring_and_lapsed_people():
    today = timezone.localdate()
    assert Booking.objects.exclude(certificate_number="").count() >= 20
    assert User.objects.filter(reviewer_trained_until__gte=today,
                               reviewer_trained_until__lte=today + timedelta(days=60)).exists()
    assert User.objects.filter(reviewer_trained_until__lt=today).exists()
    assert User.objects.filter(champion_trained_until__lt=today).exists()


def a_national_meeting_with_registrations():
    meeting = Booking.objects.filter(session__course__kind=CourseKind.NATIONAL_MEETING,
                                     status=Booking.State.BOOKED)
    assert meeting.count() >= 15
    assert meeting.filter(registrant__isnull=False).exists()


def small_group_figures_shown_somewhere_and_hidden_elsewhere():
    ratings = polls.rating_aggregates()["courses"]
    assert {r["suppressed"] for r in ratings} == {True, False}
    assert {r["suppressed"] for r in polls.poll_aggregates()} == {True, False}
    wave = Wave.objects.get(kind="year1")
    rows = [r for g in ("partnership", "role_group", "phase")
            for r in surveys.results(wave, g)["rows"]]
    assert {r["shown"] for r in rows} == {True, False}
    cells = [r["n"] for r in surveys.combined(wave)["rows"]]
    assert any(n is None for n in cells) and any(n is not None for n in cells)
    notes = [row.get("note") for rows in Analysis.objects.get().result["subgroups"].values()
             for row in rows]
    assert any(notes) and not all(notes)  # a subgroup too small to estimate, others estimated


def safeguarding_can_be_walked_by_the_dsl_and_the_officer():
    """A designated safeguarding lead and the programme's safeguarding officer, each with a
    concern waiting on their home page (walkthrough of 7 December 2026, item 2)."""
    from django.test import Client

    from apps.accounts.models import Role
    from apps.reviews.models import SafeguardingConcern

    dsl = User.objects.get(email=f"dsl.brambleford@{DOMAIN}")
    officer = User.objects.get(email=f"safeguarding@{DOMAIN}")
    assert dsl.roles.current().filter(role=Role.DSL, school__urn=990001).exists()
    assert officer.roles.current().filter(role=Role.SAFEGUARDING_OFFICER).exists()
    waiting = SafeguardingConcern.objects.filter(acknowledged_at__isnull=True)
    school = waiting.get(about_headteacher=False)
    about_head = waiting.get(about_headteacher=True)
    assert school.review.host.urn == 990001 and school.review.status == Status.IN_REVIEW
    for person, concern, other in ((dsl, school, about_head), (officer, about_head, school)):
        assert person.has_perm("reviews.view_safeguarding_concern", concern)
        assert not person.has_perm("reviews.view_safeguarding_concern", other)
        # Both roles require two-factor authentication: the demo gives them its authenticator.
        assert Authenticator.objects.filter(user=person, type="totp").exists()
        client = Client()
        sign_in(client, person)
        home = client.get("/").content.decode()
        assert "Safeguarding concerns waiting for you" in home
        assert reverse("reviews:safeguarding_list") in home  # in the navigation
        assert f"/reviews/safeguarding/{concern.pk}/" in home
        assert f"/reviews/safeguarding/{other.pk}/" not in home
    head = User.objects.get(email=f"exechead.cinderwell@{DOMAIN}")
    assert not head.has_perm("reviews.view_safeguarding_concern", about_head)


def the_demo_content_does_not_contradict_itself():
    """The smaller defects the walkthrough of 7 December 2026 found (item 10)."""
    from django.db.models import Count

    from apps.impact.models import Answer
    from apps.notifications.models import Notification
    from apps.resources.models import ResourceFile

    # Survey comments: each wave's are all different.
    for wave in Wave.objects.all():
        texts = list(Answer.objects.filter(response__wave=wave).exclude(text="")
                     .values_list("text", flat=True))
        assert len(texts) >= 5 and len(set(texts)) == len(texts), wave
    # One unread survey notice a person, however many waves and schools.
    assert Notification.objects.filter(kind="impact.survey").exists()
    assert not (Notification.objects.filter(kind="impact.survey", read_at__isnull=True)
                .values("user").annotate(n=Count("id")).filter(n__gt=1).exists())
    # Nobody trained as a champion is booked on (or waiting for) initial champion training.
    today = timezone.localdate()
    assert not Booking.objects.filter(
        session__course__kind=CourseKind.CHAMPION,
        session__parts__starts_at__gte=timezone.now(),
        status__in=[Booking.State.BOOKED, Booking.State.WAITING],
        user__champion_trained_until__gte=today).exists()
    assert Booking.objects.filter(session__course__kind=CourseKind.CHAMPION,
                                  session__parts__starts_at__gte=timezone.now(),
                                  status=Booking.State.WAITING).exists()
    # The library's and meetings' files are real documents, not stubs.
    files = list(ResourceFile.objects.all())
    assert files and all(f.size_bytes > 3000 for f in files)
    with files[0].file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def every_link_in_what_needs_you_now_opens_for_every_persona():
    """Home's "What needs you now" as each demo persona (walkthrough of 7 December 2026,
    evening, items 1 and 3): every link in it opens (the champion's once led to a 403), and
    it holds steps, not statuses or figures."""
    import re

    followed = 0
    for local, *_ in PEOPLE:
        client = Client()
        sign_in(client, User.objects.get(email=f"{local}@{DOMAIN}"))
        response = client.get("/")
        assert response.status_code == 200, local
        page = response.content.decode()
        start = page.index('id="what-needs-you-now"')
        listed = page[start:page.index("<!-- end of what needs you now -->", start)]
        for words in ("report agreed", "enquiry agreed", "The register holds",
                      "Every school has its headteacher", "What needs you now."):
            assert words not in listed, (local, words)
        for url in re.findall(r'href="([^"]+)"', listed):
            status = client.get(url.replace("&amp;", "&")).status_code
            assert status == 200, (local, url, status)
            followed += 1
    assert followed >= len(PEOPLE)  # the demo gives most people something to do


def every_listed_sign_in_works_and_a_second_load_adds_nothing():
    for local, *_ in PEOPLE:
        user = User.objects.get(email=f"{local}@{DOMAIN}")
        assert user.is_active and user.check_password("demo-peer-review-2026"), local
    counts = (Review.objects.count(), Action.objects.count(), Booking.objects.count())
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert (Review.objects.count(), Action.objects.count(), Booking.objects.count()) == counts


def ashcombe_ran_the_cycle_its_renewal_describes():
    """The alumni story holds together (walkthrough of 7 Dec 2026, item 4): Ashcombe, an
    alumni partnership whose renewal says it ran its own cycle with three reviews, has that
    cycle — three closed reviews, run by its lead with no associate, with reviewers lent by
    partnerships that agreed — and its people's home pages say they are alumni members
    through it, not that they "can join"."""
    ashcombe = Partnership.objects.get(name="Ashcombe Schools Network")
    assert not RoleAssignment.objects.current().filter(role=Role.ASSOCIATE,
                                                       partnership=ashcombe).exists()
    reviews = Review.objects.filter(cycle__partnership=ashcombe)
    assert reviews.count() == 3
    assert set(reviews.values_list("status", flat=True)) == {Status.CLOSED}
    cycle = reviews.first().cycle
    renewal = AlumniMembership.objects.get(partnership=ashcombe, renewal_of__isnull=False)
    assert "three reviews" in renewal.reason
    assert renewal.renewal_of.starts_on.year == cycle.start_year
    assert set(cycle.agreements.values_list("state", flat=True)) == {
        PartnerAgreement.State.AGREED}
    for review in reviews:
        assert review.actions.exists() and review.checkback.completed_at

    client = Client()
    sign_in(client, User.objects.get(email=f"head.millcross@{DOMAIN}"))
    home = client.get("/").content.decode()
    assert "can join the alumni programme" not in home
    assert "Mill Cross High School is an alumni member through Ashcombe Schools Network" \
        in home
    page = client.get(f"/partnerships/{ashcombe.slug}/").content.decode()
    assert "No review cycle yet" not in page


def a_delivery_partner_and_a_nomination_waiting():
    """One delivery partner attached to a partnership and one nomination waiting, made
    through the services on their days; fidelity counts what was delivered."""
    current = DeliveryPartner.objects.current().get()
    assert current.person.email.startswith("reviewer.larkspur@")
    att = DeliveryAttachment.objects.current().get()
    assert att.delivery_partner == current and att.partnership.name.startswith("Northvale")
    waiting = DeliveryPartner.objects.get(status=DeliveryPartner.State.NOMINATED)
    assert waiting.person.email.startswith("lead.estuary@")
    assert Notification.objects.filter(user=waiting.person, kind="delivery.nominated").exists()
    indicators = {i.key: i.value for i in fidelity(att.partnership,
                                                   current_start_year())["indicators"]}
    assert indicators["delivery_partner_activity"] == att.activities.count()
