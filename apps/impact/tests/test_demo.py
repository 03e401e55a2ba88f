from io import StringIO

import pytest
from django.core.management import call_command

from apps.impact import surveys
from apps.impact.models import Analysis, Wave


@pytest.mark.django_db
def test_the_demo_has_waves_with_shown_and_hidden_groups_and_a_real_data_analysis():
    call_command("load_demo", stdout=StringIO())
    year1 = Wave.objects.get(kind="year1")
    by_role = surveys.results(year1, "role_group")
    by_phase = surveys.results(year1, "phase")
    shown = [r for t in (by_role, by_phase) for r in t["rows"] if r["shown"]]
    hidden = [r for t in (by_role, by_phase) for r in t["rows"] if not r["shown"]]
    assert shown and hidden
    assert year1.invites.filter(answered=False).exists()  # demo people can still answer
    analysis = Analysis.objects.get()
    assert analysis.result["n_treated"] > 30 and "picked at random" in analysis.spec["note"]
    assert analysis.result["balance"]
