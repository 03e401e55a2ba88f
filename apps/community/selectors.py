"""Reads of the national community, one function per question.

The directory reads only what each school or partnership chose to show: a search or filter
looks only at shown parts (a filter on an unshown region must not reveal it by what it
returns), and ``entries`` hands templates only shown values, never the profile itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.accounts.roles import leader_school_ids, led_partnership_ids
from apps.partnerships.models import Membership, Partnership
from apps.schools.models import School

from .models import Post, PostReport, Profile, Space, Thread

if TYPE_CHECKING:
    from apps.accounts.types import AnyUser

KINDS = [("", _("Schools and partnerships")), ("school", _("Schools")),
         ("partnership", _("Partnerships"))]


def listed_profiles() -> QuerySet[Profile]:
    return Profile.objects.filter(listed=True).select_related("school", "partnership")


def _member(partnership_ref: str = "partnership_id") -> QuerySet[Membership]:
    return Membership.objects.current().filter(partnership_id=OuterRef(partnership_ref))


def find_profiles(*, q: str = "", kind: str = "", phase: str = "",
                  region: str = "") -> QuerySet[Profile]:
    """Listed profiles matching the filters, by name. A partnership's phase and region are
    those of its current member schools."""
    qs = listed_profiles()
    if kind == "school":
        qs = qs.filter(school__isnull=False)
    elif kind == "partnership":
        qs = qs.filter(partnership__isnull=False)
    if phase:
        qs = qs.filter(Q(share_phase=True) & (
            Q(school__phase=phase) | Exists(_member().filter(school__phase=phase))))
    if region:
        qs = qs.filter(Q(share_region=True) & (
            Q(school__region=region) | Exists(_member().filter(school__region=region))))
    for word in q.split()[:8]:
        qs = qs.filter(Q(school__name__icontains=word) | Q(partnership__name__icontains=word)
                       | Q(share_working_on=True, working_on__icontains=word)
                       | Q(share_strengths=True, strengths__icontains=word))
    return qs.order_by("school__name", "partnership__name", "pk")


def filter_choices() -> tuple[list[str], list[str]]:
    """The phases and regions someone could find: only those a listed entry shows."""
    def shown(flag: str) -> QuerySet[School]:
        members = Membership.objects.current().filter(**{
            "partnership__community_profile__listed": True,
            f"partnership__community_profile__{flag}": True}).values("school_id")
        return School.objects.filter(Q(community_profile__listed=True,
                                       **{f"community_profile__{flag}": True})
                                     | Q(pk__in=members))

    phases = (shown("share_phase").exclude(phase="").order_by("phase")
              .values_list("phase", flat=True).distinct())
    regions = (shown("share_region").exclude(region="").order_by("region")
               .values_list("region", flat=True).distinct())
    return list(phases), list(regions)


@dataclass
class Entry:
    """What the directory shows of one listed profile: only the parts it chose to show."""

    pk: int
    name: str
    kind: str  # "school" or "partnership"
    working_on: str = ""
    strengths: str = ""
    phase: str = ""
    programme_phase: str = ""
    regions: list[str] = field(default_factory=list)
    town: str = ""

    @property
    def is_school(self) -> bool:
        return self.kind == "school"


def entries(profiles: Any) -> list[Entry]:
    """Entries for a page of listed profiles, in two queries whatever its length."""
    profiles = [p for p in profiles if p.listed]
    partnership_ids = [p.partnership_id for p in profiles if p.partnership_id]
    member_phases: dict[int, set[str]] = {}
    member_regions: dict[int, set[str]] = {}
    for pid, school_phase, region in (Membership.objects.current()
                                      .filter(partnership_id__in=partnership_ids)
                                      .values_list("partnership_id", "school__phase",
                                                   "school__region")):
        if school_phase:
            member_phases.setdefault(pid, set()).add(school_phase)
        if region:
            member_regions.setdefault(pid, set()).add(region)
    out = []
    for p in profiles:
        e = Entry(pk=p.pk, name=p.name, kind="school" if p.is_school else "partnership",
                  working_on=p.working_on if p.share_working_on else "",
                  strengths=p.strengths if p.share_strengths else "")
        if p.school is not None:
            if p.share_phase:
                e.phase = p.school.phase
            if p.share_region:
                e.regions = [p.school.region] if p.school.region else []
                e.town = p.school.town
        elif p.partnership is not None:
            if p.share_phase:
                e.programme_phase = p.partnership.get_phase_display()
                e.phase = ", ".join(sorted(member_phases.get(p.partnership_id, ())))
            if p.share_region:
                e.regions = sorted(member_regions.get(p.partnership_id, ()))
        out.append(e)
    return out


def editable_profiles(user: AnyUser) -> list[tuple[str, str]]:
    """(name, address of its settings page) for each entry this person may write: the
    programme schools they lead and the partnerships they lead."""
    schools = School.objects.filter(
        pk__in=leader_school_ids(user),
        memberships__in=Membership.objects.current()).distinct().order_by("name")
    partnerships = Partnership.objects.filter(pk__in=led_partnership_ids(user)).order_by("name")
    return ([(s.name, reverse("community:school_profile", args=[s.pk])) for s in schools]
            + [(p.name, reverse("community:partnership_profile", args=[p.slug]))
               for p in partnerships])


# Discussion -------------------------------------------------------------------------------

def spaces() -> QuerySet[Space]:
    return Space.objects.annotate(
        thread_count=Count("threads", filter=Q(threads__hidden_at__isnull=True),
                           distinct=True))


def visible_threads(user: AnyUser, space: Space) -> QuerySet[Thread]:
    """The space's threads this person may see, with reply counts (hidden replies are not
    counted), newest activity first."""
    qs = space.threads.select_related("created_by")
    if not user.has_perm("community.moderate"):
        qs = qs.filter(Q(hidden_at__isnull=True) | Q(created_by_id=user.pk))
    return qs.annotate(post_count=Count("posts", filter=Q(posts__hidden_at__isnull=True))) \
        .order_by("-last_post_at", "-pk")


def thread_posts(thread: Thread) -> QuerySet[Post]:
    return thread.posts.select_related("author", "hidden_by")


def moderation_queue() -> tuple[QuerySet[Post], QuerySet[Post]]:
    """Posts with open reports (oldest report first, each with its open reports and their
    reasons in ``open_report_list``) and posts hidden now."""
    # Counted, not filtered through the join: ``reports__closed_at__isnull=True`` would also
    # match every post that has no report at all.
    still_open = Q(reports__closed_at__isnull=True, reports__isnull=False)
    reported = (Post.objects.annotate(open_reports=Count("reports", filter=still_open),
                                      first_report=Min("reports__created_at",
                                                       filter=still_open))
                .filter(open_reports__gt=0)
                .select_related("author", "thread__space")
                .prefetch_related(Prefetch("reports", to_attr="open_report_list",
                                           queryset=PostReport.objects.filter(
                                               closed_at__isnull=True)))
                .order_by("first_report", "pk"))
    hidden = (Post.objects.filter(hidden_at__isnull=False)
              .select_related("author", "thread__space", "hidden_by").order_by("-hidden_at"))
    return reported, hidden
