"""The alumni programme end to end through the pages: asking, the core team's decision with
its confirmation page, notifications, what membership gives, putting mistakes right, and
renewals."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.notifications.models import Notification
from apps.partnerships.models import AlumniMembership, Membership, Phase
from apps.partnerships.selectors import in_alumni_programme, programme_standing

pytestmark = pytest.mark.django_db
State = AlumniMembership.State
TODAY = timezone.localdate()


def _ask(client, world, reason="We keep reviewing each other every spring."):
    return client.post(reverse("alumni:request"), {
        "applicant": f"school-{world.schools['G1'].pk}", "reason": reason})


def _decide(client, m, **data):
    """The decision form, then its confirmation page, then confirming."""
    url = reverse("alumni:decide", args=[m.pk])
    check = client.post(url, data)
    assert check.status_code == 200 and "Check your decision" in check.content.decode()
    return client.post(url, {**data, "confirmed": "yes"})


def test_a_school_asks_and_the_core_team_approves_with_dates(world, client_for):
    head = client_for("alumnus")
    response = _ask(head, world)
    m = AlumniMembership.objects.get()
    assert response.status_code == 302 and m.status == State.REQUESTED
    assert (m.school, m.requested_by) == (world.schools["G1"], world.people["alumnus"])
    # Asking again while one waits is not offered.
    assert "None of your schools or partnerships can ask now" in \
        head.get(reverse("alumni:request")).content.decode()

    core = client_for("core")
    assert "Decide on 1 request to join the alumni programme" in \
        core.get("/").content.decode()
    starts, ends = date(TODAY.year + 1, 1, 1), date(TODAY.year + 1, 12, 31)
    check = core.post(reverse("alumni:decide", args=[m.pk]), {
        "decision": "approve", "starts_on": starts.isoformat(), "ends_on": ends.isoformat()})
    page = check.content.decode()
    # The confirmation page shows what is confirmed, and nothing is saved yet.
    assert "Check your decision" in page and "Approve" in page
    assert f"{starts:%-d %B %Y} to {ends:%-d %B %Y}" in page
    m.refresh_from_db()
    assert m.status == State.REQUESTED
    assert not Notification.objects.filter(kind="alumni.decided").exists()
    # "Change the decision" goes back to the form with what was entered.
    back = core.post(reverse("alumni:decide", args=[m.pk]), {
        "decision": "approve", "starts_on": starts.isoformat(), "ends_on": ends.isoformat(),
        "change": "yes"}).content.decode()
    assert "Decide on G1 School" in back and f'value="{starts.isoformat()}"' in back
    done = core.post(reverse("alumni:decide", args=[m.pk]), {
        "decision": "approve", "starts_on": starts.isoformat(), "ends_on": ends.isoformat(),
        "confirmed": "yes"}, follow=True).content.decode()
    assert "G1 School is now in the alumni programme" in done
    m.refresh_from_db()
    assert (m.status, m.starts_on, m.ends_on, m.decided_by) == (
        State.APPROVED, starts, ends, world.people["core"])
    told = Notification.objects.get(kind="alumni.decided")
    assert told.user == world.people["alumnus"]
    assert f"from {starts:%-d %B %Y} to {ends:%-d %B %Y}" in told.body
    # Not in force until it starts.
    assert not m.is_current()


def test_declining_needs_a_reason_the_requester_reads(world, client_for):
    _ask(client_for("alumnus"), world)
    m = AlumniMembership.objects.get()
    core = client_for("core")
    page = core.post(reverse("alumni:decide", args=[m.pk]),
                     {"decision": "decline", "note": ""}).content.decode()
    assert "Error:" in page and "Enter the reason for declining the request" in page
    assert 'href="#id_note"' in page
    page = core.post(reverse("alumni:decide", args=[m.pk]), {"decision": "approve"}
                     ).content.decode()
    assert "Enter the date the membership starts" in page
    _decide(core, m, decision="decline", note="Your partnership is still in Sustain until July.")
    m.refresh_from_db()
    assert m.status == State.DECLINED
    assert Notification.objects.filter(user=world.people["alumnus"], kind="alumni.decided",
                                       subject__contains="declined").exists()
    detail = client_for("alumnus").get(reverse("alumni:detail", args=[m.pk])).content.decode()
    assert "still in Sustain until July" in detail
    # A decline made by mistake is reopened, and can then be approved.
    assert client_for("core").post(reverse("alumni:reopen", args=[m.pk])).status_code == 302
    m.refresh_from_db()
    assert (m.status, m.decision_note) == (State.REQUESTED, "")


def test_the_requester_can_withdraw_while_it_waits(world, client_for):
    _ask(client_for("alumnus"), world)
    m = AlumniMembership.objects.get()
    assert client_for("alumnus").post(reverse("alumni:withdraw", args=[m.pk])
                                      ).status_code == 302
    m.refresh_from_db()
    assert m.status == State.WITHDRAWN
    # ...and ask again.
    assert _ask(client_for("alumnus"), world).status_code == 302
    assert AlumniMembership.objects.filter(status=State.REQUESTED).count() == 1


def test_asking_without_a_reason_says_what_to_do(world, client_for):
    page = client_for("alumnus").post(reverse("alumni:request"), {
        "applicant": f"school-{world.schools['G1'].pk}", "reason": " "}).content.decode()
    assert "Enter why you want to join" in page and not AlumniMembership.objects.exists()


def test_only_schools_and_partnerships_that_reached_sustain_or_left_may_ask(world,
                                                                               client_for):
    # A1 is in Alpha (Build): its head may not ask for it.
    page = client_for("head").get(reverse("alumni:request")).content.decode()
    assert "None of your schools or partnerships can ask now" in page
    forged = client_for("head").post(reverse("alumni:request"), {
        "applicant": f"school-{world.schools['A1'].pk}", "reason": "Please"})
    assert forged.status_code == 200 and not AlumniMembership.objects.exists()
    # Once A1 leaves Alpha, it has left the programme and may ask.
    Membership.objects.filter(school=world.schools["A1"]).update(
        left_on=TODAY - timedelta(days=1))
    assert "A1 School" in client_for("head").get(reverse("alumni:request")).content.decode()
    # Alpha's lead may ask for Alpha once it reaches Sustain.
    assert "Alpha Partnership" not in client_for("lead").get(
        reverse("alumni:request")).content.decode()
    world.alpha.phase = Phase.SUSTAIN
    world.alpha.save()
    assert "Alpha Partnership (the partnership)" in client_for("lead").get(
        reverse("alumni:request")).content.decode()


def _member(world, school="G1", **dates):
    return AlumniMembership.objects.create(
        school=world.schools[school], reason="Keep us in", status=State.APPROVED,
        requested_by=world.people["alumnus"],
        starts_on=dates.get("starts_on", TODAY - timedelta(days=300)),
        ends_on=dates.get("ends_on", TODAY + timedelta(days=65)))


def test_a_school_that_left_keeps_alumni_access_while_a_member(world, client_for):
    from apps.training.models import Course

    Membership.objects.filter(school=world.schools["A1"]).update(
        left_on=TODAY - timedelta(days=1))
    alumni_item = reverse("resources:detail", args=[world.resources["alumni"].pk])
    programme_item = reverse("resources:detail", args=[world.resources["programme"].pk])
    meeting = Course.objects.create(kind="national_meeting", title="Alumni national meeting",
                                    audience="alumni")
    course = reverse("training:course", args=[meeting.pk])
    head = client_for("head")
    assert head.get(programme_item).status_code == 404
    assert head.get(course).status_code == 404
    m = _member(world, "A1")
    head = client_for("head")
    assert head.get(alumni_item).status_code == 200
    assert head.get(programme_item).status_code == 200
    assert head.get(course).status_code == 200
    # Their people keep their training record, and the frameworks.
    assert head.get(reverse("training:my_record")).status_code == 200
    assert head.get(reverse("frameworks:detail", args=[world.framework.slug])
                    ).status_code == 200
    # Ended: access goes with it.
    m.ends_on = TODAY - timedelta(days=1)
    m.save()
    head = client_for("head")
    assert head.get(alumni_item).status_code == 404
    assert programme_standing(world.people["head"]) is None


def test_standing_reads_the_membership(world):
    from apps.accounts.models import User

    _member(world, "G1")
    alumnus = User.objects.get(pk=world.people["alumnus"].pk)
    assert in_alumni_programme(alumnus) and programme_standing(alumnus) == "alumni"
    outsider = User.objects.get(pk=world.people["outsider"].pk)
    assert not in_alumni_programme(outsider)


def test_an_alumni_partnership_runs_its_own_cycles_only_while_a_member(world, client_for):
    from apps.accounts.models import Role
    from tests.factories import RoleFactory

    RoleFactory(user=world.people["alumnus"], role=Role.PARTNERSHIP_LEAD,
                partnership=world.gamma)
    lead = client_for("alumnus")
    url = reverse("reviews:cycle_create")
    assert lead.get(url).status_code == 403
    assert not world.people["core"].has_perm("reviews.start_cycle", world.gamma)
    m = AlumniMembership.objects.create(
        partnership=world.gamma, reason="We review each other", status=State.APPROVED,
        starts_on=TODAY - timedelta(days=10), ends_on=TODAY + timedelta(days=364))
    lead = client_for("alumnus")
    assert lead.get(url).status_code == 200
    response = lead.post(url, {"partnership": world.gamma.pk, "start_year": TODAY.year})
    assert response.status_code == 302
    assert world.gamma.cycles.count() == 1
    # No associate was needed; the core team may start one for it too.
    assert not world.gamma.role_assignments.filter(role=Role.ASSOCIATE).exists()
    from apps.accounts.models import User

    assert User.objects.get(pk=world.people["core"].pk).has_perm("reviews.start_cycle",
                                                                 world.gamma)
    m.ends_on = TODAY - timedelta(days=1)
    m.save()
    assert client_for("alumnus").get(url).status_code == 403


def test_core_team_changes_dates_and_ends_a_membership(world, client_for):
    m = _member(world)
    core = client_for("core")
    url = reverse("alumni:change_dates", args=[m.pk])
    new_end = TODAY + timedelta(days=200)
    page = core.post(url, {"starts_on": m.starts_on.isoformat(), "ends_on": "",
                           "version": m.lock_version}).content.decode()
    assert "Enter the date the membership ends" in page
    assert core.post(url, {"starts_on": m.starts_on.isoformat(),
                           "ends_on": new_end.isoformat(),
                           "version": m.lock_version}).status_code == 302
    m.refresh_from_db()
    assert m.ends_on == new_end
    # Someone else's earlier form (an older version) is refused, nothing saved.
    page = core.post(url, {"starts_on": m.starts_on.isoformat(),
                           "ends_on": (TODAY + timedelta(days=5)).isoformat(),
                           "version": m.lock_version - 1}).content.decode()
    assert "Someone else changed this membership" in page
    m.refresh_from_db()
    assert m.ends_on == new_end
    end = reverse("alumni:end", args=[m.pk])
    too_early = (m.starts_on - timedelta(days=1)).isoformat()
    page = core.post(end, {"on": too_early, "version": m.lock_version}).content.decode()
    assert "The last day must be on or after the day it started" in page
    assert core.post(end, {"on": TODAY.isoformat(), "note": "The school closed",
                           "version": m.lock_version}).status_code == 302
    m.refresh_from_db()
    assert (m.ends_on, m.ended_note) == (TODAY, "The school closed")
    # Once its last day has passed there is nothing to end early: no button, and the
    # service refuses; the dates can still be corrected.
    m.ends_on = TODAY - timedelta(days=1)
    m.save()
    detail = core.get(reverse("alumni:detail", args=[m.pk])).content.decode()
    assert "End the membership early" not in detail and "the membership dates" in detail
    page = core.post(end, {"on": m.ends_on.isoformat(), "version": m.lock_version})
    assert "This membership already ended on" in page.content.decode()


def test_renewal_is_due_asked_and_approved_from_the_day_after(world, client_for):
    m = _member(world, ends_on=TODAY + timedelta(days=20))
    head = client_for("alumnus")
    home = head.get("/").content.decode()
    assert f"alumni membership before it ends on {m.ends_on:%-d %B %Y}" in home
    core_home = client_for("core").get("/").content.decode()
    assert "Check 1 alumni membership that ends within 60 days with no renewal asked for" \
        in core_home
    due = client_for("core").get(reverse("alumni:memberships"), {"show": "due"}
                                 ).content.decode()
    assert "G1 School" in due
    head = client_for("alumnus")
    assert head.post(reverse("alumni:renew", args=[m.pk]),
                     {"reason": "Another year, please"}).status_code == 302
    renewal = AlumniMembership.objects.get(renewal_of=m)
    assert renewal.status == State.REQUESTED
    # No longer due: a renewal waits.
    assert "ends on" not in client_for("alumnus").get("/").content.decode()
    page = client_for("core").get(reverse("alumni:decide", args=[renewal.pk])).content.decode()
    day_after = m.ends_on + timedelta(days=1)
    assert f'value="{day_after.isoformat()}"' in page


def test_the_list_is_paged_and_filtered(world, client_for):
    from tests.factories import SchoolFactory

    for n in range(30):
        AlumniMembership.objects.create(school=SchoolFactory(name=f"Left School {n:02}"),
                                        reason="x", status=State.DECLINED,
                                        decision_note="No")
    _member(world)
    core = client_for("core")
    first = core.get(reverse("alumni:memberships")).content.decode()
    assert "31 requests and memberships" in first and "govuk-pagination" in first
    current = core.get(reverse("alumni:memberships"), {"show": "current"}).content.decode()
    assert "G1 School" in current and "Left School" not in current
    named = core.get(reverse("alumni:memberships"), {"q": "School 07"}).content.decode()
    assert "Left School 07" in named and "Left School 08" not in named
    partnerships = core.get(reverse("alumni:memberships"), {"kind": "partnership"}
                            ).content.decode()
    assert "No requests or memberships match" in partnerships
