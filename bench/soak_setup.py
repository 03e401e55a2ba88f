"""The database side of bench/soak.py, run in its own process with the soak's settings:

``python -m bench.soak_setup prepare N_HEADS N_REVIEWERS N_LEADS N_CORE`` picks people of the
generated national dataset for each persona, signs each in (a session as the sign-in page
would leave it, with the authenticator step for the core team), checks every address the
persona will ask for answers 200, adds an open event for public registration, and prints the
plan as JSON. ``python -m bench.soak_setup verify`` reads the soak's ledger of acknowledged
writes (JSON on standard input) and prints what the database holds of them.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import timedelta
from importlib import import_module
from typing import Any

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.accounts.models import Role, User  # noqa: E402
from apps.reviews.models import EvidenceNote, Review, Status, TeamMember  # noqa: E402
from apps.training.models import Course, Registrant, Session, SessionPart  # noqa: E402

OPEN_EVENT = "Open webinar (soak)"


def _session_for(user: User, mfa_id: int | None = None) -> str:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    records: list[dict[str, Any]] = [{"method": "password", "at": time.time(),
                                      "email": user.email}]
    if mfa_id is not None:
        records.append({"method": "mfa", "at": time.time(), "id": mfa_id, "type": "totp"})
    store["account_authentication_methods"] = records
    store["account_authentication_methods_user"] = str(user.pk)
    store.create()
    return store.session_key


def _answers(session_key: str, urls: list[str]) -> list[str]:
    """The addresses that answer 200 for this session (the others are left out)."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = session_key
    return [u for u in urls if client.get(u, secure=True).status_code == 200]


def _core_user(n: int) -> tuple[User, int]:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from apps.accounts.services import grant_role

    email = f"soak.core{n}@scale.example"
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email, None, full_name=f"Soak Core {n}")
    grant_role(user, Role.CORE_TEAM)  # kept as it is if already held
    if not Authenticator.objects.filter(user=user, type="totp").exists():
        TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    return user, Authenticator.objects.get(user=user, type="totp").pk


def _open_event() -> Session:
    course, _ = Course.objects.get_or_create(title=OPEN_EVENT, defaults={
        "kind": "webinar", "audience": "everyone"})
    session = course.sessions.filter(cancelled_at__isnull=True,
                                     booking_deadline__gt=timezone.now() + timedelta(days=1)
                                     ).first()
    if session is None:
        start = timezone.now() + timedelta(days=30)
        session = Session.objects.create(course=course, capacity=1_000_000,
                                         joining_link="https://meet.example/soak",
                                         booking_deadline=start - timedelta(days=2))
        SessionPart.objects.create(session=session, starts_at=start,
                                   ends_at=start + timedelta(hours=1))
    return session


def prepare(heads: int, reviewers: int, leads: int, core: int) -> dict[str, Any]:
    plan: dict[str, Any] = {"head": [], "reviewer": [], "lead": [], "core": [],
                            "skipped": []}
    # Reviews with a report and a plan, so the head has every page to read.
    reviews = (Review.objects.filter(status__in=[Status.ACTING, Status.REPORT_AGREED])
               .select_related("host").order_by("pk"))
    seen: set[int] = set()
    for review in reviews.iterator():
        if len(plan["head"]) >= heads:
            break
        head = User.objects.filter(roles__role=Role.HEADTEACHER,
                                   roles__school=review.host).first()
        if head is None or head.pk in seen:
            continue
        seen.add(head.pk)
        key = _session_for(head)
        urls = [reverse("home"), reverse("reviews:detail", args=[review.pk]),
                reverse("reviews:report", args=[review.pk]),
                reverse("improvement:plan", args=[review.pk])]
        ok = _answers(key, urls)
        plan["skipped"] += [u for u in urls if u not in ok]
        plan["head"].append({"session": key, "gets": ok})
    members = (TeamMember.objects.filter(review__status__in=[Status.SCHEDULED,
                                                              Status.IN_REVIEW],
                                         role__in=["lead", "reviewer"])
               .select_related("review", "user").order_by("pk"))
    for member in members.iterator():
        if len(plan["reviewer"]) >= reviewers:
            break
        if member.user_id in seen:
            continue
        seen.add(member.user_id)
        key = _session_for(member.user)
        evidence = reverse("reviews:evidence", args=[member.review_id])
        if not _answers(key, [evidence]):
            plan["skipped"].append(evidence)
            continue
        plan["reviewer"].append({
            "session": key, "gets": [evidence],
            "autosave": reverse("reviews:evidence_autosave", args=[member.review_id])})
    for role in User.objects.filter(roles__role=Role.PARTNERSHIP_LEAD).values_list(
            "pk", "roles__partnership__slug", "roles__partnership")[:leads]:
        user = User.objects.get(pk=role[0])
        theirs = Review.objects.filter(cycle__partnership=role[2]).order_by("pk").first()
        key = _session_for(user)
        urls = [reverse("partnerships:detail", args=[role[1]]), reverse("api:list_reviews")]
        if theirs is not None:
            urls.append(reverse("reviews:team", args=[theirs.pk]))
        ok = _answers(key, urls)
        plan["skipped"] += [u for u in urls if u not in ok]
        plan["lead"].append({"session": key, "gets": ok})
    words = ["oak", "park", "st", "hill", "church", "green", "primary", "academy"]
    for n in range(core):
        user, mfa = _core_user(n)
        key = _session_for(user, mfa)
        urls = [reverse("directory:schools") + f"?q={words[n % len(words)]}",
                reverse("directory:schools") + f"?q={words[(n + 3) % len(words)]}",
                reverse("core:audit"), reverse("api:list_reviews"),
                reverse("training:catalogue")]
        ok = _answers(key, urls)
        plan["skipped"] += [u for u in urls if u not in ok]
        plan["core"].append({"session": key, "gets": ok})
    event = _open_event()
    plan["registrant"] = {"session_id": event.pk,
                          "gets": [reverse("training:catalogue")],
                          "register": reverse("training:register", args=[event.pk])}
    plan["counts"] = {"notes": EvidenceNote.objects.count(),
                      "registrants": Registrant.objects.count()}
    return plan


def verify(ledger: dict[str, Any]) -> dict[str, Any]:
    """What the database holds of the writes the soak was told succeeded."""
    notes = ledger["notes"]  # client id -> the last text acknowledged
    stored = {str(k): v for k, v in EvidenceNote.objects.filter(client_id__in=list(notes))
              .values_list("client_id", "text")}
    emails = ledger["emails"]
    registered = set(Registrant.objects.filter(email__in=emails)
                     .filter(bookings__session_id=ledger["session_id"])
                     .values_list("email", flat=True))
    return {
        "notes_acknowledged": len(notes),
        "notes_stored": sum(1 for k in notes if k in stored),
        "notes_with_last_text": sum(1 for k, text in notes.items() if stored.get(k) == text),
        "registrations_acknowledged": len(emails),
        "registrations_stored": len(registered),
        "counts": {"notes": EvidenceNote.objects.count(),
                   "registrants": Registrant.objects.count()},
    }


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        print(json.dumps(prepare(*map(int, sys.argv[2:6]))))
    else:
        print(json.dumps(verify(json.load(sys.stdin))))
