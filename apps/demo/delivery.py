"""The demo's delivery partners: Elowen Marchbank (`reviewer.larkspur`), who has reviewed
and been an Improvement Champion in the Brambleford cluster, was nominated by the associate
last spring, approved by the core team and attached to the Northvale partnership to train its
reviewers this year, with two sessions recorded; and Marguerite Eversley (`lead.estuary`)
was nominated by the associate a few days ago and waits for the core team. Built through the
delivery services on the days they would have happened; the words are invented."""

from __future__ import annotations

from datetime import date, timedelta

from apps.delivery import services as delivery
from apps.partnerships.models import Partnership

from .clock import at
from .programme import academic_year, person


def load_delivery_demo(keys: dict[str, Partnership], today: date) -> None:
    core, associate = person("core"), person("associate")
    year = academic_year(today)
    starts = date(year, 9, 1)
    with at(starts - timedelta(days=120)):
        dp = delivery.nominate(
            person("reviewer.larkspur"), by=associate,
            reason="Elowen has led reviews in three schools with a calm, careful team and "
                   "coaches new reviewers on writing low-inference evidence. She would train "
                   "Northvale's first reviewers well.")
    with at(starts - timedelta(days=100)):
        dp = delivery.decide(dp, by=core, approve=True, starts_on=starts - timedelta(days=90),
                             ends_on=date(year + 2, 8, 31),
                             note="Welcome: please start with Northvale this autumn.")
    northvale = keys["northvale"]
    with at(starts + timedelta(days=3)):
        attachment = delivery.attach(dp, by=associate, partnership=northvale, scope="training",
                                     starts_on=starts, ends_on=date(year + 1, 7, 31))
    for days, summary in ((40, "Reviewer training, day one, for six Northvale leaders"),
                          (54, "Reviewer training, day two: a practice review at Fernbrook")):
        on = starts + timedelta(days=days)
        if on < today:
            with at(on):
                delivery.record_activity(attachment, by=person("reviewer.larkspur"), on=on,
                                         summary=summary)
    with at(today - timedelta(days=3)):
        delivery.nominate(
            person("lead.estuary"), by=associate,
            reason="Marguerite has led the Estuary alliance through Sustain, trains its new "
                   "reviewers herself and has offered to support partnerships along the "
                   "coast.")
