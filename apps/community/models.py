"""The national community: a directory of schools and partnerships that chose to be listed,
and themed discussion spaces.

A ``Profile`` belongs to one school or one partnership. Nothing in it is shown to anyone
until the school (its headteacher or a school leader) or the partnership (its lead) lists it,
and then only the parts they ticked: what they are working on, the strengths they offer,
their phase and their region. The name is shown once listed. A listed school may also let
support requests across the programme be matched with what its agreed review reports found
working well and with its actions completed with impact (``share_working_well``,
``share_results``): these are used to suggest it as a partner, never shown in the directory.

A ``Space`` is a theme the core team opens; people start ``Thread`` s in it and reply with
``Post`` s (a thread's first post is its opening post). The core team hides and restores
posts with a reason (``ModerationEvent`` keeps the history); anyone taking part may report a
post (``PostReport``). Who may do what is decided in ``rules.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from apps.partnerships.models import Partnership
from apps.schools.models import School

USER = settings.AUTH_USER_MODEL


class Profile(models.Model):
    school = models.OneToOneField(School, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="community_profile")
    partnership = models.OneToOneField(Partnership, null=True, blank=True,
                                       on_delete=models.CASCADE,
                                       related_name="community_profile")
    listed = models.BooleanField("listed in the community directory", default=False)
    working_on = models.TextField("what we are working on", blank=True)
    share_working_on = models.BooleanField(default=False)
    strengths = models.TextField("strengths we can offer", blank=True)
    share_strengths = models.BooleanField(default=False)
    share_phase = models.BooleanField(default=False)
    share_region = models.BooleanField(default=False)
    # A school's consent, as the host of its reviews, to suggest it to schools asking for
    # support (apps/support/matching.py): what reviewers found working well in its agreed
    # reports, and its actions completed with impact. Off until the school ticks them.
    share_working_well = models.BooleanField(default=False)
    share_results = models.BooleanField(default=False)
    lock_version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(
            condition=(Q(school__isnull=False, partnership__isnull=True)
                       | Q(school__isnull=True, partnership__isnull=False)),
            name="community_profile_school_or_partnership")]
        indexes = [models.Index(fields=["listed"], name="community_profile_listed_idx")]

    def __str__(self) -> str:
        return f"Community profile of {self.name}"

    @property
    def name(self) -> str:
        owner = self.school or self.partnership
        return owner.name if owner else ""

    @property
    def is_school(self) -> bool:
        return self.school_id is not None


class Space(models.Model):
    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    followers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                       related_name="followed_spaces")

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Thread(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(max_length=150)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_post_at = models.DateTimeField(default=timezone.now)
    hidden_at = models.DateTimeField(
        null=True, blank=True, help_text="Set while its opening post is hidden by moderators")

    class Meta:
        ordering = ["-last_post_at", "-pk"]
        indexes = [models.Index(fields=["space", "-last_post_at"],
                                name="community_thread_recent_idx")]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL,
                               related_name="community_posts")
    body = models.TextField()
    is_opening = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=1)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    hidden_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["thread", "created_at"],
                                name="community_post_thread_idx")]

    def __str__(self) -> str:
        return f"Post {self.pk} in {self.thread_id}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def updated_by(self):  # for the shared conflict box (reviews/_conflict.html)
        return self.author

    @property
    def updated_at(self):
        return self.edited_at or self.created_at


class PostReport(models.Model):
    """Someone taking part thinks a post breaks the community's guidelines."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reported_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(
            fields=["post", "reported_by"], condition=Q(closed_at__isnull=True),
            name="community_one_open_report_per_person")]

    def __str__(self) -> str:
        return f"Report of post {self.post_id}"


class ModerationEvent(models.Model):
    class Decision(models.TextChoices):
        HIDDEN = "hidden", pgettext_lazy("moderation decision", "Hidden")
        RESTORED = "restored", pgettext_lazy("moderation decision", "Restored")
        KEPT = "kept", pgettext_lazy("moderation decision", "Kept as it is")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="moderation")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason = models.TextField()
    by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: post {self.post_id}"
