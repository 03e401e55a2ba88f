"""Live polls, feedback and aggregates (see ``polls.py`` for the rules).

Every page works without JavaScript; with it, htmx refreshes the results and the session
page's current-poll panel. Refreshes send ``?since=<stamp>`` and get 204 (nothing to swap)
when nothing has changed, so a screen reader's place on the page is not disturbed.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.converters import parse_id

from .. import polls as services
from ..access import get_session_for_user
from ..models import Poll
from ..polls_forms import AnswerForm, FeedbackForm, PollForm


def _get_poll(pk: int) -> Poll:
    poll = Poll.objects.select_related("session__course").filter(pk=pk).first()
    if poll is None:
        raise Http404("No such poll")
    return poll


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


# Trainer (and core team) --------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def polls(request, pk):
    session = get_session_for_user(request.user, pk, "training.run_polls")
    form = PollForm()
    if request.method == "POST":
        do = request.POST.get("do")
        if do in ("open", "close"):
            poll_id = parse_id(request.POST.get("poll"))
            poll = session.polls.filter(pk=poll_id).first() if poll_id else None
            if poll is None:
                raise Http404("No such poll")
            services.set_open(poll, by=request.user, is_open=do == "open")
            text = _("Opened: %(question)s") if do == "open" else _("Closed: %(question)s")
            messages.success(request, text % {"question": poll.question})
            return redirect("training:polls", pk=session.pk)
        form = PollForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                poll = services.create_poll(session, by=request.user, question=d["question"],
                                            kind=d["kind"], options=d["options"],
                                            is_open=d["open_now"])
            except ValidationError as e:
                for m in e.messages:
                    form.add_error(None, m)
            else:
                messages.success(request, _("Poll added and opened.") if poll.is_open
                                 else _("Poll added. Open it when you are ready."))
                return redirect("training:polls", pk=session.pk)
    rows = list(session.polls.annotate(answer_count=Count("answers")))
    for poll in rows:
        poll.answer_url = request.build_absolute_uri(
            reverse("training:poll_answer", args=[poll.pk]))
    return render(request, "training/polls_list.html", {
        "session": session, "polls": rows, "form": form})


@require_GET
def poll_results(request, pk):
    poll = _get_poll(pk)
    get_session_for_user(request.user, poll.session_id, "training.run_polls")
    results = services.results(poll)
    context = {"poll": poll, "session": poll.session, "r": results}
    if _is_htmx(request):
        if request.GET.get("since") == results.stamp:
            return HttpResponse(status=204)
        return render(request, "training/polls_results_live.html", context)
    context["answer_url"] = request.build_absolute_uri(
        reverse("training:poll_answer", args=[poll.pk]))
    return render(request, "training/polls_results.html", context)


# People with a place ------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def poll_answer(request, pk):
    poll = _get_poll(pk)
    session = get_session_for_user(request.user, poll.session_id)
    booking = services.answering_booking(request.user, session)
    if booking is None:
        raise PermissionDenied
    mine = poll.answers.filter(booking=booking).first()
    initial = {}
    if mine and mine.choices:
        values = [str(c) for c in mine.choices]
        initial["choices"] = values if poll.kind == Poll.Kind.MULTIPLE else values[0]
    form = AnswerForm(poll=poll, initial=initial)
    if request.method == "POST":
        form = AnswerForm(request.POST, poll=poll)
        if not poll.is_open:
            messages.error(request, _("This poll is closed: your answer was not saved."))
            return redirect("training:poll_answer", pk=poll.pk)
        if form.is_valid():
            try:
                services.answer(poll, booking=booking, choices=form.cleaned_data["choices"])
            except ValidationError as e:
                messages.error(request, " ".join(e.messages))
                return redirect("training:poll_answer", pk=poll.pk)
            messages.success(request, _("Your answer is saved. You can change it while the "
                                        "poll is open."))
            return redirect("training:poll_answer", pk=poll.pk)
    return render(request, "training/polls_answer.html", {
        "poll": poll, "session": session, "form": form, "mine": mine,
        "chosen": [poll.options[c] for c in mine.choices if 0 <= c < len(poll.options)]
        if mine else []})


@require_GET
def current_poll(request, pk):
    """The session page's panel for people with a place: the open polls and, once the
    session has started, the feedback link. Refreshed by htmx."""
    session = get_session_for_user(request.user, pk)
    booking = services.answering_booking(request.user, session)
    if booking is None:
        raise PermissionDenied
    open_polls = services.open_polls(session)
    answered = set(booking.poll_answers.filter(poll__in=open_polls)
                   .values_list("poll_id", flat=True))
    stamp = services.current_stamp(open_polls, answered)
    if _is_htmx(request) and request.GET.get("since") == stamp:
        return HttpResponse(status=204)
    # htmx swaps in the panel; a browser opening the address gets it on a page of its own.
    template = "training/polls_current.html" if _is_htmx(request) \
        else "training/polls_current_page.html"
    return render(request, template, {
        "session": session, "mine": booking, "current_polls": open_polls,
        "answered_ids": answered, "current_stamp": stamp})


@require_http_methods(["GET", "POST"])
def feedback(request, pk):
    session = get_session_for_user(request.user, pk)
    booking = services.feedback_booking(request.user, session)
    if booking is None:
        raise PermissionDenied
    is_open = services.feedback_open(session)
    if request.method == "POST" and not is_open:
        raise PermissionDenied
    existing = getattr(booking, "feedback", None)  # the missing reverse is an AttributeError
    form = FeedbackForm(request.POST or None, initial={
        "rating": str(existing.rating), "comments": existing.comments} if existing else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.give_feedback(booking, rating=form.cleaned_data["rating"],
                                   comments=form.cleaned_data["comments"])
        except ValidationError as e:
            for m in e.messages:
                form.add_error(None, m)
        else:
            messages.success(request, _("Thank you: your feedback is saved.") if not existing
                             else _("Your feedback is changed."))
            return redirect("training:session", pk=session.pk)
    return render(request, "training/polls_feedback.html", {
        "session": session, "form": form, "existing": existing, "is_open": is_open,
        "starts": session.first_start()})


# Core team ----------------------------------------------------------------------------------

@require_GET
def aggregates(request):
    if not request.user.has_perm("training.view_aggregates"):
        raise PermissionDenied
    return render(request, "training/polls_aggregates.html", {
        "questions": services.poll_aggregates(), "ratings": services.rating_aggregates(),
        "min_n": services.MIN_RESPONDENTS, "suppressed": services.SUPPRESSED})
