"""Writes of the national community. Each function checks what it is given, writes inside one
transaction, records the sensitive ones in the audit log and tells people through
``apps.notifications.services.notify`` (which emails at once or in the daily digest, as each
person chose on their notification settings page)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _

from apps.accounts.models import Role, User, current_role_lookup
from apps.core import audit
from apps.notifications.services import notify
from apps.reviews.services import EditConflict, check_version, save_versioned

from .models import ModerationEvent, Post, PostReport, Profile, Space, Thread
from .signals import profile_saved

if TYPE_CHECKING:
    from apps.partnerships.models import Partnership
    from apps.schools.models import School

__all__ = ["EditConflict", "create_space", "edit_post", "follow_space", "moderate", "reply",
           "report_post", "save_profile", "start_thread"]

MAX_POST = 10_000
SNIPPET = 300


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _snippet(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(SNIPPET)


def _core_team() -> list[User]:
    return list(User.objects.filter(is_active=True, roles__role=Role.CORE_TEAM,
                                    **current_role_lookup("roles__")).distinct())


# The directory --------------------------------------------------------------------------

PROFILE_TEXTS = ("working_on", "strengths")
PROFILE_FLAGS = ("listed", "share_working_on", "share_strengths", "share_phase",
                 "share_region", "share_working_well", "share_results")
# A school's consent as the host of its reviews; a partnership's entry has neither.
SCHOOL_ONLY_FLAGS = ("share_working_well", "share_results")


@transaction.atomic
def save_profile(*, school: School | None = None, partnership: Partnership | None = None,
                 by: User, expected_version: int | None, base: str | None = None,
                 **values: Any) -> Profile:
    """Save a school's or partnership's directory entry. A text ticked to be shown must not
    be empty. ``expected_version`` is the version read (0 for none yet): a change saved by
    someone else meanwhile raises ``EditConflict``."""
    if (school is None) == (partnership is None):
        raise ValueError("A profile is a school's or a partnership's")
    texts = {f: (values.get(f) or "").strip() for f in PROFILE_TEXTS}
    flags = {f: bool(values.get(f)) for f in PROFILE_FLAGS}
    if school is None:
        flags.update(dict.fromkeys(SCHOOL_ONLY_FLAGS, False))
    problems = {}
    if flags["share_working_on"] and not texts["working_on"]:
        problems["working_on"] = _("Enter what you are working on, or untick 'Show what "
                                   "we are working on'")
    if flags["share_strengths"] and not texts["strengths"]:
        problems["strengths"] = _("Enter the strengths you can offer, or untick 'Show "
                                  "the strengths we offer'")
    if problems:
        raise ValidationError(problems)
    lookup = {"school": school} if school is not None else {"partnership": partnership}
    profile, created = save_versioned(Profile, lookup, expected=expected_version, base=base,
                                      texts=texts, **flags, updated_by=by,
                                      updated_at=timezone.now())
    audit.record("community.profile_saved", actor=by, obj=profile, listed=flags["listed"],
                 shown=sorted(f for f in PROFILE_FLAGS[1:] if flags[f]))
    profile_saved.send(sender=Profile, profile=profile)
    return profile


# Spaces and threads -----------------------------------------------------------------------

@transaction.atomic
def create_space(*, by: User, title: str, description: str = "") -> Space:
    title = _required(title, "title", _("Enter a title for the space"))
    if Space.objects.filter(title__iexact=title).exists():
        raise ValidationError({"title": _("There is already a space with this title: "
                                          "choose another title")})
    base = slugify(title)[:120] or "space"
    slug, n = base, 1
    while Space.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    space = Space.objects.create(title=title, slug=slug, description=description.strip(),
                                 created_by=by)
    audit.record("community.space_created", actor=by, obj=space, title=title)
    return space


def follow_space(space: Space, user: User, follow: bool) -> None:
    if follow:
        space.followers.add(user)
    else:
        space.followers.remove(user)


def _readers(people: Iterable[User], thread: Thread) -> list[User]:
    """Of ``people``, those who may read ``thread`` now (a notification links to it)."""
    return [p for p in people if p.is_active and p.has_perm("community.view_thread", thread)]


@transaction.atomic
def start_thread(space: Space, *, by: User, title: str, body: str) -> Thread:
    problems = {}
    if not (title or "").strip():
        problems["title"] = _("Enter a title for your thread")
    if not (body or "").strip():
        problems["body"] = _("Enter your message")
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    thread = Thread.objects.create(space=space, title=title.strip(), created_by=by,
                                   created_at=now, last_post_at=now)
    Post.objects.create(thread=thread, author=by, body=body.strip(), is_opening=True,
                        created_at=now)
    # Notifications name the space and the person, never the words: a post hidden later
    # must not stay readable in anyone's notifications.
    notify(_readers(space.followers.all(), thread), kind="community.thread", actor=by,
           subject=f"New thread in {space.title}",
           message=f"{by.display_name} started a thread in {space.title}. Read it on the "
                   "site.",
           url=reverse("community:thread", args=[thread.pk]))
    return thread


@transaction.atomic
def reply(thread: Thread, *, by: User, body: str) -> Post:
    body = _required(body, "body", _("Enter your reply"))
    now = timezone.now()
    post = Post.objects.create(thread=thread, author=by, body=body, created_at=now)
    Thread.objects.filter(pk=thread.pk).update(last_post_at=now)
    # Everyone who has written in the thread hears of the reply.
    people = User.objects.filter(community_posts__thread=thread,
                                 community_posts__hidden_at__isnull=True).distinct()
    notify(_readers(people, thread), kind="community.reply", actor=by, coalesce=True,
           subject=f"New reply in {thread.space.title}",
           message=f"{by.display_name} replied in a thread you have written in, in "
                   f"{thread.space.title}. Read it on the site.",
           url=reverse("community:thread", args=[thread.pk]))
    return post


@transaction.atomic
def edit_post(post: Post, *, by: User, body: str, expected_version: int | None,
              base: str | None = None) -> Post:
    """Change the text of one's own post; someone else's edit of it meanwhile (from another
    tab or device) raises ``EditConflict``."""
    body = _required(body, "body", _("Enter your message"))
    current = Post.objects.select_for_update(of=("self",)).get(pk=post.pk)
    check_version(current, expected_version, base, [current.body], [body])
    current.body, current.edited_at = body, timezone.now()
    current.lock_version += 1
    current.save(update_fields=["body", "edited_at", "lock_version"])
    return current


# Reports and moderation -------------------------------------------------------------------

@transaction.atomic
def report_post(post: Post, *, by: User, reason: str) -> PostReport:
    reason = _required(reason, "reason", _("Say what is wrong with the post"))
    if PostReport.objects.filter(post=post, reported_by=by, closed_at__isnull=True).exists():
        raise ValidationError({"reason": _("You have already reported this post. The "
                                           "core team will look at it")})
    try:
        with transaction.atomic():
            report = PostReport.objects.create(post=post, reported_by=by, reason=reason)
    except IntegrityError as e:
        raise ValidationError({"reason": _("You have already reported this post")}) from e
    audit.record("community.post_reported", actor=by, obj=post)
    notify(_core_team(), kind="community.report", actor=by, coalesce=True,
           subject=f"A post in {post.thread.space.title} was reported",
           message=f"Reason given: {_snippet(reason)}",
           url=reverse("community:moderate", args=[post.pk]))
    return report


Decision = ModerationEvent.Decision


@transaction.atomic
def moderate(post: Post, *, by: User, decision: str, reason: str) -> ModerationEvent:
    """Hide, restore or keep a post, with a reason the author is told. Open reports of the
    post are closed. Hiding a thread's opening post hides the thread from everyone but the
    core team and the person who started it."""
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Choose what to do with the post")})
    reason = _required(reason, "reason", _("Give the reason for your decision"))
    post = Post.objects.select_for_update(of=("self",)).select_related("thread").get(pk=post.pk)
    if decision == Decision.HIDDEN and post.is_hidden:
        raise ValidationError({"decision": _("The post is already hidden: choose "
                                             "another option")})
    if decision == Decision.RESTORED and not post.is_hidden:
        raise ValidationError({"decision": _("The post is not hidden: choose another option")})
    now = timezone.now()
    if decision == Decision.HIDDEN:
        post.hidden_at, post.hidden_by, post.hidden_reason = now, by, reason
    elif decision == Decision.RESTORED:
        post.hidden_at, post.hidden_by, post.hidden_reason = None, None, ""
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    if post.is_opening and decision != Decision.KEPT:
        Thread.objects.filter(pk=post.thread_id).update(hidden_at=post.hidden_at)
    event = ModerationEvent.objects.create(post=post, decision=decision, reason=reason, by=by,
                                           at=now)
    PostReport.objects.filter(post=post, closed_at__isnull=True).update(closed_at=now,
                                                                         closed_by=by)
    audit.record("community.post_moderated", actor=by, obj=post, decision=decision)
    if decision != Decision.KEPT and post.author is not None:
        done = "hidden" if decision == Decision.HIDDEN else "restored"
        notify([post.author], kind="community.moderated", actor=by,
               subject=f"Your post in {post.thread.space.title} was {done}",
               message=f"The core team {done} your post. Their reason: {reason}",
               url=reverse("community:thread", args=[post.thread_id]) + f"#post-{post.pk}")
    return event
