"""A small community inside the shared test world (``conftest.build_world``), for the
permission matrix and the app's tests. Safe to call any number of times."""

from types import SimpleNamespace

MARKER = "UNPUBLISHED-MARKER-7Q2Z"


def community_world(w) -> SimpleNamespace:
    """A space opened by the core team; a thread started by ``head`` with a reply by
    ``outsider`` (reported by ``alumnus``) and a reply by ``leader`` hidden by the core team;
    a thread by ``staff`` whose opening post is hidden; A1 listed with its work shown and
    its strengths (holding ``MARKER``) not shown; B1 with an unlisted entry; Alpha listed."""
    from apps.community import services
    from apps.community.models import Post, Profile, Space, Thread

    if hasattr(w, "community"):
        return w.community
    people = w.people
    space = Space.objects.filter(slug="reading-for-pleasure").first() or \
        services.create_space(by=people["core"], title="Reading for pleasure",
                              description="Book clubs, libraries and reading aloud.")
    thread = Thread.objects.filter(space=space, title="How do you run book clubs?").first()
    if thread is None:
        thread = services.start_thread(space, by=people["head"],
                                       title="How do you run book clubs?",
                                       body="We want to start lunchtime book clubs in Year 5.")
        reply = services.reply(thread, by=people["outsider"],
                               body="Ours meet on Fridays; pupils choose the books.")
        services.report_post(reply, by=people["alumnus"], reason="It names a pupil.")
        hidden = services.reply(thread, by=people["leader"], body="A reply to hide.")
        services.moderate(hidden, by=people["core"], decision="hidden", reason="Off topic")
        hidden_thread = services.start_thread(space, by=people["staff"], title="Hidden thread",
                                              body="An opening post to hide.")
        services.moderate(hidden_thread.posts.get(), by=people["core"], decision="hidden",
                          reason="Advertising")
        services.save_profile(school=w.schools["A1"], by=people["head"], expected_version=0,
                              listed=True, working_on="Reading fluency in Key Stage 2",
                              share_working_on=True, strengths=f"Phonics {MARKER}",
                              share_strengths=False, share_phase=True, share_region=False)
        services.save_profile(school=w.schools["B1"], by=people["exec_head"],
                              expected_version=0, listed=False,
                              working_on=f"Attendance {MARKER}", share_working_on=True)
        services.save_profile(partnership=w.alpha, by=people["lead"], expected_version=0,
                              listed=True, strengths="Coaching for new reviewers",
                              share_strengths=True, share_phase=True, share_region=True)
    posts = Post.objects.filter(thread=thread).order_by("pk")
    w.community = SimpleNamespace(
        space=space, thread=thread, opening=posts[0], reply=posts[1], hidden=posts[2],
        hidden_thread=Thread.objects.get(space=space, title="Hidden thread"),
        a1=Profile.objects.get(school=w.schools["A1"]),
        b1=Profile.objects.get(school=w.schools["B1"]),
        alpha=Profile.objects.get(partnership=w.alpha))
    return w.community
