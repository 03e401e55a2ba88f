"""Dates and times are written one way, the GOV.UK way, in the page's language."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from apps.core import dates

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(("value", "text"), [
    (time(9, 0), "9am"), (time(9, 50), "9:50am"), (time(12, 0), "midday"),
    (time(0, 0), "midnight"), (time(14, 5), "2:05pm"), (time(12, 30), "12:30pm"),
    (time(0, 15), "12:15am"), (None, ""),
])
def test_times_read_like_gov_uk(value, text):
    assert dates.time_text(value) == text


def test_dates_have_the_day_month_and_year_in_words():
    d = date(2026, 10, 28)
    assert dates.date_text(d) == "28 October 2026"
    assert dates.date_text(d, "weekday") == "Wednesday 28 October 2026"
    assert dates.date_text(d, "short") == "28 Oct 2026"
    assert dates.date_text(d, "noyear") == "28 October"
    assert dates.date_text(d, "weekday,noyear") == "Wednesday 28 October"


def test_a_moment_is_in_local_time():
    # 09:00 UTC in summer is 10am in London.
    moment = datetime(2026, 6, 3, 9, 0, tzinfo=ZoneInfo("UTC"))
    assert dates.datetime_text(moment) == "3 June 2026 at 10am"
    assert dates.time_text(moment) == "10am"
    winter = datetime(2026, 12, 3, 14, 30, tzinfo=LONDON)
    assert dates.datetime_text(winter, "weekday") == "Thursday 3 December 2026 at 2:30pm"


def test_a_range_of_times():
    assert dates.time_range_text(time(9), time(9, 50)) == "9am to 9:50am"
    assert dates.time_range_text(time(9), None) == "9am"
    assert dates.time_range_text(None, time(9)) == ""


def test_welsh_dates_and_times():
    with translation.override("cy"):
        assert dates.date_text(date(2026, 10, 28)) == "28 Hydref 2026"
        assert dates.time_text(time(9, 0)) == "9yb"
        assert dates.time_text(time(14, 5)) == "2:05yh"
        assert dates.time_text(time(12, 0)) == "canol dydd"
        assert dates.time_range_text(time(9), time(9, 50)) == "9yb i 9:50yb"
        noon = datetime(2026, 12, 3, 12, 0, tzinfo=LONDON)
        assert dates.datetime_text(noon) == "3 Rhagfyr 2026 am ganol dydd"
    assert dates.datetime_text(datetime(2026, 12, 3, 12, 0, tzinfo=LONDON)) == \
        "3 December 2026 at midday"
    assert dates.datetime_text(datetime(2026, 12, 3, 0, 0, tzinfo=LONDON)) == \
        "3 December 2026 at midnight"


def test_template_filters():
    out = Template('{{ d|govuk_date:"weekday" }}|{{ t|govuk_time }}|{{ m|govuk_datetime:"short" }}|'
                   '{% govuk_time_range t e %}').render(Context({
                       "d": date(2026, 10, 28), "t": time(9), "e": time(9, 50),
                       "m": datetime(2026, 12, 3, 14, 30, tzinfo=LONDON)}))
    assert out == "Wednesday 28 October 2026|9am|3 Dec 2026 at 2:30pm|9am to 9:50am"
