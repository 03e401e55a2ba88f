"""The national community: signed-in people of programme schools and partnerships (current
and alumni) and the core team take part; the core team opens spaces and moderates. A hidden
post is read only by the core team and its author. A school's directory entry is written by
its headteacher and school leaders, a partnership's by its lead."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from apps.accounts.roles import is_core_team, leader_school_ids, leads_partnership
from apps.partnerships.models import Membership
from apps.partnerships.selectors import programme_standing

if TYPE_CHECKING:
    from apps.accounts.types import AnyUser
    from apps.schools.models import School

    from .models import Post, Thread


@rules.predicate
def in_programme(user: AnyUser) -> bool:
    """Someone at a school or partnership in the programme, now or as alumni"""
    return programme_standing(user) is not None


@rules.predicate
def wrote_post(user: AnyUser, post: Post | None) -> bool:
    """The post's author"""
    return post is not None and user.is_authenticated and post.author_id == user.pk


@rules.predicate
def post_is_visible(user: AnyUser, post: Post | None) -> bool:
    """While the post is not hidden by the moderators"""
    return post is not None and post.hidden_at is None


@rules.predicate
def opened_thread(user: AnyUser, thread: Thread | None) -> bool:
    """The person who started the thread"""
    return thread is not None and user.is_authenticated and thread.created_by_id == user.pk


@rules.predicate
def thread_is_visible(user: AnyUser, thread: Thread | None) -> bool:
    """While the thread's opening post is not hidden, or for the core team and the person
    who started it"""
    return thread is not None and (thread.hidden_at is None or is_core_team(user)
                                   or opened_thread(user, thread))


@rules.predicate
def leads_programme_school(user: AnyUser, school: School | None) -> bool:
    """The headteacher and school leaders of a school that is in a partnership now"""
    return (school is not None and school.pk in leader_school_ids(user)
            and Membership.objects.current().filter(school=school).exists())


takes_part = is_core_team | in_programme

rules.add_perm("community.take_part", takes_part)
rules.add_perm("community.create_space", is_core_team)
rules.add_perm("community.moderate", is_core_team)
rules.add_perm("community.view_thread", takes_part & thread_is_visible)
rules.add_perm("community.read_hidden_post", is_core_team | wrote_post)
rules.add_perm("community.edit_post", wrote_post & post_is_visible)
rules.add_perm("community.report_post", takes_part & post_is_visible & ~wrote_post)
rules.add_perm("community.edit_school_profile", leads_programme_school)
rules.add_perm("community.edit_partnership_profile", leads_partnership)
