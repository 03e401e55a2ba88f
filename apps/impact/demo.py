"""The impact part of the demo (called from ``load_demo``).

* A theory-of-change survey with a closed baseline wave and an open end-of-year-1 wave for
  the demo partnerships. The answers are invented (the demo's people are fictional), in
  numbers that leave some groups shown and others hidden to protect anonymity.
* The real key stage 2 sample shipped in ``apps/impact/data`` (Hampshire and Surrey, 2017 to
  2019), imported through the importer, and one analysis on it. No real school took part in
  the demo programme: the "treated" schools are 40 picked at random, so the analysis shows
  how the method behaves when there is nothing to find. It says so on the page.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Collection
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from django.utils import timezone

from apps.partnerships.models import Partnership

from . import surveys
from .analysis import outcomes_frame
from .estimate import DEFAULT_MATCHING, Spec, estimate
from .models import Analysis, SurveyItem, Wave
from .services import import_outcomes

DATA = Path(__file__).parent / "data"
ITEMS = [
    ("partnership", "likert", "Schools in our partnership challenge each other to improve"),
    ("partnership", "likert", "Our partnership has a shared focus on disadvantaged pupils"),
    ("leadership", "likert", "I am more confident leading improvement in my school"),
    ("staff", "likert", "What I learned from a review changed what I do in class"),
    ("pupil", "likert", "Pupils can say how their learning has improved this year"),
    ("staff", "text", "What one thing would make peer review more useful?"),
]
# Answers to the free-text question, each written once (a wave never shows the same words
# twice); invented for the demo.
DEMO_COMMENTS = [
    "More time to visit the partner schools before the review day.",
    "Shorter written reports, with the key question at the top.",
    "Meeting the other Improvement Champions more often.",
    "A chance to see the host's timetable a week earlier, so visits can be planned properly.",
    "Pairing new reviewers with someone who has done three or four reviews.",
    "Hearing back six months later about what the host school changed.",
    "Fewer lines of enquiry: two done well would tell us more than four done quickly.",
    "Release time for the deputy as well as the head; the whole cost falls on one person.",
    "A short video of a good feedback meeting, to show new team members what to aim for.",
    "Letting support staff join the pupil voice session, not just teachers.",
    "Clearer guidance on what counts as evidence when lessons are not being observed.",
    "Reviewing a school in a different phase from ours once in a while.",
    "Sharing the action plans across the partnership, with the school's agreement.",
    "An online option for the pre-review meeting; the drive takes longer than the meeting.",
    "More honesty in the feedback. We were too polite with each other in the first year.",
    "Time in the spring term to look at all the reviews together as a partnership.",
    "A template for the self-review that fits on two sides.",
    "Bringing a governor along as an observer for part of the day.",
    "Examples of key enquiry questions from other partnerships.",
    "Having the same champion from the workshop to the check-back.",
    "Not holding reviews in the last two weeks of a term.",
    "Training for middle leaders, so reviewing is not only for senior staff.",
    "A way to ask another school a quick question without setting up a whole match.",
    "Nothing to add: it has been the most useful professional development this year.",
]
# (partnership key, phase, role group, respondents) for each wave: invented, and no more than
# the demo invites. The year-1 partnership-by-role table shows Brambleford's cells and hides
# the smaller partnerships'; the phase table is hidden (two secondary respondents).
RESPONDENTS = {
    "baseline": [("bramble", "Primary", "leadership", 6), ("bramble", "Primary", "staff", 8),
                 ("north", "Primary", "leadership", 4), ("north", "Secondary", "leadership", 1),
                 ("north", "Primary", "staff", 4), ("estuary", "Primary", "leadership", 2),
                 ("estuary", "Primary", "staff", 1)],
    "year1": [("bramble", "Primary", "leadership", 10), ("bramble", "Primary", "staff", 15),
              ("north", "Primary", "leadership", 5), ("north", "Secondary", "leadership", 1),
              ("north", "Primary", "staff", 5), ("north", "Secondary", "staff", 1),
              ("estuary", "Primary", "leadership", 3), ("estuary", "Primary", "staff", 2)],
}


def load_impact_demo(core, leave_unanswered: Collection[str] = (),
                     on: Callable[[str], AbstractContextManager[Any]] | None = None) -> None:
    """The survey, answered through ``surveys.submit`` by the people it invites, as many as
    ``RESPONDENTS`` says (or as there are); the people with emails in ``leave_unanswered``
    still have this year's wave to answer. ``on(step)``, if given, runs ``"baseline"`` (the
    survey and its first wave) and ``"baseline closed"`` on their own days; the year-1 wave
    opens on the caller's day."""
    rng = random.Random(2026)
    partnerships = {"bramble": Partnership.objects.get(slug="brambleford-primary-cluster"),
                    "north": Partnership.objects.get(slug="northvale-learning-partnership")}
    estuary = Partnership.objects.filter(slug="estuary-schools-alliance").first()
    if estuary:  # the demo's partnership in its Sustain phase
        partnerships["estuary"] = estuary
    step = on or (lambda _: nullcontext())
    with step("baseline"):
        survey = surveys.create_survey(by=core, title="Theory of change survey",
                                       items=ITEMS)
        baseline = _answered_wave(survey, core, "baseline", partnerships, rng, ())
    with step("baseline closed"):
        Wave.objects.filter(pk=baseline.pk).update(closed_at=timezone.now())
    _answered_wave(survey, core, "year1", partnerships, rng, leave_unanswered)
    load_demo_analysis(core)


