"""Load the fictional demo: a programme that looks alive.

Four partnerships in different phases (Build, Embed, Sustain and Alumni); in the Brambleford
Primary Cluster, last year's six reviews closed with their check-backs and this year's
seven reviews at every stage from planned to closed, the second year's self-reviews
pre-filled from the first; support between schools; training history with people whose
training is running out or has lapsed; a national meeting with registrations; survey and
training-feedback figures shown for large groups and hidden for small ones.

Everything is built through the product's own services, each step on the day it would have
happened (``apps.demo.clock``), so statuses, histories, audit and notifications agree. Every
school and person here is invented; real school data comes only through ``import_schools``.
Running it again changes nothing."""

from datetime import date, timedelta

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management.base import BaseCommand
from django.db import transaction

from apps.accounts.models import MFA_REQUIRED_ROLES, Invitation, Role, User, current_role_lookup
from apps.demo import programme
from apps.demo.alumni import load_alumni
from apps.demo.clock import at, moment
from apps.demo.community import load_community_demo
from apps.demo.cycles import weekday
from apps.demo.meetings import load_meetings_demo
from apps.impact.demo import load_impact_demo
from apps.partnerships.models import Partnership
from apps.resources import services as resources

DEMO_PASSWORD = "demo-peer-review-2026"
# Base32 secret of the demo core-team and associate authenticators (demo only).
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
DOMAIN = programme.DOMAIN
PEOPLE = programme.PEOPLE


