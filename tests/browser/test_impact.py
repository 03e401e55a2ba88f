"""Impact journeys in the browser, with axe-core on every page: the core team imports real
KS2 files and builds a survey, people answer it without signing in, an evaluator defines an
analysis and reads the result, a partnership lead reads their fidelity."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.journey import Journey, path_of

pytestmark = pytest.mark.browser
DATA = Path(__file__).resolve().parents[2] / "apps" / "impact" / "data"


def _make_members(world, count=16):
    """Real URNs from the imported files as members of Alpha and Beta (the membership is
    fictional; the results are the schools' own)."""
    from apps.impact.models import Outcome
    from apps.impact.services import resolve_schools
    from tests.factories import MembershipFactory, SchoolFactory

    urns = sorted(Outcome.objects.filter(measure="MAT_AVERAGE", year=2019, value__isnull=False)
                  .values_list("urn", flat=True).distinct())[: count * 3: 3]
    from datetime import date

    for i, urn in enumerate(urns):
        MembershipFactory(partnership=world.alpha if i % 2 else world.beta,
                          school=SchoolFactory(urn=urn, phase="Primary"),
                          joined_on=date(2018, 9, 1))
    for urn, pk in resolve_schools(urns).items():
        Outcome.objects.filter(urn=urn).update(school_id=pk)


def test_impact_journey(page_as, live_server, browser_world):
    j = Journey(page_as, "impact", base_url=live_server.url)
    core = j.page("core")

    core.goto(reverse("impact:outcomes_import"))
    j.look(core, "outcomes-import")
    core.get_by_label("Performance tables files (CSV)").set_input_files(
        sorted(str(p) for p in DATA.glob("*_ks2final_subset.csv")))
    core.get_by_role("button", name="Upload and import").click()
    expect(core.get_by_text("Import finished")).to_be_visible()
    j.look(core, "outcomes-import-status")
    _make_members(browser_world)

    evaluator = j.page("evaluator")
    evaluator.goto(reverse("impact:analysis_new"))
    j.look(evaluator, "analysis-new")
    evaluator.get_by_label("Name of the analysis").fill("Maths 2018 to 2019")
    evaluator.get_by_label("Alpha Partnership").check()
    evaluator.get_by_label("Beta Partnership").check()
    evaluator.get_by_label("First school year in the programme").fill("2018")
    evaluator.get_by_label("Outcome", exact=True).select_option("MAT_AVERAGE")
    evaluator.get_by_label("Pre year", exact=True).fill("2018")
    evaluator.get_by_label("Post year", exact=True).fill("2019")
    evaluator.get_by_role("button", name="Run the analysis").click()
    expect(evaluator.locator("#headline")).to_contain_text("similar comparison schools")
    expect(evaluator.get_by_role("img", name="Balance: standardised mean differences "
                                              "before and after matching")).to_be_visible()
    expect(evaluator.get_by_role("table", name="Standardised mean differences")).to_be_visible()
    expect(evaluator.get_by_text("wild cluster bootstrap-t").first).to_be_visible()
    j.look(evaluator, "analysis")
    evaluator.goto(reverse("impact:analyses"))
    j.look(evaluator, "analyses")

    core.goto(reverse("impact:survey_new"))
    core.get_by_label("Title").fill("Theory of change survey")
    core.get_by_label("Items").fill("partnership: Our partnership challenges us\n"
                                    "staff: Reviews changed what I do\n"
                                    "staff: What would you change? [comment]")
    core.get_by_role("button", name="Save the survey").click()
    core.get_by_label("Alpha Partnership").check()
    for role in ("Headteachers", "School leaders", "Staff"):
        core.get_by_label(role, exact=True).check()
    core.get_by_role("button", name="Open the wave").click()
    expect(core.get_by_text("Baseline opened")).to_be_visible()
    j.look(core, "survey")

    from apps.impact.models import WaveInvite

    anonymous = j.page("anonymous")
    for invite in WaveInvite.objects.all()[:4]:
        anonymous.goto(reverse("impact:answer", kwargs={"token": invite.token}))
        j.look(anonymous, "survey-answer")
        anonymous.get_by_label("Agree", exact=True).first.check()
        anonymous.get_by_role("button", name="Send your answers").click()
        expect(anonymous.get_by_text("Your answers have been sent")).to_be_visible()
    wave_url = reverse("impact:wave_results", kwargs={"pk": WaveInvite.objects.first().wave_id})
    associate = j.page("associate")
    associate.goto(wave_url)
    expect(associate.get_by_text("4 of").first).to_be_visible()
    expect(associate.get_by_text("Hidden to protect anonymity").first).to_be_visible()
    j.look(associate, "survey-results")

    lead = j.page("lead")
    lead.goto(reverse("impact:fidelity"))
    expect(lead.get_by_role("heading", name="Alpha Partnership")).to_be_visible()
    expect(lead.get_by_role("heading", name="Beta Partnership")).to_have_count(0)
    j.look(lead, "fidelity")
    lead.get_by_role("link", name="Alpha Partnership").click()
    assert path_of(lead.url) == reverse("impact:fidelity_partnership",
                                        kwargs={"slug": browser_world.alpha.slug})
    j.look(lead, "fidelity-partnership")
    assert not j.problems, "\n".join(j.problems)
