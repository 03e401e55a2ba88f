"""Finding a partner school anywhere (docs/partner-matching.md): what may suggest a school,
the sentence saying why, both rankers, the stored texts kept current, and a marker planted in
everything unpublished that no persona ever reads in the suggestions."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.community import services as community
from apps.community.models import Profile
from apps.improvement.models import Action, ActionImpact, CheckBack
from apps.reviews import models as r
from apps.support import matching, services
from apps.support.models import MatchText, SupportOffer
from conftest import PERSONAS

from .matrix_rows import _action

MARKER = "UNPUBLISHED-7Q2Z"
NEED = ("Year 1 children are not keeping up with daily phonics; we would like coaching for "
        "keep-up sessions (unpublished 7q2z).")
TODAY = timezone.localdate()
RANKERS = [matching.KEYWORD, matching.EMBEDDING]


def _profile(school, **values):
    Profile.objects.filter(school=school).delete()
    return Profile.objects.create(school=school, **values)


def _review(w, school, partnership):
    cycle = r.Cycle.objects.filter(partnership=partnership).first() or r.Cycle.objects.create(
        partnership=partnership, start_year=r.Cycle.year_of(TODAY))
    return r.Review.objects.create(cycle=cycle, host=school, framework_version=w.published,
                                   status=r.Status.ACTING, key_question="How well?",
                                   review_starts_on=TODAY - timedelta(days=200))


def _agreed_report(review, working_well):
    return r.Report.objects.create(review=review, number=1, status=r.Report.State.AGREED,
                                   sections=[{"heading": "Key question", "question": "",
                                              "working_well": working_well,
                                              "explore_further": "", "workshop_questions": ""}])


def _done_with_impact(review, owner, titles):
    checkback = CheckBack.objects.create(review=review)
    for title in titles:
        action = Action.objects.create(review=review, title=title, owner=owner, area="reading",
                                       starts_on=TODAY - timedelta(days=150),
                                       due_on=TODAY - timedelta(days=20), status="done",
                                       success_criteria="Every child keeps up.")
        ActionImpact.objects.create(checkback=checkback, action=action,
                                    impact_seen=f"Impact seen: {title.lower()}.")


@pytest.fixture
def embedding_on(settings):
    """The embedding ranker, with the model installed in the project (wordllama)."""
    if not matching.model_available():
        pytest.skip("wordllama is not installed")
    settings.PARTNER_MATCHING_RANKER = matching.EMBEDDING
    settings.PARTNER_MATCHING_MODEL = matching.WORDLLAMA


@pytest.fixture
def matches(world):
    """A1 (``head``) asks for help with phonics. Around the programme:

    * B2 (Beta, ``outsider``): listed, shows its phonics strengths and its results; three
      phonics actions done with impact; its agreed report's "working well" is not published
      (holds the marker);
    * G1 (alumni Gamma): listed, publishes "working well" from its agreed report; its
      strengths are not shown (hold the marker);
    * A2 (Alpha): listed; its offer of phonics coaching in Alpha;
    * B1 (Beta): listed; a phonics offer in Beta not shared across the programme (marker);
    * B3 (Beta): not listed, strengths ticked to show (marker); a shared offer (marker).
    """
    s, p = world.schools, world.people
    _profile(s["B2"], listed=True, strengths="Phonics coaching for Key Stage 1 teachers.",
             share_strengths=True, share_results=True)
    b2_review = _review(world, s["B2"], world.beta)
    _agreed_report(b2_review, f"Phonics keep-up sessions are strong {MARKER}-WORKING-WELL")
    _done_with_impact(b2_review, p["outsider"], [
        "Daily phonics keep-up groups in Year 1", "Phonics training for teaching assistants",
        "Phonics books matched to the sounds children know"])
    _profile(s["G1"], listed=True, share_working_well=True,
             strengths=f"Phonics {MARKER}-HIDDEN-STRENGTHS", share_strengths=False)
    _agreed_report(_review(world, s["G1"], world.gamma),
                   "Daily phonics keep-up sessions mean every child in Year 1 keeps pace.")
    _profile(s["A2"], listed=True)
    SupportOffer.objects.create(school=s["A2"], partnership=world.alpha, area="reading",
                                title="Phonics coaching for Year 1 teachers",
                                people="Our English lead", hours=10)
    _profile(s["B1"], listed=True)
    SupportOffer.objects.create(school=s["B1"], partnership=world.beta, area="reading",
                                title=f"Phonics keep-up coaching {MARKER}-BETA-ONLY-OFFER",
                                people="Our phonics lead", hours=10)
    _profile(s["B3"], listed=False, share_strengths=True,
             strengths=f"Phonics keep-up coaching {MARKER}-NOT-LISTED")
    SupportOffer.objects.create(school=s["B3"], partnership=world.beta, area="reading",
                                title=f"Phonics coaching {MARKER}-UNLISTED-OFFER",
                                people="Our phonics lead", hours=10, share_across=True)
    matching.refresh_all()
    request = services.request_support(_action(world, "Phonics in Year 1"), by=p["head"],
                                       need=NEED)
    return SimpleNamespace(request=request)


# What may suggest a school ------------------------------------------------------------------

def test_only_what_schools_publish_is_stored(world, matches):
    s = world.schools
    keys = {(m.school_id, m.source) for m in MatchText.objects.all()}
    assert (s["B2"].pk, "strengths") in keys and (s["B2"].pk, "result") in keys
    assert (s["B2"].pk, "working_well") not in keys  # B2 did not agree to publish it
    assert (s["G1"].pk, "working_well") in keys and (s["G1"].pk, "strengths") not in keys
    assert not MatchText.objects.filter(school=s["B3"]).exists()  # not listed
    assert not MatchText.objects.filter(text__contains=MARKER).exclude(
        school=s["B1"]).exists()  # B1's offer is stored, checked against the asker when read


def test_suggestions_across_the_programme_say_why(world, matches):
    s = world.schools
    suggestions = matching.suggest(matches.request, using=matching.KEYWORD)
    by_name = {x.school_name: x for x in suggestions}
    assert set(by_name) == {s["B2"].name, s["G1"].name, s["A2"].name}
    assert by_name[s["B2"].name].explanation == (
        "Lists as a strength “Phonics coaching for Key Stage 1 teachers”; completed three "
        "actions with impact that mention phonics and keep-up.")
    assert by_name[s["G1"].name].explanation == (
        "Its review found working well “Daily phonics keep-up sessions mean every child in "
        "Year 1 keeps pace”.")
    assert by_name[s["A2"].name].explanation == "Offers phonics coaching for Year 1 teachers."
    assert by_name[s["A2"].name].in_partnership and not by_name[s["B2"].name].in_partnership


def test_embedding_ranker_suggests_the_same_schools_from_stored_vectors(world, embedding_on,
                                                                        matches):
    rows = MatchText.objects.all()
    assert all(m.model == matching.model_name() and len(bytes(m.vector)) == 256 * 4
               for m in rows)
    names = {x.school_name for x in matching.suggest(matches.request,
                                                     using=matching.EMBEDDING)}
    assert world.schools["G1"].name in names and world.schools["B2"].name in names
    assert world.schools["B3"].name not in names and world.schools["B1"].name not in names


@pytest.mark.parametrize("using", RANKERS)
def test_consent_withdrawn_is_checked_when_read(world, embedding_on, matches, using):
    """Rows left behind by a refresh that has not run yet are not used."""
    s = world.schools
    Profile.objects.filter(school=s["G1"]).update(share_working_well=False)
    Profile.objects.filter(school=s["B2"]).update(listed=False)
    SupportOffer.objects.filter(school=s["A2"]).update(withdrawn_at=timezone.now())
    assert matching.suggest(matches.request, using=using) == []


def test_the_asking_school_is_never_suggested(world, matches):
    _profile(world.schools["A1"], listed=True, strengths="Phonics keep-up coaching",
             share_strengths=True)
    matching.refresh_school(world.schools["A1"].pk)
    names = {x.school_name for x in matching.suggest(matches.request, using=matching.KEYWORD)}
    assert world.schools["A1"].name not in names


def test_an_offer_shared_across_the_programme_is_suggested_outside_its_partnership(world,
                                                                                   matches):
    SupportOffer.objects.filter(school=world.schools["B1"]).update(share_across=True)
    suggestions = matching.suggest(matches.request, using=matching.KEYWORD)
    b1 = next(x for x in suggestions if x.school_name == world.schools["B1"].name)
    assert b1.explanation.startswith("Offers phonics keep-up coaching")


# The marker: nothing unpublished is ever read ------------------------------------------------

@pytest.mark.parametrize("using", RANKERS)
def test_nothing_unpublished_reaches_any_persona(world, client_for, embedding_on, matches,
                                                 settings, using):
    settings.PARTNER_MATCHING_RANKER = using
    url = reverse("support:request_detail", args=[matches.request.pk])
    seen_by = []
    for persona in PERSONAS:
        response = client_for(persona).get(url)
        page = response.content.decode()
        assert MARKER not in page, persona
        assert world.schools["B3"].name not in page, persona
        if "Schools that could help" in page:
            seen_by.append(persona)
    assert sorted(seen_by) == ["head", "lead"]
    for x in matching.suggest(matches.request, using=using):
        assert MARKER not in x.explanation and x.school_name != world.schools["B3"].name


def test_the_page_lists_schools_that_could_help(world, client_for, matches, settings):
    settings.PARTNER_MATCHING_RANKER = matching.KEYWORD
    url = reverse("support:request_detail", args=[matches.request.pk])
    page = client_for("head").get(url).content.decode()
    assert "Schools that could help" in page
    assert "Its review found working well “Daily phonics keep-up sessions" in page
    g1 = Profile.objects.get(school=world.schools["G1"])
    assert reverse("community:entry", args=[g1.pk]) in page
    assert "In your partnership" in page  # A2
    # Matched, the request no longer shows suggestions.
    services.broker(matches.request, world.schools["A2"], by=world.people["lead"])
    assert "Schools that could help" not in client_for("head").get(url).content.decode()


def test_no_suggestion_reads_as_a_sentence(world, client_for, settings):
    settings.PARTNER_MATCHING_RANKER = matching.KEYWORD
    request = services.request_support(_action(world, "Maths in Year 5"),
                                       by=world.people["head"], need="Times tables recall")
    page = client_for("head").get(reverse("support:request_detail",
                                          args=[request.pk])).content.decode()
    assert "No school in the community directory has published anything that matches" in page


# Keeping the stored texts current -------------------------------------------------------------

def test_saving_an_entry_refreshes_the_texts_in_the_background(
        world, embedding_on, django_capture_on_commit_callbacks):
    school = world.schools["B2"]
    with django_capture_on_commit_callbacks(execute=True):
        community.save_profile(school=school, by=world.people["outsider"], expected_version=0,
                               listed=True, strengths="Maths mastery coaching",
                               share_strengths=True)
    row = MatchText.objects.get(school=school)
    assert (row.source, row.text) == ("strengths", "Maths mastery coaching")
    assert row.model == matching.model_name() and row.vector
    with django_capture_on_commit_callbacks(execute=True):
        community.save_profile(school=school, by=world.people["outsider"], expected_version=1,
                               listed=False, strengths="Maths mastery coaching",
                               share_strengths=True)
    assert not MatchText.objects.filter(school=school).exists()


def test_refresh_embeds_only_what_changed(world, embedding_on, matches):
    b2 = world.schools["B2"]
    assert matching.refresh_school(b2.pk) == 0
    Profile.objects.filter(school=b2).update(strengths="Phonics and early reading coaching.")
    assert matching.refresh_school(b2.pk) == 1


def test_keyword_is_the_default_and_the_fallback(monkeypatch, settings):
    del settings.PARTNER_MATCHING_RANKER
    assert matching.ranker() == matching.KEYWORD
    settings.PARTNER_MATCHING_RANKER = matching.EMBEDDING
    monkeypatch.setattr(matching, "_wordllama", lambda: None)
    assert matching.ranker() == matching.KEYWORD
    settings.PARTNER_MATCHING_MODEL = matching.MINILM
    monkeypatch.setattr(matching, "_minilm", lambda: None)
    assert matching.ranker() == matching.KEYWORD


def test_keyword_ranker_stores_no_vectors(world, matches):
    assert not MatchText.objects.exclude(vector=None).exists()


def test_consent_boxes_are_a_schools_only_and_off_by_default(world, client_for):
    page = client_for("outsider").get(reverse("community:school_profile",
                                              args=[world.schools["B2"].pk])).content.decode()
    assert "from what reviewers found working well" in page
    assert 'name="share_working_well"' in page and 'name="share_working_well" checked' not in page
    page = client_for("lead").get(reverse("community:partnership_profile",
                                          args=[world.alpha.slug])).content.decode()
    assert "share_working_well" not in page and "share_results" not in page
    profile = community.save_profile(partnership=world.alpha, by=world.people["lead"],
                                      expected_version=0, listed=True, share_results=True,
                                      share_working_well=True)
    assert not profile.share_results and not profile.share_working_well


def test_an_offer_can_be_shared_across_the_programme(world, client_for):
    response = client_for("leader").post(reverse("support:offer_new"), {
        "area": "reading", "title": "Phonics coaching", "people": "Our English lead",
        "hours": "12", "share_across": "on"})
    assert response.status_code == 302
    assert SupportOffer.objects.get(school=world.schools["A2"], title="Phonics coaching",
                                    created_by=world.people["leader"]).share_across


# Words and sentences --------------------------------------------------------------------------

def test_bm25_prefers_the_text_sharing_more_and_rarer_words():
    scores = matching.bm25_scores("Reading fluency in Year 4", [
        "Reading fluency interventions", "Reading for pleasure", "Attendance tracking"])
    assert scores[0] > scores[1] > scores[2] == 0


def test_explanation_counts_results_in_words():
    rows = [MatchText(source="result", text=f"Phonics action {i}. Phonics improved.")
            for i in range(3)]
    assert matching.explain("phonics", rows) == (
        "Completed three actions with impact that mention phonics.")
    offer = SupportOffer(title="Phonics coaching")
    assert matching.explain("phonics", [MatchText(source="offer", offer=offer,
                                                  text="Phonics coaching.")] + rows) == (
        "Offers phonics coaching; completed three actions with impact that mention phonics.")