class Command(BaseCommand):
    help = "Load the fictional demo partnerships, schools, people and their year (idempotent)."

    def handle(self, *args, **options):
        from django.test.utils import override_settings

        # The demo's reviews move through their steps as people would; nobody is emailed.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            self._handle()
        self._print_sign_ins()

    @transaction.atomic
    def _handle(self):
        if Partnership.objects.filter(slug="brambleford-primary-cluster").exists():
            self.stdout.write("The demo is already loaded.")
        else:
            self._load()
            self.stdout.write(self.style.SUCCESS("Demo loaded."))

    def _load(self):
        from django.utils import timezone

        today = timezone.localdate()
        programme.load_schools(today)
        keys = programme.load_partnerships(today)
        core = programme.load_people(keys, today, DEMO_PASSWORD)
        # Everyone whose role requires two-factor authentication (core team, associates,
        # designated safeguarding leads, the safeguarding officer) gets the demo authenticator.
        for user in User.objects.filter(**current_role_lookup("roles__"),
                                        roles__role__in=MFA_REQUIRED_ROLES,
                                        email__endswith=f"@{DOMAIN}").distinct():
            if not Authenticator.objects.filter(user=user, type="totp").exists():
                TOTP.activate(user, DEMO_TOTP_SECRET)
        courses = programme.load_training_history(core, today)
        with at(date(2026, 9, 1)):
            self._load_library(core)
        if programme.load_reviews(keys, today):
            programme.load_safeguarding()
        else:
            self.stdout.write("No published core framework: run load_frameworks first to "
                              "see demo reviews.")
        # The coming sessions were set up, and booked, in the last few weeks; this year's
        # survey went out last week (never stamped with the instant the demo loads).
        with at(moment(weekday(today - timedelta(days=21)), 11)):
            programme.load_training_calendar(courses, today)
        # The sign-ins most people try first still have this year's survey to answer. Last
        # year's baseline wave ran in the autumn term and closed after five weeks.
        last_year = programme.academic_year(today) - 1
        baseline = {"baseline": moment(weekday(date(last_year, 10, 5)), 9),
                    "baseline closed": moment(weekday(date(last_year, 11, 9)), 17)}
        with at(moment(weekday(today - timedelta(days=6)), 9)):
            load_impact_demo(core, leave_unanswered=[
                f"{local}@{DOMAIN}" for local in ("head.brambleford", "exechead.cinderwell",
                                                  "lead.brambleford", "staff.hollowmere",
                                                  "head.northvale")],
                on=lambda step: at(baseline[step]))
        # A waiting invitation, as a partnership lead would leave it.
        Invitation.objects.create(email=f"head.tidewater@{DOMAIN}", full_name="Marisol Pengelly",
                                  role=Role.HEADTEACHER,
                                  school=programme.school(990017),
                                  invited_by=User.objects.get(email=f"lead.northvale@{DOMAIN}"))
        load_alumni(keys, today)
        load_community_demo(today)
        __import__("apps.demo.delivery", fromlist=["*"]).load_delivery_demo(keys, today)
        load_meetings_demo(core, today, slides=_demo_pdf(
            "Autumn national meeting: what partnerships learned this term",
            "Three partnerships shared how their key enquiry questions changed between the "
            "pre-review meeting and the review day, and what they would ask earlier next "
            "time.",
            "Small groups then compared how they keep an action plan alive after the "
            "Improvement Workshop: short termly check-ins, one named owner per action, and "
            "evidence gathered as the work happens rather than at the end."))
        programme.read_old_notifications(today)

    def _load_library(self, core):
        """A few library items, one per audience, written for the demo."""
        items = [
            ("What school-to-school peer review is", "An introduction for schools thinking "
             "about joining: how partnerships review each other, and what a review day "
             "involves.", "link", "public", ["headteacher", "staff"], [], "",
             "https://example.org/demo/introduction"),
            ("Preparing for your first review: a checklist", "What the host school gets "
             "ready before the review team arrives: the self-review, the evidence plan, "
             "timetables and rooms.", "file", "programme", ["headteacher"], ["build"],
             "1.0", ""),
            ("Self-review template", "A template for writing the self-review against the "
             "themes of the core framework, with space for strengths and areas to develop.",
             "template", "programme", ["headteacher", "staff"], [], "2.1", ""),
            ("Recording: running an Improvement Workshop", "A recorded webinar in which "
             "Improvement Champions share how they open, pace and close a workshop.",
             "link", "alumni", ["champion"], ["embed", "sustain"], "",
             "https://example.org/demo/workshop-recording"),
            ("Associate handbook", "How associates support partnerships through the year: "
             "visits, quality assurance and the calendar.", "file", "core", [], [], "3.0", ""),
        ]
        for title, summary, kind, audience, roles, phases, version, url in items:
            resources.create_resource(
                by=core, title=title, summary=summary, kind=kind, audience=audience,
                for_roles=roles, for_phases=phases, version_label=version, url=url,
                published_on=date(2026, 9, 1),
                upload=None if kind == "link" else (
                    f"{title.split(':')[0].lower().replace(' ', '-')}.pdf", "application/pdf",
                    _demo_pdf(title, summary)))

    def _print_sign_ins(self):
        self.stdout.write("")
        self.stdout.write("Demo sign-ins (every person and school is fictional). "
                          f"Password for all: {DEMO_PASSWORD}")
        for local, name, roles, _ in PEOPLE:
            labels = ", ".join(sorted({str(Role(r).label) for r, _, _ in roles}))
            self.stdout.write(f"  {local + '@' + DOMAIN:<38} {name:<26} {labels}")
        self.stdout.write(
            "Core team, associate, designated safeguarding lead and safeguarding officer "
            "sign-ins also ask for an authenticator code. Add the "
            f"demo secret {DEMO_TOTP_SECRET} to an authenticator app, or run "
            "`make demo-code` for the current code.")


def _demo_pdf(title: str, *paragraphs: str) -> bytes:
    """A short, real PDF (typeset by WeasyPrint, tagged like the platform's own) with
    ``title`` as its heading and ``paragraphs`` below, marked as written for the demo."""
    from django.utils.html import escape

    # Imported here: only the demo's few files need it (WeasyPrint itself loads lazily).
    from apps.core.pdf import html_to_pdf

    body = "".join(f"<p>{escape(p)}</p>" for p in (*paragraphs, DEMO_NOTE))
    return html_to_pdf(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>@page {{ size: A4; margin: 2.5cm }} "
        "body { font-family: sans-serif; font-size: 12pt; line-height: 1.4 } "
        "h1 { font-size: 20pt }</style></head>"
        f"<body><h1>{escape(title)}</h1>{body}</body></html>")


DEMO_NOTE = ("Every word in this document was written for the demo of the peer review "
             "platform. The people, schools and partnerships it mentions are fictional.")
