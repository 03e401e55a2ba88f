"""The optimiser against the format: the worked example, brute force on small random
instances, infeasibility reasons and malformed input."""

import copy
import itertools
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.allocation.scorer import score
from apps.allocation.solver import candidate_roles, solve
from apps.allocation.spec import InstanceError, load_instance

DATA = Path(__file__).parent / "data"


def example():
    return json.loads((DATA / "example-instance.json").read_text())


def test_the_worked_example_is_solved_to_its_proved_optimum():
    inst = load_instance(example())
    given_solution = json.loads((DATA / "example-solution.json").read_text())
    checked = score(inst, [(a["review"], a["person"], a["role"])
                           for a in given_solution["assignments"]])
    assert checked.valid and checked.total == pytest.approx(11.5)
    result = solve(inst, time_limit=20)
    assert result.status == "optimal"
    assert result.objective == pytest.approx(11.5) and result.bound == pytest.approx(11.5)
    assert score(inst, result.assignments).valid


def test_the_command_needs_no_database(tmp_path):
    out = tmp_path / "solution.json"
    call_command("allocate", str(DATA / "example-instance.json"), "--out", str(out),
                 "--time-limit", "10")
    solution = json.loads(out.read_text())
    assert solution["format"] == "spp-allocation-solution/1"
    assert solution["status"] == "optimal" and solution["objective"] == pytest.approx(11.5)


# Small random instances, checked against brute force -----------------------------------------

@st.composite
def small_instances(draw):
    n_schools = draw(st.integers(4, 6))
    schools = [{"urn": 100 + i, "partnership": "P1", "easting": draw(st.integers(0, 30000)),
                "northing": draw(st.integers(0, 30000)),
                "trust": draw(st.sampled_from([None, None, "T1"])), "federation": None}
               for i in range(n_schools)]
    people = []
    for s in schools:
        for j in range(draw(st.integers(0, 2))):
            people.append({
                "id": f"p{s['urn']}-{j}", "school": s["urn"],
                "can_review": draw(st.booleans()) or True, "can_lead": draw(st.booleans()),
                "can_champion": draw(st.booleans()),
                "trained_until": draw(st.sampled_from(["2027-08-31", "2027-08-31", None])),
                "unavailable": draw(st.sampled_from([[], [], ["2026-11-03"]])),
                "strengths": draw(st.lists(st.sampled_from(["reading", "maths", "send"]),
                                           max_size=2, unique=True)),
                "reviews_done": draw(st.integers(0, 4)),
                "reviewed_before": draw(st.sampled_from([[], [schools[0]["urn"]]]))})
    hosts = draw(st.lists(st.sampled_from([s["urn"] for s in schools]), min_size=1,
                          max_size=2, unique=True))
    reviews = [{"id": f"R{h}", "host": h,
                "dates": [draw(st.sampled_from(["2026-11-03", "2026-11-10"]))],
                "mode": draw(st.sampled_from(["in_person", "virtual"])), "team_size": 2,
                "themes": ["reading", "send"]} for h in hosts]
    return {"format": "spp-allocation/1", "name": "random",
            "settings": {"max_reviews_per_person": draw(st.integers(1, 2)),
                         "max_champion_per_person": 1, "max_from_one_school_per_team": 1,
                         "forbid_same_trust": draw(st.booleans()),
                         "forbid_same_federation": True,
                         "max_travel_km": draw(st.sampled_from([None, 25])),
                         "balance_tolerance": draw(st.sampled_from([None, None, 2])),
                         "assign_champion": draw(st.booleans()),
                         "weights": {"expertise": 3, "repeat": 5, "travel_per_10km": 1,
                                     "reciprocal": 2, "mentoring": 2, "extra_load": 1}},
            "schools": schools, "people": people, "reviews": reviews}


