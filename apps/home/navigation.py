"""The service navigation: each role gets the few sections it uses, in the header; the other
sections it may open are listed on its home page ("More in the service").

A person with several roles (a headteacher who leads a partnership) gets the sections of
each, the most used first, up to ``TOP_ITEMS`` in the header. Sections are offered only when
the person may open them (the same permissions the pages check). Roles come from the cached
role list (``apps.accounts.roles``): building the navigation costs no query of its own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role
from apps.accounts.roles import current_roles

TOP_ITEMS = 7  # more wraps the header to two lines at 1024 px


@dataclass(frozen=True)
class Section:
    label: str | Promise
    url_name: str
    # view names (or "namespace:" prefixes) where this section is the current one
    prefixes: tuple[str, ...]
    perm: str | tuple[str, ...] = ""  # any one of these lets the person open it
    hint: str | Promise = ""  # what it is for, on the home page's "More in the service"


SECTIONS: dict[str, Section] = {s.url_name: s for s in (
    Section(_("Home"), "home", ("home",)),
    Section(_("Reviews"), "reviews:index", ("reviews:", "improvement:"),
            hint=_("Reviews, review cycles and action plans")),
    Section(_("Safeguarding concerns"), "reviews:safeguarding_list",
            ("reviews:safeguarding_list", "reviews:safeguarding_detail",
             "reviews:safeguarding_outcome"), perm="reviews.list_safeguarding_concerns",
            hint=_("Safeguarding concerns raised during reviews that you may read")),
    Section(_("Partnerships"), "partnerships:list", ("partnerships:",),
            perm="partnerships.list_partnerships", hint=_("Partnerships and their schools")),
    Section(_("People"), "people:people", ("people:people", "people:invit"),
            perm="accounts.manage_people", hint=_("Invite people and change their roles")),
    Section(_("Impact"), "impact:index", ("impact:",),
            perm=("impact.run_analyses", "impact.list_fidelity", "impact.view_survey_results"),
            hint=_("Analyses, fidelity and surveys")),
    Section(_("Support"), "support:index", ("support:",),
            hint=_("Support offered and asked for between schools")),
    Section(_("Training"), "training:catalogue", ("training:",),
            hint=_("Courses, national meetings and your bookings")),
    Section(_("Community"), "community:index", ("community:",), perm="community.take_part",
            hint=_("Discussions with people across the programme")),
    Section(_("Library"), "resources:library", ("resources:",),
            hint=_("Guides, templates and recordings")),
    Section(_("Schools"), "directory:schools", ("directory:", "schools:"),
            hint=_("The school directory")),
    Section(_("Frameworks"), "frameworks:list", ("frameworks:",),
            perm="frameworks.view_frameworks", hint=_("Enquiry questions to choose from")),
    Section(_("Audit log"), "core:audit", ("core:audit",), perm="core.view_audit_log",
            hint=_("Who did what, and when")),
    Section(_("Enquiries"), "enquiries:inbox", ("enquiries:inbox", "enquiries:detail"),
            perm="home.manage_enquiries", hint=_("Messages sent through Get in touch")),
    Section(_("Delivery partners"), "delivery:index", ("delivery:",),
            perm="delivery.view_index",
            hint=_("Nominating, approving and attaching delivery partners")),
    Section(_("Alumni programme"), "alumni:index", ("alumni:",),
            hint=_("Membership for schools after their partnership's funded years")),
)}

# What each role uses, most used first. A school role's work is its reviews and plans; the
# programme and partnership roles work across schools.
SCHOOL = ["home", "reviews:index", "support:index", "training:catalogue", "community:index",
          "resources:library", "directory:schools", "frameworks:list", "alumni:index"]
BY_ROLE: dict[str, list[str]] = {
    Role.HEADTEACHER: SCHOOL + ["reviews:safeguarding_list"],
    Role.SCHOOL_LEADER: SCHOOL,
    Role.DSL: ["home", "reviews:safeguarding_list", *SCHOOL[1:]],
    Role.STAFF: ["home", "reviews:index", "training:catalogue", "resources:library",
                 "community:index", "directory:schools", "support:index"],
    Role.PARTNERSHIP_LEAD: ["home", "reviews:index", "partnerships:list", "people:people",
                            "support:index", "training:catalogue", "resources:library",
                            "community:index", "directory:schools", "frameworks:list",
                            "alumni:index"],
    Role.ASSOCIATE: ["home", "reviews:index", "partnerships:list", "impact:index",
                     "training:catalogue", "support:index", "resources:library",
                     "community:index", "directory:schools", "frameworks:list",
                     "delivery:index"],
    Role.CORE_TEAM: ["home", "reviews:index", "partnerships:list", "people:people",
                     "training:catalogue", "impact:index", "directory:schools", "core:audit",
                     "enquiries:inbox", "delivery:index", "alumni:index", "resources:library",
                     "frameworks:list", "community:index", "support:index",
                     "reviews:safeguarding_list"],
    Role.EVALUATOR: ["home", "impact:index", "training:catalogue", "resources:library",
                     "directory:schools", "frameworks:list", "community:index"],
    Role.SAFEGUARDING_OFFICER: ["home", "reviews:safeguarding_list", "training:catalogue",
                                "resources:library", "directory:schools"],
}
NO_ROLE = ["home", "training:catalogue", "resources:library", "directory:schools"]
# Which role's list leads when a person holds several: the one with the widest work.
ROLE_ORDER = [Role.CORE_TEAM, Role.ASSOCIATE, Role.PARTNERSHIP_LEAD, Role.EVALUATOR,
              Role.SAFEGUARDING_OFFICER, Role.HEADTEACHER, Role.SCHOOL_LEADER, Role.DSL,
              Role.STAFF]
CANONICAL = list(SECTIONS)


def _may_open(user: Any, section: Section) -> bool:
    if not section.perm:
        return True
    perms = (section.perm,) if isinstance(section.perm, str) else section.perm
    return any(user.has_perm(p) for p in perms)


def sections_for(user: Any) -> tuple[list[Section], list[Section]]:
    """(header sections, the rest) for a signed-in person: the header holds the most used
    sections of each of their roles, in the service's usual order; the rest are those they
    may still open."""
    held = {r for r, _, _ in current_roles(user)}
    lists = [BY_ROLE[r] for r in ROLE_ORDER if r in held] or [NO_ROLE]
    wanted: list[str] = []
    # Take each role's first section, then each one's second, and so on.
    for position in range(max(len(names) for names in lists)):
        for names in lists:
            if position < len(names) and names[position] not in wanted:
                wanted.append(names[position])
    usable = [SECTIONS[name] for name in wanted if _may_open(user, SECTIONS[name])]
    top = sorted(usable[:TOP_ITEMS], key=lambda s: CANONICAL.index(s.url_name))
    more = usable[TOP_ITEMS:]
    return top, more


def _match(section: Section, current: str) -> int:
    """How closely the page matches the section: the length of its longest prefix that
    matches (0: not at all)."""
    return max((len(p) for p in section.prefixes if current == p or current.startswith(p)),
               default=0)


def _active(section: Section, current: str, sections: list[Section] | None = None) -> bool:
    """The section the page belongs to: the closest match, so a safeguarding page under
    ``reviews:`` marks "Safeguarding concerns", not "Reviews" as well."""
    here = _match(section, current)
    return here > 0 and all(_match(other, current) <= here for other in sections or [])


def navigation(request) -> dict:
    """The header's sections (``nav_items``) and the rest (``nav_more``, on home)."""
    user = getattr(request, "user", None)
    context: dict[str, Any] = {"platform_name": settings.PLATFORM_NAME}
    if user is None or not user.is_authenticated:
        context.update(nav_items=[], nav_more=[])
        return context
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    top, more = sections_for(user)
    context["nav_items"] = [{"label": s.label, "url": reverse(s.url_name),
                             "active": _active(s, current, list(SECTIONS.values()))}
                            for s in top]
    context["nav_more"] = [{"label": s.label, "url": reverse(s.url_name), "hint": s.hint}
                           for s in more]
    return context
