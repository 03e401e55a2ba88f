"""Editing together in the workshop and the action plan: the second of two saves from the
same starting point conflicts and both texts are shown; unrelated changes do not block."""

import re

import pytest
from django.urls import reverse

from apps.improvement import services
from apps.improvement.models import Action, Workshop
from apps.reviews.services import EditConflict, text_digest
from conftest import sign_in

FIRST, SECOND = "First person's words.", "Second person's words."


def _stage(world):
    ws = world.workshop
    return (lambda by, text, version, base=None: services.save_stage(
        ws, "causes", by=by, notes=text, expected_version=version, base=base),
        lambda: Workshop.objects.get(pk=ws.pk).causes, ws.lock_version)


def _action(world):
    action = world.action
    return (lambda by, text, version, base=None: services.update_action(
        action, by=by, expected_version=version, base=base, why=text),
        lambda: Action.objects.get(pk=action.pk).why, action.lock_version)


@pytest.mark.parametrize("order", [0, 1])
@pytest.mark.parametrize("make", [_stage, _action], ids=["workshop notes", "action"])
def test_second_save_conflicts_in_either_order(world, make, order):
    save, stored, version = make(world)
    people = [world.people["champion"], world.people["head"]]
    first, second = people[order], people[1 - order]
    save(first, FIRST, version)
    with pytest.raises(EditConflict) as conflict:
        save(second, SECOND, version)
    assert stored() == FIRST
    save(second, FIRST + " " + SECOND, conflict.value.current.lock_version)
    assert stored() == FIRST + " " + SECOND


def test_other_stages_and_progress_updates_do_not_block(world):
    ws, champion = world.workshop, world.people["champion"]
    read = ws.lock_version
    services.save_stage(ws, "focus", by=champion, notes="Reading", expected_version=read)
    services.save_stage(ws, "causes", by=world.people["head"], notes="Timetable",
                        expected_version=read, base=text_digest(""))
    assert Workshop.objects.get(pk=ws.pk).causes == "Timetable"
    action = world.action
    read, base = action.lock_version, text_digest(*services.action_texts(action))
    services.add_progress(action, by=world.people["staff"], text="Going well",
                          status="in_progress")
    services.update_action(action, by=champion, expected_version=read, base=base,
                           title="Reading buddies")
    assert Action.objects.get(pk=action.pk).title == "Reading buddies"


def test_workshop_conflict_shows_both_texts_on_the_page_and_to_autosave(world, client):
    ws = world.workshop
    sign_in(client, world.people["champion"])
    url = reverse("improvement:workshop", args=[world.review.pk])
    form = client.get(url + "?stage=causes").content.decode()
    base = re.search(r'name="base" value="(\w+)"', form).group(1)
    read = ws.lock_version
    services.save_stage(ws, "causes", by=world.people["head"], notes=FIRST,
                        expected_version=read)
    page = client.post(url, {"do": "notes", "stage": "causes", "notes": SECOND,
                             "lock_version": read, "base": base}).content.decode()
    assert "saved these notes while you were typing" in page
    assert "First person&#x27;s words." in page and "Second person&#x27;s words." in page
    answer = client.post(reverse("improvement:workshop_autosave", args=[world.review.pk]),
                         {"stage": "causes", "notes": SECOND, "lock_version": read,
                          "base": base})
    assert answer.status_code == 409 and answer.json()["current"] == FIRST
    assert Workshop.objects.get(pk=ws.pk).causes == FIRST


def test_action_edit_conflict_shows_both_texts(world, client):
    action = world.action
    sign_in(client, world.people["head"])
    url = reverse("improvement:action_edit", args=[action.pk])
    form = client.get(url).content.decode()
    posted = dict(re.findall(r'name="(lock_version|base)" value="(\w+)"', form))
    services.update_action(action, by=world.people["champion"], why=FIRST,
                           expected_version=action.lock_version)
    page = client.post(url, {**posted, "title": action.title, "why": SECOND,
                             "area": action.area, "owner": action.owner_id,
                             "starts_on": action.starts_on, "due_on": action.due_on,
                             "success_criteria": action.success_criteria,
                             "findings": [f.pk for f in action.findings.all()]}
                       ).content.decode()
    assert "changed this action while you were editing" in page
    assert "First person&#x27;s words." in page and "Second person&#x27;s words." in page
    assert Action.objects.get(pk=action.pk).why == FIRST


def test_check_back_page_saves_every_typed_impact_and_shows_a_conflict(world, client):
    from apps.improvement.models import ActionImpact
    from apps.reviews.models import Review, Status

    Review.objects.filter(pk=world.review.pk).update(status=Status.ACTING)
    world.review.refresh_from_db()
    first = world.action
    second = services.add_action(world.review, by=world.people["champion"],
                                 findings=world.review.findings.all(), title="Book bands",
                                 owner=world.people["staff"], starts_on=first.starts_on,
                                 due_on=first.due_on, success_criteria="Bands match")
    sign_in(client, world.people["head"])
    url = reverse("improvement:checkback", args=[world.review.pk])
    page = client.get(url).content.decode()
    posted = dict(re.findall(r'name="(a\d+-(?:lock_version|base))" value="(\w+)"', page))
    services.record_impact(second, by=world.people["champion"], impact_seen=FIRST,
                           expected_version=0)
    page = client.post(url, {**posted, "action": first.pk,
                             f"a{first.pk}-impact_seen": "Daily reading happens",
                             f"a{second.pk}-impact_seen": SECOND,
                             "summary": "A year of reading"}).content.decode()
    assert ActionImpact.objects.get(action=first).impact_seen == "Daily reading happens"
    assert ActionImpact.objects.get(action=second).impact_seen == FIRST
    assert "recorded this impact while you were editing" in page
    assert "First person&#x27;s words." in page and "Second person&#x27;s words." in page
    assert "A year of reading" in page  # the summary typed is kept too
