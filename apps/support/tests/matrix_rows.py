"""Permission-matrix rows for school-to-school support (merged into
tests/test_permission_matrix.py).

``support_world`` adds, once per world: an offer by A2 (``leader``'s school), an action on
A1's review (``w.review``, owned by ``head``) with a request for support, and a proposed
match of that request with A2, brokered by ``lead``. A request and its match are seen only by
the host's leaders (``head``), the provider's leaders (``leader``) and the partnership lead;
for everyone else they do not exist (404).
"""

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from conftest import PERSONAS

ALPHA = ["core", "associate", "lead", "head", "leader", "staff", "exec_head", "reviewer2",
         "champion"]
SCHOOL_LEADERS = ["head", "leader", "exec_head", "outsider", "alumnus", "reviewer2", "champion"]


def _action(w, title, area="reading"):
    from apps.improvement.models import Action

    today = timezone.localdate()
    action, _ = Action.objects.get_or_create(
        review=w.review, title=title,
        defaults={"owner": w.people["head"], "area": area, "starts_on": today,
                  "due_on": today + timedelta(days=90),
                  "success_criteria": "Pupils in Year 3 read aloud fluently.",
                  "support_wanted": "A school strong in phonics to coach two teachers."})
    return action


def support_world(w) -> SimpleNamespace:
    """The offer, action, request and match above; safe to call any number of times."""
    from apps.support.models import SupportMatch, SupportOffer, SupportRequest

    offer, _ = SupportOffer.objects.get_or_create(
        school=w.schools["A2"], partnership=w.alpha, title="Phonics coaching",
        defaults={"area": "reading", "people": "Our English lead", "hours": 12,
                  "created_by": w.people["leader"]})
    action = _action(w, "Reading fluency in Year 3")
    request, _ = SupportRequest.objects.get_or_create(
        action=action, defaults={"school": w.review.host, "partnership": w.alpha,
                                 "need": "Coaching for two Year 3 teachers in phonics.",
                                 "hours_wanted": 6, "status": "matched",
                                 "created_by": w.people["head"]})
    match, _ = SupportMatch.objects.get_or_create(
        request=request, defaults={"offer": offer, "provider_school": w.schools["A2"],
                                   "brokered_by": w.people["lead"]})
    return SimpleNamespace(offer=offer, action=action, request=request, match=match,
                           spare_action=_action(w, "Maths reasoning in Year 5", "maths"))


def table(allowed: dict, alpha: int = 404, others: int = 404) -> dict:
    rows = {p: others for p in PERSONAS}
    rows.update({p: alpha for p in ALPHA})
    rows["anonymous"] = 302
    rows.update(allowed)
    return rows


PARTIES = {"head": 200, "leader": 200, "lead": 200}  # host, provider, broker

MATRIX_ROWS = {
    "support:index": ("get", lambda w: {}, table({}, 200, 200)),
    "support:offer_new": ("get", lambda w: {},
                          table({p: 200 for p in SCHOOL_LEADERS}, 403, 403)),
    "support:offer_withdraw": ("post", lambda w: {"pk": support_world(w).offer.pk},
                               table({"leader": 302}, 403)),
    # Without ?action= the page lists the person's open actions to choose from.
    "support:request_new": ("get", lambda w: {},
                            table({p: 200 for p in SCHOOL_LEADERS}, 403, 403)),
    # The action (sent in the POST data): the plan's rules, then only the host's leaders.
    "support:request_new#action": ("post", lambda w: {}, table({"head": 302}, 403)),
    "support:request_detail": ("get", lambda w: {"pk": support_world(w).request.pk},
                               table(PARTIES)),
    "support:broker": ("get", lambda w: {"pk": support_world(w).request.pk},
                       table({"lead": 200, "head": 403, "leader": 403})),
    "support:match_detail": ("get", lambda w: {"pk": support_world(w).match.pk},
                             table(PARTIES)),
}

# Writes: closing a request is for the school that asked; confirming as the provider is
# for the helping school's leaders only.
MATRIX_ROWS.update({
    "support:offer_new#post": ("post", lambda w: {},
                               table({p: 200 for p in SCHOOL_LEADERS}, 403, 403)),
    "support:request_detail#post": ("post", lambda w: {"pk": support_world(w).request.pk},
                                    table({"head": 200, "leader": 403, "lead": 403})),
    "support:broker#post": ("post", lambda w: {"pk": support_world(w).request.pk},
                            table({"lead": 200, "head": 403, "leader": 403})),
    "support:match_detail#post": ("post", lambda w: {"pk": support_world(w).match.pk},
                                  table({"leader": 302, "head": 403, "lead": 403})),
})

POST_DATA_ROWS = {
    "support:match_detail#post": lambda w: {"do": "confirm_provider"},
    "support:request_new#action": lambda w: {"action": support_world(w).spare_action.pk,
                                             "need": "Help with reasoning lessons."},
}
