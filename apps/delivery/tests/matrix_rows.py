"""Permission-matrix rows for delivery partners. A nomination (reviewer2's, made by the
associate) is seen by the core team, the associate who made it and the person nominated; an
approved delivery partner (leader) also by every associate; an attachment (leader to Alpha
for its review cycle) by the core team, Alpha's associate and lead, and the delivery partner.
Everyone else gets 404; those who may see but not act, 403."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from conftest import PERSONAS

MARKER = "DELIVERY-REASON-5K9W"  # planted in each nomination's reason


def _dp(w, person: str, **fields):
    from apps.partnerships.models import DeliveryPartner

    fields.setdefault("nominated_by", w.people["associate"])
    dp, _ = DeliveryPartner.objects.get_or_create(
        person=w.people[person], reason=f"{MARKER} {fields.get('status', 'nominated')}",
        defaults=fields)
    return dp


def approved(w):
    today = timezone.localdate()
    return _dp(w, "leader", status="approved", starts_on=today - timedelta(days=30),
               ends_on=today + timedelta(days=300))


def attachment(w):
    from apps.partnerships.models import DeliveryAttachment

    today = timezone.localdate()
    att, _ = DeliveryAttachment.objects.get_or_create(
        delivery_partner=approved(w), partnership=w.alpha, scope="reviews",
        defaults={"starts_on": today - timedelta(days=10), "ends_on": today + timedelta(days=90),
                  "attached_by": w.people["associate"]})
    return att


def _nominated(w):
    return {"pk": _dp(w, "reviewer2").pk}


def _approved(w):
    return {"pk": approved(w).pk}


def _declined(w):
    return {"pk": _dp(w, "champion", status="declined", decision_note="Not this year").pk}


def _attachment(w):
    return {"pk": attachment(w).pk}


def _activity(w):
    from apps.partnerships.models import DeliveryActivity

    att = attachment(w)
    activity = DeliveryActivity.objects.create(
        attachment=att, on=timezone.localdate(), summary="Coached the review team",
        recorded_by=w.people["leader"])
    return {"pk": activity.pk}


def table(allowed: dict, others: int = 404) -> dict:
    t = {p: others for p in PERSONAS}
    t["anonymous"] = 302
    t.update(allowed)
    return t


NOMINATORS = table({"core": 200, "associate": 200}, 403)
NOMINATION_SEEN = table({"core": 200, "associate": 200, "reviewer2": 200})
APPROVED_SEEN = table({"core": 200, "associate": 200, "leader": 200})
CORE_ACT = table({"core": 200, "associate": 403, "leader": 403})
ATTACH = table({"core": 200, "associate": 200, "leader": 403})
ATTACHMENT_SEEN = table({"core": 200, "associate": 200, "lead": 200, "leader": 200})
CHANGE = table({"core": 200, "associate": 200, "lead": 403, "leader": 403})
RECORD = table({"core": 200, "associate": 200, "lead": 403, "leader": 200})

MATRIX_ROWS: dict[str, tuple[Any, ...]] = {
    "delivery:index": ("get", lambda w: {}, NOMINATORS),
    "delivery:index#filtered": ("get", lambda w: {}, NOMINATORS, {"show": "waiting"}),
    # A delivery partner (and someone nominated) sees the list with their own record.
    "delivery:index#partner": ("get", lambda w: approved(w) and {},
                               table({"core": 200, "associate": 200, "leader": 200}, 403)),
    "delivery:nominate": ("get", lambda w: {}, NOMINATORS),
    "delivery:nominate_person": ("get", lambda w: {"user_id": w.people["reviewer2"].pk},
                                 NOMINATORS),
    # Someone at a school outside the associate's partnerships: not found for them.
    "delivery:nominate_person#outside": (
        "get", lambda w: {"user_id": w.people["outsider"].pk},
        table({"core": 200, "associate": 404}, 403)),
    # An empty form: shown again with its errors.
    "delivery:nominate_person#post": ("post", lambda w: {"user_id": w.people["reviewer2"].pk},
                                      NOMINATORS),
    "delivery:detail": ("get", _nominated, NOMINATION_SEEN),
    "delivery:detail#approved": ("get", _approved, APPROVED_SEEN),
    "delivery:withdraw": ("post", _nominated, table({"core": 302, "associate": 302,
                                                     "reviewer2": 403})),
    "delivery:decide": ("get", _nominated, table({"core": 200, "associate": 403,
                                                  "reviewer2": 403})),
    "delivery:decide#post": ("post", _nominated, table({"core": 200, "associate": 403,
                                                        "reviewer2": 403})),
    "delivery:reopen": ("post", _declined, table({"core": 302, "associate": 403,
                                                  "champion": 403})),
    "delivery:change_dates": ("get", _approved, CORE_ACT),
    "delivery:change_dates#post": ("post", _approved, CORE_ACT),
    "delivery:end": ("get", _approved, CORE_ACT),
    "delivery:end#post": ("post", _approved, CORE_ACT),
    "delivery:attach": ("get", _approved, ATTACH),
    "delivery:attach#post": ("post", _approved, ATTACH),
    "delivery:attachment": ("get", _attachment, ATTACHMENT_SEEN),
    "delivery:change_attachment": ("get", _attachment, CHANGE),
    "delivery:change_attachment#post": ("post", _attachment, CHANGE),
    "delivery:record_activity": ("get", _attachment, RECORD),
    "delivery:record_activity#post": ("post", _attachment, RECORD),
    "delivery:remove_activity": ("post", _activity, table({
        "core": 302, "associate": 403, "lead": 403, "leader": 302})),
}
