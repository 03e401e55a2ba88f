"""Every list that grows with the programme comes a page at a time (issue 18): the GOV.UK
pagination component's plain links (no JavaScript), which keep the page's filters and any
other list's page. Page sizes are made small here so the test world spans several pages."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _links(html: str) -> dict[str, str]:
    """{rel: query string} of the pagination links (prev, next), with several pagination
    blocks on one page merged under "<label>/<rel>"."""
    found = {}
    for label, nav in re.findall(r'<nav class="govuk-pagination" aria-label="([^"]+)">(.*?)</nav>',
                                 html, re.S):
        for href, rel in re.findall(r'href="\?([^"]*)" rel="(prev|next)"', nav):
            found[f"{label}/{rel}"] = unescape(href)
    return found


def _body(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_partnerships_list(client_for, world, monkeypatch):
    from apps.partnerships import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client = client_for("core")
    first = _body(client.get(reverse("partnerships:list")))
    assert "Alpha Partnership" in first and "Beta Partnership" in first
    assert "Gamma Partnership" not in first
    assert _links(first) == {"Pages/next": "page=2"}
    second = _body(client.get(reverse("partnerships:list") + "?page=2"))
    assert "Gamma Partnership" in second and "Alpha Partnership" not in second
    assert _links(second) == {"Pages/prev": "page=1"}
    # A page number that is not one shows the first page; one past the end, the last.
    assert "Alpha Partnership" in _body(client.get(reverse("partnerships:list") + "?page=x"))
    assert "Gamma Partnership" in _body(client.get(reverse("partnerships:list") + "?page=99"))


def test_the_reviews_index_pages_its_cycles(client_for, world, monkeypatch):
    from apps.reviews.models import Cycle
    from apps.reviews.views import cycle

    monkeypatch.setattr(cycle, "CYCLES_PAGE_SIZE", 1)
    # The world's cycles: Alpha's this year, Beta's last year.
    beta = Cycle.objects.get(partnership=world.beta)
    client = client_for("core")
    first = _body(client.get(reverse("reviews:index")))
    second = _body(client.get(reverse("reviews:index") + "?page=2"))
    # Newest first.
    assert f"Alpha Partnership {world.cycle.label}" in first
    assert f"Beta Partnership {beta.label}" in second
    assert "Beta Partnership" not in first.split("All partnership cycles")[1]
    assert _links(first) == {"Pages of cycles/next": "page=2"}


def _session(course, days: int):
    from apps.training import models as t

    when = timezone.now() + timedelta(days=days)
    session = t.Session.objects.create(course=course, capacity=10, title=f"Day {days}",
                                       booking_deadline=when - timedelta(days=1))
    t.SessionPart.objects.create(session=session, starts_at=when,
                                 ends_at=when + timedelta(hours=2))
    return session


def test_a_course_pages_sessions_to_come_and_held(client_for, world, monkeypatch):
    from apps.training.views import catalogue

    monkeypatch.setattr(catalogue, "SESSIONS_PAGE_SIZE", 2)
    for days in (-30, -20, -10, 40, 50):
        _session(world.course, days)
    url = reverse("training:course", args=[world.course.pk])
    client = client_for("head")
    html = _body(client.get(url))
    links = _links(html)
    # Three sessions to come (the world's and two more), three held: two pages of each.
    assert links == {"Pages of sessions to come/next": "page=2",
                     "Pages of sessions held/next": "past_page=2"}
    # The latest held first; each list's links keep the other's page.
    html = _body(client.get(url + "?page=2&past_page=2"))
    assert _links(html) == {"Pages of sessions to come/prev": "past_page=2&page=1",
                            "Pages of sessions held/prev": "page=2&past_page=1"}
    held = html[html.index("Sessions held"):]
    assert held.count('class="pr-card"') == 1  # the earliest held is alone on page 2


def test_my_bookings(client_for, world, monkeypatch):
    from apps.training import models as t
    from apps.training.views import catalogue

    monkeypatch.setattr(catalogue, "BOOKINGS_PAGE_SIZE", 1)
    staff = world.people["staff"]
    t.Booking.objects.create(session=_session(world.course, 60), user=staff, status="booked")
    client = client_for("staff")
    first = _body(client.get(reverse("training:my_bookings")))
    assert _links(first) == {"Pages/next": "page=2"}
    assert first.count('class="pr-card"') == 1


def test_training_reports_keep_the_filters(client_for, world, monkeypatch):
    from apps.training.views import reports

    monkeypatch.setattr(reports, "SCHOOLS_PAGE_SIZE", 1)
    monkeypatch.setattr(reports, "PEOPLE_PAGE_SIZE", 1)
    url = reverse("training:reports")
    query = f"?course={world.course.pk}&partnership=alpha-partnership"
    html = _body(client_for("core").get(url + query + "&people_page=2"))
    links = _links(html)
    filters = f"course={world.course.pk}&partnership=alpha-partnership"
    assert links["Pages of the table by school/next"] == f"{filters}&people_page=2&schools_page=2"
    assert links["Pages of people/prev"] == f"{filters}&people_page=1"
    # The CSV link keeps the filters, not the pages.
    assert f'href="{reverse("training:reports_csv")}?{filters.replace("&", "&amp;")}"' in html


def test_fidelity_keeps_the_year(client_for, world, monkeypatch):
    from apps.impact import views

    monkeypatch.setattr(views, "FIDELITY_PAGE_SIZE", 1)
    client = client_for("core")
    html = _body(client.get(reverse("impact:fidelity") + "?year=2025"))
    assert "Alpha Partnership" in html and "Beta Partnership" not in html
    assert _links(html) == {"Pages/next": "year=2025&page=2"}
    html = _body(client.get(reverse("impact:fidelity") + "?year=2025&page=2"))
    assert "Beta Partnership" in html and "Alpha Partnership" not in html
    # A partnership lead pages through the partnerships they lead only.
    html = _body(client_for("lead").get(reverse("impact:fidelity")))
    assert "Alpha Partnership" in html and "Beta Partnership" not in html
    assert _links(html) == {}


def test_a_partnerships_invitations_have_pages(client_for, world, monkeypatch):
    from apps.accounts.models import Role
    from apps.partnerships import views
    from tests.factories import InvitationFactory

    monkeypatch.setattr(views, "INVITATIONS_PAGE_SIZE", 1)
    InvitationFactory(school=world.schools["A3"], role=Role.HEADTEACHER,
                      invited_by=world.people["lead"])
    html = _body(client_for("lead").get(reverse("partnerships:people",
                                                args=[world.alpha.slug])))
    assert _links(html) == {"Pages of invitations/next": "page=2"}


def test_job_and_run_lists_have_pages(client_for, world, monkeypatch):
    from apps.allocation import views as allocation
    from apps.allocation.models import AllocationRun
    from apps.impact import views as impact
    from apps.impact.models import Analysis, OutcomeImport
    from apps.schools import views as schools
    from apps.schools.models import ImportJob

    for module, name in ((schools, "JOBS_PAGE_SIZE"), (impact, "JOBS_PAGE_SIZE"),
                         (impact, "ANALYSES_PAGE_SIZE"), (allocation, "RUNS_PAGE_SIZE")):
        monkeypatch.setattr(module, name, 1)
    for k in range(2):
        ImportJob.objects.create(filename=f"register-{k}.csv")
        OutcomeImport.objects.create(filenames=[f"ks2-{k}.csv"])
        Analysis.objects.create(name=f"Analysis {k}")
        AllocationRun.objects.create(cycle=world.cycle)
    core = client_for("core")
    for url, label, newest in (
            (reverse("schools:import"), "Pages of imports", "register-1.csv"),
            (reverse("impact:outcomes_import"), "Pages of imports", "ks2-1.csv"),
            (reverse("impact:analyses"), "Pages", "Analysis 1")):
        html = _body(core.get(url))
        assert _links(html) == {f"{label}/next": "page=2"}, url
        assert newest in html and newest.replace("1", "0") not in html, url
    html = _body(client_for("lead").get(reverse("allocation:cycle", args=[world.cycle.pk])))
    assert _links(html) == {"Pages of earlier proposals/next": "page=2"}