def brute_force(inst):
    """The best valid allocation by enumeration (None if there is none)."""
    options = []
    for rid, review in inst.reviews.items():
        leads = [p for p in inst.people if "lead" in candidate_roles(inst, rid, p)]
        members = [p for p in inst.people if "member" in candidate_roles(inst, rid, p)]
        champs = [p for p in inst.people if "champion" in candidate_roles(inst, rid, p)] \
            if inst.settings.assign_champion else [None]
        per_review = []
        for lead in leads:
            for team in itertools.combinations([m for m in members if m != lead],
                                               review.team_size - 1):
                for champ in champs:
                    rows = [(rid, lead, "lead")] + [(rid, m, "member") for m in team]
                    if champ is not None:
                        rows.append((rid, champ, "champion"))
                    per_review.append(rows)
        options.append(per_review)
    best = None
    for combo in itertools.product(*options):
        rows = [row for part in combo for row in part]
        checked = score(inst, rows)
        if checked.valid and (best is None or checked.total > best + 1e-6):
            best = checked.total
    return best


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances())
def test_random_instances_match_brute_force(data):
    inst = load_instance(data)
    result = solve(inst, time_limit=10, workers=2, explain=False)
    assert result.status in ("optimal", "infeasible")
    best = brute_force(inst)
    if result.status == "optimal":
        checked = score(inst, result.assignments)
        assert checked.valid, checked.violations
        assert result.objective == pytest.approx(checked.total, abs=1e-6)
        assert best is not None and result.objective == pytest.approx(best, abs=1e-6)
    else:
        assert best is None and result.assignments == [] and result.reasons


# Infeasible instances name the reason ---------------------------------------------------------

def test_too_few_schools_in_a_partnership():
    data = example()
    keep = [s["urn"] for s in data["schools"]][:2]
    data["schools"] = [dict(s, partnership="P07") for s in data["schools"] if s["urn"] in keep]
    data["people"] = [p for p in data["people"] if p["school"] in keep]
    data["reviews"] = [dict(r, pool=["P07"]) for r in data["reviews"] if r["host"] in keep]
    data["fixed"], data["forbidden"] = [], []
    result = solve(load_instance(data))
    assert result.status == "infeasible" and result.assignments == []
    assert any(r.startswith("Partnership P07 has 2 schools: a team of 3 with at most 1 person "
                            "per school, plus an Improvement Champion from a school not on "
                            "the team, needs at least 5 schools") for r in result.reasons), \
        result.reasons


def test_everyone_unavailable_on_the_day():
    data = example()
    day = data["reviews"][0]["dates"][0]
    for p in data["people"]:
        p["unavailable"] = [day]
    data["fixed"] = []
    result = solve(load_instance(data))
    assert result.status == "infeasible"
    assert any("unavailable on the day" in r for r in result.reasons), result.reasons


def test_a_school_that_cannot_meet_the_balance_rule():
    data = example()
    host = data["reviews"][0]["host"]
    data["people"] = [p for p in data["people"] if p["school"] != host]
    data["fixed"] = [f for f in data["fixed"]
                     if any(p["id"] == f["person"] for p in data["people"])]
    result = solve(load_instance(data))
    assert result.status == "infeasible"
    assert any(f"School {host}" in r and "balance rule" in r for r in result.reasons), \
        result.reasons


def test_infeasibility_found_only_by_solving_names_the_rule():
    data = example()
    data["fixed"] = []
    data["settings"]["max_reviews_per_person"] = 1
    for p in data["people"]:
        p["max_reviews"] = 1
    data["settings"]["balance_tolerance"] = 0
    result = solve(load_instance(data), time_limit=20)
    if result.status == "infeasible":
        assert result.reasons and "keeps every rule" in result.reasons[0]
    else:
        assert score(load_instance(data), result.assignments).valid


# Malformed instances ------------------------------------------------------------------------

@pytest.mark.parametrize("change, field", [
    (lambda d: d.pop("schools"), "schools"),
    (lambda d: d["people"][0].pop("school"), "people[0].school"),
    (lambda d: d["people"][0].update(school=1), "people[0].school"),
    (lambda d: d["reviews"][0].update(host="116253"), "reviews[0].host"),
    (lambda d: d["reviews"][0].update(dates=["3 Nov"]), "reviews[0].dates"),
    (lambda d: d["settings"].update(balance_tolerance="one"), "settings.balance_tolerance"),
    (lambda d: d["fixed"].append({"review": "nope", "person": "p", "role": "lead"}),
     "fixed[1].review"),
    (lambda d: d.update(format="other/1"), "format"),
])
def test_malformed_instances_name_the_field(change, field, tmp_path):
    data = copy.deepcopy(example())
    change(data)
    with pytest.raises(InstanceError) as error:
        load_instance(data)
    assert error.value.field == field
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError, match=field.replace("[", r"\[").replace("]", r"\]")):
        call_command("allocate", str(path))


def test_not_json_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json")
    with pytest.raises(CommandError, match="is not valid JSON"):
        call_command("allocate", str(path))
