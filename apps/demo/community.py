"""The demo's national community (called by ``load_demo``): three spaces with threads and
replies, directory entries for some schools and partnerships, and one reported post waiting
in the core team's moderation queue. Every word is invented for the demo."""

from __future__ import annotations

from datetime import date, timedelta

from apps.community import services
from apps.community.models import Space
from apps.partnerships.models import Partnership

from .clock import at, moment
from .cycles import weekday
from .programme import person, school

# (urn or partnership slug, who writes it, working on, strengths, show phase, show region);
# a text given as None is not shown.
ENTRIES = [
    (990001, "head.brambleford",
     "Helping pupils in Years 4 to 6 reason about unfamiliar maths problems.",
     "Reading for pleasure: a pupil-run library and reading ambassadors.", True, True),
    (990004, "lead.brambleford",
     "Oracy across the curriculum, starting with talk partners in Key Stage 1.",
     None, True, True),
    (990011, "head.northvale",
     "Transition from Year 6 to Year 7: shared reading lists with our primaries.",
     "Coaching for middle leaders new to leading a review line of enquiry.", True, False),
    (990032, "lead.estuary", None,
     "Running our own review cycle with light support: we are happy to share our timeline "
     "and how we brief the host school.", True, True),
    ("estuary-schools-alliance", "lead.estuary",
     "A second cycle built around attendance and belonging.",
     "Improvement Workshops led by our own trained champions.", True, True),
]

SPACES = [
    ("Reading and oracy", "Reading for pleasure, early reading, talk in the classroom."),
    ("Running a review", "Planning the day, briefing the host school, writing findings that "
     "describe rather than judge."),
    ("After the review", "Improvement Workshops, action plans and checking back on impact."),
]

# (space, title, author, opening post, [(author, reply)])
THREADS = [
    (0, "How do you keep a pupil-run library going?", "head.brambleford",
     "Our reading ambassadors run the library at lunchtime. It works well until the spring "
     "term, when the Year 6 ambassadors get busy. How do other schools keep it going?",
     [("head.seabright", "We train Year 5 ambassadors in the summer term, so each Year 6 "
                         "has a Year 5 partner by January."),
      ("head.millcross", "At secondary we found a staff sponsor who meets the ambassadors "
                         "once a fortnight made the difference.")]),
    (1, "Briefing the host school's staff before the review day", "lead.estuary",
     "We now brief all staff at the host school in a ten-minute slot the week before. "
     "The most useful part has been explaining that we describe what we see and do not "
     "grade lessons. What do others include?",
     [("head.fernbrook", "We add a short note on who the reviewers are and which lessons "
                         "they might visit, so no one is surprised."),
      ("lead.ashcombe", "As an alumni partnership we still do this: it sets the tone for "
                        "the whole day.")]),
    (2, "Checking back on an action that changed direction", "head.northvale",
     "One of our actions changed direction halfway through the year. At the check-back, "
     "how did you describe the impact of the original plan?", []),
]


def load_community_demo(today: date) -> None:
    """Written over the last month, as people would have (the demo's clock, apps/demo/clock.py):
    the spaces and entries first, a thread every few days with its replies that afternoon,
    and the report two days ago."""
    if Space.objects.exists():
        return
    core = person("core")
    with at(moment(weekday(today - timedelta(days=30)), 9)):
        spaces = [services.create_space(by=core, title=t, description=d) for t, d in SPACES]
        for key, author, working_on, strengths, phase, region in ENTRIES:
            owner = {"school": school(key)} if isinstance(key, int) else {
                "partnership": Partnership.objects.get(slug=key)}
            services.save_profile(**owner, by=person(author), expected_version=0, listed=True,
                                  working_on=working_on or "",
                                  share_working_on=bool(working_on),
                                  strengths=strengths or "", share_strengths=bool(strengths),
                                  share_phase=phase, share_region=region)
    for n, (index, title, author, body, replies) in enumerate(THREADS):
        day = weekday(today - timedelta(days=max(24 - 4 * n, 3)))
        with at(moment(day, 9)):
            thread = services.start_thread(spaces[index], by=person(author), title=title,
                                           body=body)
        for hour, (who, text) in enumerate(replies, start=13):
            with at(moment(day, min(hour, 18), 5 * (hour - 13) % 60)):
                services.reply(thread, by=person(who), body=text)
    spaces[0].followers.add(person("head.larkspur"))
    # One reply to the last thread waits in the moderation queue.
    with at(moment(weekday(today - timedelta(days=2)), 15)):
        reported = services.reply(thread, by=person("head.oakhurst"),
                                  body="Happy to compare notes: you can email me on my "
                                       "personal address.")
        services.report_post(reported, by=person("head.northvale"),
                             reason="Asks people to use a personal email address instead of "
                                    "the platform.")
