"""Permission-matrix rows for the optimiser's pages."""

from apps.reviews.tests.matrix_rows import review_page
from conftest import PERSONAS

MANAGERS = review_page({"core": 200, "lead": 200})


def _run(w):
    from apps.allocation.models import AllocationRun

    run = AllocationRun.objects.filter(cycle=w.cycle).first() or AllocationRun.objects.create(
        cycle=w.cycle, state="done", instance={"format": "spp-allocation/1", "schools": [],
                                               "people": [], "reviews": []},
        solution={"status": "infeasible", "assignments": [],
                  "reasons": ["Too few schools"]})
    return {"pk": run.pk}


MATRIX_ROWS = {
    "allocation:profile": ("get", lambda w: {}, {**{p: 200 for p in PERSONAS},
                                                 "anonymous": 302}),
    "allocation:cycle": ("get", lambda w: {"pk": w.cycle.pk}, MANAGERS),
    "allocation:run": ("get", _run, MANAGERS),
    # Writes: saving one's own preferences; starting a run (the form shown again if empty).
    "allocation:profile#post": ("post", lambda w: {}, {**{p: 200 for p in PERSONAS},
                                                       "anonymous": 302}),
    "allocation:cycle#post": ("post", lambda w: {"pk": w.cycle.pk}, MANAGERS),
    # Without a choice the page says what is missing and goes back (302).
    "allocation:adjust": ("post", _run, review_page({"core": 302, "lead": 302})),
    "allocation:publish": ("post", _run, review_page({"core": 302, "lead": 302})),
}
