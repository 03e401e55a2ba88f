import pytest
from django.urls import reverse

from apps.accounts.models import Role
from apps.impact import surveys
from apps.impact.models import Answer, Response, Survey, Wave, WaveInvite
from tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db
ITEMS = ("partnership: Our partnership challenges us to improve\n"
         "leadership: I am more confident leading improvement\n"
         "staff: Reviews changed what I do in class\n"
         "pupil: Pupils talk more about their learning\n"
         "staff: What would you change? [comment]\n")


def _build(client):
    return client.post(reverse("impact:survey_new"), {"title": "Theory of change survey",
                                                      "items": ITEMS})


def _open(client, world, survey, min_group="5"):
    return client.post(reverse("impact:survey", kwargs={"pk": survey.pk}), {
        "kind": "baseline", "partnerships": [world.alpha.pk, world.beta.pk],
        "roles": ["headteacher", "school_leader", "staff"], "min_group": min_group})


def _answer_all(client, wave, score=5, comment="More time to visit"):
    items = list(wave.survey.items.all())
    for invite in wave.invites.all():
        data = {f"item_{i.pk}": (score if i.kind == "likert" else comment) for i in items}
        client.post(reverse("impact:answer", kwargs={"token": invite.token}), data)


def test_items_must_name_their_level(client_for):
    page = client_for("core").post(reverse("impact:survey_new"), {
        "title": "x", "items": "staff: fine\nteachers: not a level"}).content.decode()
    assert "Line 2 must start with a level" in page
    assert not Survey.objects.exists()


def test_a_wave_is_answered_anonymously_and_small_groups_are_hidden(world, client_for,
                                                                    client):
    for i in range(5):  # five more staff at A1, so Alpha has 11 people asked
        RoleFactory(user=UserFactory(email=f"teacher{i}@test.example"), role=Role.STAFF,
                    school=world.schools["A1"])
    core = client_for("core")
    _build(core)
    survey = Survey.objects.get()
    assert [i.level for i in survey.items.all()] == ["partnership", "leadership", "staff",
                                                     "pupil", "staff"]
    _open(core, world, survey)
    wave = Wave.objects.get()
    assert wave.invites.filter(partnership=world.alpha).count() == 11
    assert wave.invites.filter(partnership=world.beta).count() == 1  # exec_head asked once
    client.logout()  # answering needs only the link
    _answer_all(client, wave)
    assert Response.objects.count() == 12
    # Nothing links an answer to a person or an invitation.
    for model in (Response, Answer):
        fields = {f.name for f in model._meta.get_fields()}
        assert not fields & {"user", "invite", "token", "created_at", "submitted_at"}
    again = client.post(reverse("impact:answer", kwargs={"token": wave.invites.first().token}),
                        {})
    assert "You have already answered" in again.content.decode()
    assert Response.objects.count() == 12

    page = client_for("evaluator").get(reverse("impact:wave_results",
                                               kwargs={"pk": wave.pk})).content.decode()
    # By partnership: Alpha 11, Beta 1 -> Beta hidden, and Alpha with it (else 12 - 11 = 1).
    by_partnership = page.split("By partnership</caption>")[1].split("</table>")[0]
    assert by_partnership.count("Hidden to protect anonymity") == 2
    assert ">12<" in by_partnership  # the total can stay: it reveals neither group
    # Comments: Alpha has 11 respondents (shown), Beta 1 (not).
    assert "More time to visit" in page
    assert page.count("Comments are shown only for groups of 10 or more") == 1
    export = client_for("evaluator").get(reverse("impact:wave_export", kwargs={
        "pk": wave.pk, "fmt": "csv"})).content.decode()
    assert "Alpha Partnership,hidden" in export and "All respondents,12" in export
    assert "More time to visit" not in export
    result = surveys.results(wave, "role_group")
    assert {r["group"]: r["n"] for r in result["rows"]} == {"Leaders": 6, "Staff": 6}
    assert result["rows"][0]["levels"] == [100, 100, 100, 100]


def test_the_threshold_locks_once_answers_arrive_and_never_goes_below_three(world,
                                                                            client_for):
    core = client_for("core")
    _build(core)
    survey = Survey.objects.get()
    refused = _open(core, world, survey, min_group="2").content.decode()
    assert "The smallest group shown must be 3 or more" in refused
    _open(core, world, survey, min_group="6")
    wave = Wave.objects.get()
    url = reverse("impact:wave_results", kwargs={"pk": wave.pk})
    core.post(url, {"min_group": "8"})
    wave.refresh_from_db()
    assert wave.min_group == 8
    invite = wave.invites.first()
    surveys.submit(invite, {})
    page = core.post(url, {"min_group": "10"}).content.decode()
    assert "cannot change once the wave has answers" in page
    wave.refresh_from_db()
    assert wave.min_group == 8


def test_my_surveys_lists_only_my_open_links(world, client_for):
    from apps.notifications.models import Notification

    core = client_for("core")
    _build(core)
    _open(core, world, Survey.objects.get())
    note = Notification.objects.get(user=world.people["staff"], kind="impact.survey")
    assert note.url == reverse("impact:my_surveys")
    mine = WaveInvite.objects.get(user=world.people["staff"])
    page = client_for("staff").get(reverse("impact:my_surveys")).content.decode()
    assert mine.token in page
    assert WaveInvite.objects.get(user=world.people["head"]).token not in page


def test_a_closed_wave_takes_no_more_answers(world, client_for, client):
    core = client_for("core")
    _build(core)
    _open(core, world, Survey.objects.get())
    wave = Wave.objects.get()
    core.post(reverse("impact:wave_close", kwargs={"pk": wave.pk}))
    wave.refresh_from_db()
    assert not wave.is_open
    client.logout()
    page = client.get(reverse("impact:answer", kwargs={"token": wave.invites.first().token}))
    assert "This survey has closed" in page.content.decode()
    assert not Response.objects.exists()


def test_a_person_asked_by_two_waves_has_one_unread_notice(world):
    """A second wave while the first notice is unread brings that notice up to date instead
    of adding another (the walkthrough found the same survey notice twice)."""
    from apps.notifications.models import Notification

    core = world.people["core"]
    survey = surveys.create_survey(by=core, title="Two waves", items=[
        ("staff", "likert", "Reviews changed what I do in class")])
    for kind in ("baseline", "year1"):
        surveys.open_wave(survey, by=core, kind=kind, partnerships=[world.alpha],
                          roles=["headteacher", "staff"], min_group=5)
    notes = Notification.objects.filter(user=world.people["head"], kind="impact.survey")
    assert notes.count() == 1 and notes.get().read_at is None
