"""A thread with its replies, editing one's own post and reporting a post."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.core.forms import add_service_errors
from apps.core.paging import page_of

from .. import selectors, services
from ..access import get_post, get_thread, may_read
from ..forms import EditPostForm, ReplyForm, ReportForm

POSTS_PER_PAGE = 50


def _post_url(post) -> str:
    """The post on its page of the thread."""
    before = post.thread.posts.filter(created_at__lt=post.created_at).count() + \
        post.thread.posts.filter(created_at=post.created_at, pk__lt=post.pk).count()
    page = before // POSTS_PER_PAGE + 1
    query = f"?page={page}" if page > 1 else ""
    return reverse("community:thread", args=[post.thread_id]) + f"{query}#post-{post.pk}"


@require_http_methods(["GET", "POST"])
def thread_detail(request, pk):
    thread = get_thread(request, pk, write="community.take_part")
    user = request.user
    form = ReplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.reply(thread, by=user, body=form.cleaned_data["body"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Your reply is posted."))
            return redirect(_post_url(post))
    paging = page_of(request, selectors.thread_posts(thread), POSTS_PER_PAGE)
    posts = [{"post": p, "readable": may_read(user, p),
              "can_edit": user.has_perm("community.edit_post", p),
              "can_report": user.has_perm("community.report_post", p)}
             for p in paging["page"].object_list]
    return render(request, "community/thread.html", {
        "thread": thread, "space": thread.space, "posts": posts, "form": form, **paging,
        "can_moderate": user.has_perm("community.moderate")})


@require_http_methods(["GET", "POST"])
def post_edit(request, pk):
    post = get_post(request.user, pk, "community.edit_post")
    form = EditPostForm(request.POST if request.method == "POST" else None,
                        initial={"body": post.body, "lock_version": post.lock_version})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_post(post, by=request.user, body=form.cleaned_data["body"],
                               expected_version=form.cleaned_data["lock_version"],
                               base=form.cleaned_data["base"])
        except services.EditConflict as e:
            form.add_error(None, _("This post was changed somewhere else (in another tab or on "
                                   "another device) while you were editing, so your changes "
                                   "were not saved. Your version is in the box and the saved "
                                   "one is shown above it: combine them and save again"))
            form.show_conflict(e.current)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Your post is changed."))
            return redirect(_post_url(post))
    return render(request, "community/post_form.html", {
        "form": form, "post": post, "thread": post.thread, "heading": _("Change your post"),
        "button": _("Save your changes")})


@require_http_methods(["GET", "POST"])
def post_report(request, pk):
    post = get_post(request.user, pk, "community.report_post")
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_post(post, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Thank you: the core team will look at the post "
                                        "you reported."))
            return redirect(_post_url(post))
    return render(request, "community/post_form.html", {
        "form": form, "post": post, "thread": post.thread, "heading": _("Report this post"),
        "button": _("Send the report"), "show_post": True})
