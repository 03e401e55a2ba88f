"""Every CSV or XLSX export neutralises cells that a spreadsheet would run as a formula
(``apps.core.spreadsheets.safe_cell``). The impact exports are checked in
apps/impact/tests/test_exports.py and the training bookings report in
apps/training/tests/test_reports.py; this plants every formula start in the action plan."""

import csv
import io

import pytest
from django.urls import reverse

from apps.improvement.models import Action
from conftest import sign_in

PLANTED = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


@pytest.mark.django_db
def test_action_plan_csv(world, client):
    a = world.action
    for cell in PLANTED:
        Action.objects.create(review=world.review, title=cell, why="-why", owner=a.owner,
                              area=a.area, starts_on=a.starts_on, due_on=a.due_on)
    Action.objects.filter(pk=a.pk).update(why="-why")
    sign_in(client, world.people["head"])
    body = client.get(reverse("improvement:plan_csv", args=[world.review.pk])).content
    rows = list(csv.reader(io.StringIO(body.decode(), newline="")))
    titles = {r[0] for r in rows[1:]}
    assert {"'" + cell for cell in PLANTED} <= titles
    assert {r[1] for r in rows[1:]} == {"'-why"}
