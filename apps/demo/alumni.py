"""The demo's alumni programme: the Ashcombe Schools Network (Alumni phase) joined when it
finished Sustain and renewed for two years, and the Estuary Schools Alliance, finishing
Sustain, has asked to join and waits for the core team. Built through the alumni services on
the days they would have happened; the words are invented."""

from __future__ import annotations

from datetime import date, timedelta

from apps.alumni import services as alumni
from apps.partnerships.models import Partnership

from .clock import at
from .programme import academic_year, person


def load_alumni(keys: dict[str, Partnership], today: date) -> None:
    core, ashcombe_lead = person("core"), person("lead.ashcombe")
    year = academic_year(today)
    joined = date(year - 2, 9, 1)
    with at(joined - timedelta(days=20)):
        first = alumni.request_membership(
            by=ashcombe_lead, partnership=keys["ashcombe"],
            reason="Our four schools finish Sustain this summer and want to keep reviewing "
                   "each other each spring, using the library and the national meetings.")
    with at(joined - timedelta(days=10)):
        first = alumni.decide(first, by=core, approve=True, starts_on=joined,
                              ends_on=date(year - 1, 8, 31),
                              note="Welcome to the alumni community.")
    with at(date(year - 1, 7, 10)):
        renewal = alumni.request_renewal(
            first, by=ashcombe_lead,
            reason="We ran our own cycle this year with three reviews and would like to "
                   "continue; Millcross would host the first review next spring.")
    with at(date(year - 1, 7, 15)):
        alumni.decide(renewal, by=core, approve=True, starts_on=date(year - 1, 9, 1),
                      ends_on=date(year + 1, 8, 31), note="Renewed for two years.")
    with at(today - timedelta(days=6)):
        alumni.request_membership(
            by=person("lead.estuary"), partnership=keys["estuary"],
            reason="The alliance completes Sustain in July. Our heads want to stay part of "
                   "the national community and keep the reviewer training we have built up.")