def _answered_wave(survey, core, kind: str, partnerships, rng: random.Random,
                   leave_unanswered: Collection[str]) -> Wave:
    """Open the ``kind`` wave and submit ``RESPONDENTS``' answers; every third respondent
    writes a comment, each in words no one else in the wave used."""
    items = list(survey.items.all())
    comments = list(DEMO_COMMENTS)
    rng.shuffle(comments)
    wave = surveys.open_wave(survey, by=core, kind=kind,
                             partnerships=list(partnerships.values()),
                             roles=["headteacher", "school_leader", "staff"], min_group=5)
    lift = 0 if kind == "baseline" else 1
    answered = 0
    for key, phase, group, n in RESPONDENTS[kind]:
        if key not in partnerships:
            continue
        invites = wave.invites.filter(partnership=partnerships[key], phase=phase,
                                      role_group=group, answered=False)
        if leave_unanswered:
            invites = invites.exclude(user__email__in=list(leave_unanswered))
        for invite in invites.order_by("pk")[:n]:
            comment = comments.pop() if answered % 3 == 0 and comments else ""
            answered += 1
            surveys.submit(invite, {
                item: min(5, max(1, rng.choice([2, 3, 3, 4, 4, 5]) + lift))
                if item.kind == SurveyItem.Kind.LIKERT else comment
                for item in items})
    return wave


def load_demo_analysis(core) -> Analysis:
    files = sorted(DATA.glob("*_ks2final_subset.csv"))
    import_outcomes([(p.name, p.read_bytes()) for p in files], actor=core)
    spec = Spec("MAT_AVERAGE", 2018, 2019, matching=list(DEFAULT_MATCHING))
    frame = outcomes_frame({"MAT_AVERAGE", "TKS1AVERAGE", "PTFSM6CLA1A", "TELIG"})
    urns = sorted(frame[(frame.measure == "MAT_AVERAGE") & frame.value.notna()].urn.unique())
    # This draw leaves one disadvantage quintile with too few treated schools to estimate
    # (shown as not estimated) and the others estimated.
    picked = random.Random(8).sample([int(u) for u in urns], 40)
    clusters = {u: f"demo-{i % 8 + 1}" for i, u in enumerate(picked)}
    result = estimate(frame, set(picked), spec, clusters=clusters)
    result["reproducibility"]["spec"]["start_year"] = 2018
    return Analysis.objects.create(
        name="Demonstration: maths, 40 schools picked at random from published KS2 results",
        created_by=core, status=Analysis.Status.DONE,
        spec={**spec.as_dict(), "start_year": 2018,
              "note": "Demonstration only. No school in these files took part in the demo "
                      "programme: the 40 treated schools were picked at random from the real "
                      "key stage 2 sample (Hampshire and Surrey) and put in 8 invented "
                      "clusters, so any difference found is chance."},
        result=result)
