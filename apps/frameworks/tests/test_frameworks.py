import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from apps.frameworks import services
from apps.frameworks.models import (
    QUESTION_INDEX,
    Framework,
    FrameworkVersion,
    Question,
    ShortlistItem,
    VersionLocked,
)
from apps.frameworks.presenters import usage_by_ref, version_diff
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db
Status = FrameworkVersion.Status


@pytest.fixture
def programme_frameworks(db):
    call_command("load_frameworks", verbosity=0)
    return Framework.objects.all()


def _published_questions():
    return Question.objects.filter(theme__version__status=Status.PUBLISHED)


def test_load_frameworks_is_idempotent(programme_frameworks):
    assert programme_frameworks.count() == 8
    call_command("load_frameworks", verbosity=0)
    assert Framework.objects.count() == 8
    assert all(f.published_version().number == 1 for f in Framework.objects.all())


@pytest.mark.parametrize(("query", "framework", "word"), [
    ("phonics", "core", "read"),
    ("SEND", "inclusion", "SEND"),
    ("attendance", "inclusion", "attend"),
])
def test_search_finds_relevant_questions(programme_frameworks, query, framework, word):
    results = QUESTION_INDEX.search(_published_questions(), query)
    assert results, query
    top = results[:5]
    assert any(q.theme.version.framework.slug == framework for q in top)
    assert all(word.lower() in (q.text + q.prompts_text).lower() for q in top[:3])


def test_search_ranks_question_text_above_prompts(programme_frameworks):
    results = QUESTION_INDEX.search(_published_questions(), "phonics")
    assert "phonics" in results[0].text.lower()


def test_search_page_filters(client_for, world, programme_frameworks):
    client = client_for("head")
    page = client.get(reverse("frameworks:search"), {"q": "SEND", "framework": "inclusion"})
    text = page.content.decode()
    assert "question" in text and "SEND" in text
    secondary = client.get(reverse("frameworks:search"), {"q": "phonics", "phase": "secondary"})
    assert "early reading" not in secondary.content.decode().lower() or \
        "All phases" in secondary.content.decode()
    nothing = client.get(reverse("frameworks:search"), {"q": "zzzzzz"})
    assert "No questions match" in nothing.content.decode()
    odd = client.get(reverse("frameworks:search"), {"q": 'AND OR "( NEAR *'})
    assert odd.status_code == 200


def test_published_versions_are_frozen(world):
    question = Question.objects.filter(theme__version=world.published).first()
    question.text = "Changed?"
    with pytest.raises(VersionLocked):
        question.save()
    with pytest.raises(ValidationError):
        services.save_question(world.published, theme=question.theme, question=question,
                               text="Changed?", phases=[], prompts=[("evidence", "x")])
    question.refresh_from_db()
    assert question.text != "Changed?"


def test_new_version_keeps_old_references(world):
    """A shortlist (as a review will) keeps pointing at the version it used."""
    old_question = world.shortlist_item.question
    draft_question = Question.objects.get(theme__version=world.draft, ref=old_question.ref)
    services.save_question(world.draft, theme=draft_question.theme, question=draft_question,
                           text="To what extent do pupils read fluently by age seven?",
                           phases=["primary"], prompts=[
                               ("evidence", "Reading records"), ("people", "Year 2 pupils"),
                               ("look_for", "Fluent, expressive reading")])
    services.submit_for_review(world.draft)
    services.publish_version(world.draft)
    world.published.refresh_from_db()
    assert world.published.status == Status.RETIRED
    assert world.framework.published_version() == world.draft
    # the retired version stays readable for schools
    assert world.published.status == Status.RETIRED
    from django.test import Client

    from conftest import sign_in

    head = Client()
    sign_in(head, world.people["head"])
    retired_page = head.get(reverse("frameworks:version",
                                    args=[world.framework.slug, world.published.number]))
    assert retired_page.status_code == 200 and b"This version is retired" in \
        retired_page.content
    item = ShortlistItem.objects.get(pk=world.shortlist_item.pk)
    assert item.question.pk == old_question.pk
    assert item.question.text == old_question.text
    assert item.question.theme.version == world.published
    # search now shows only the new version's wording
    found = QUESTION_INDEX.search(_published_questions(), "fluently seven")
    assert [q.pk for q in found] == [draft_question.pk]


def test_one_open_version_at_a_time(world):
    with pytest.raises(ValidationError):
        services.start_new_version(world.framework)


def test_publication_is_refused_with_reasons(world):
    theme = world.draft.themes.first()
    services.save_question(world.draft, theme=theme,
                           text="Is the reading curriculum good?", phases=[],
                           prompts=[("evidence", "Plans")])
    with pytest.raises(ValidationError) as exc:
        services.submit_for_review(world.draft)
    text = " ".join(exc.value.messages)
    assert "at least 3 prompts" in text and "judgement words (good)" in text


def test_diff_shows_added_changed_removed(world):
    theme = world.draft.themes.first()
    first, second = Question.objects.filter(theme__version=world.draft)
    services.save_question(world.draft, theme=theme, question=first,
                           text=first.text.replace("fluent", "confident"), phases=first.phases,
                           prompts=[(p.kind, p.text) for p in first.prompts.all()])
    services.delete_question(second)
    services.save_question(world.draft, theme=theme, text="How do pupils choose books?",
                           phases=[], prompts=[("evidence", "a"), ("people", "b"),
                                               ("look_for", "c")])
    changes = version_diff(world.published, world.draft)
    statuses = sorted(q.status for q in changes[0].questions)
    assert statuses == ["added", "changed", "removed"]
    changed = next(q for q in changes[0].questions if q.status == "changed")
    assert "<del>fluent</del>" in changed.text_html and "<ins>confident</ins>" in changed.text_html


def test_usage_counts_need_five_schools(world):
    question = world.shortlist_item.question
    for _ in range(4):
        item = services.shortlist_question(SchoolFactory(), question, by=world.people["head"])
        services.choose_for_review(item, chosen=True, by=world.people["head"])
    assert usage_by_ref([question.ref]) == {}  # 4 schools: not shown
    item = services.shortlist_question(SchoolFactory(), question, by=world.people["head"])
    services.choose_for_review(item, chosen=True, by=world.people["head"])
    assert usage_by_ref([question.ref]) == {question.ref: 5}


def test_core_team_edits_and_publishes_in_the_ui(client_for, world):
    client = client_for("core")
    base = [world.framework.slug, world.draft.number]
    theme = world.draft.themes.first()
    response = client.post(reverse("frameworks:add_question", args=base), {
        "theme": theme.pk, "text": "How do pupils use the school library?",
        "evidence": "Loans data\nLibrary timetable", "people": "Librarian",
        "look_for": "Pupils choosing books independently"})
    assert response.status_code == 302
    bad = client.post(reverse("frameworks:add_question", args=base), {
        "theme": theme.pk, "text": "Library", "evidence": ""})
    assert "There is a problem" in bad.content.decode()
    for action in ("submit", "publish"):
        client.post(reverse("frameworks:change_status", args=base), {"action": action})
    world.draft.refresh_from_db()
    assert world.draft.status == Status.PUBLISHED
    page = client_for("head").get(reverse("frameworks:detail", args=[world.framework.slug]))
    assert "How do pupils use the school library?" in page.content.decode()
    diff = client.get(reverse("frameworks:diff", args=base), {"against": 1})
    assert "Added" in diff.content.decode()


def test_headteacher_shortlists_and_chooses(client_for, world):
    client = client_for("head")
    question = world.published.themes.first().questions.last()
    response = client.post(reverse("frameworks:shortlist_add"), {
        "question": question.pk, "school": world.schools["A1"].pk})
    assert response.status_code == 302
    item = ShortlistItem.objects.get(school=world.schools["A1"], question=question)
    client.post(reverse("frameworks:shortlist_choose", args=[item.pk]), {"chosen": "1"})
    item.refresh_from_db()
    assert item.chosen_for_review
    page = client.get(reverse("frameworks:shortlist")).content.decode()
    assert "Key enquiry question" in page
    # staff at the same school see it but cannot change it
    staff_page = client_for("staff").get(reverse("frameworks:shortlist")).content.decode()
    assert question.text in staff_page and "Choose as key question" not in staff_page


def test_shortlist_add_with_bad_input_is_404_not_500(client_for, world):
    client = client_for("head")
    for data in ({}, {"question": "x", "school": "y"},
                 {"question": 999999, "school": world.schools["A1"].pk}):
        assert client.post(reverse("frameworks:shortlist_add"), data).status_code == 404


def test_a_published_version_cannot_be_edited_through_the_models(world):
    from apps.frameworks.models import Theme

    theme = world.published.themes.first()
    theme.version = world.draft  # moving a theme out of a published version
    with pytest.raises(VersionLocked):
        theme.save()
    world.published.title = "Renamed"
    with pytest.raises(VersionLocked):
        world.published.save()
    assert Theme.objects.filter(version=world.published).count() == 1


def test_odd_numbers_in_urls_and_forms_are_not_errors(client_for, world):
    client = client_for("head")
    diff = reverse("frameworks:diff", args=[world.framework.slug, world.published.number])
    assert client.get(diff, {"against": "²"}).status_code == 404
    assert client.post(reverse("frameworks:shortlist_add"),
                       {"question": "²", "school": world.schools["A1"].pk}).status_code == 404
    core = client_for("core")
    add_theme = reverse("frameworks:add_theme", args=[world.framework.slug, world.draft.number])
    big = core.post(add_theme, {"title": "T", "position": str(2**63)})
    assert big.status_code == 200 and "There is a problem" in big.content.decode()


def test_an_executive_head_shortlists_for_each_school(client_for, world):
    client = client_for("exec_head")
    question = world.published.themes.first().questions.first()
    client.post(reverse("frameworks:shortlist_add"),
                {"question": question.pk, "school": world.schools["A3"].pk})
    page = client.get(reverse("frameworks:detail", args=[world.framework.slug])).content.decode()
    assert "On A3 School's shortlist" in page and "Save to B1 School's shortlist" in page


def test_retiring_asks_first(client_for, world):
    client = client_for("core")
    url = reverse("frameworks:change_status", args=[world.framework.slug,
                                                     world.published.number])
    assert b"Retire Test framework?" in client.get(url, {"action": "retire"}).content
    world.published.refresh_from_db()
    assert world.published.status == Status.PUBLISHED
    client.post(url, {"action": "retire"})
    world.published.refresh_from_db()
    assert world.published.status == Status.RETIRED


def test_diff_shows_phase_changes(world):
    question = Question.objects.filter(theme__version=world.draft).last()
    services.save_question(world.draft, theme=question.theme, question=question,
                           text=question.text, phases=["secondary"],
                           prompts=[(p.kind, p.text) for p in question.prompts.all()])
    changes = version_diff(world.published, world.draft)
    changed = [q for q in changes[0].questions if q.status == "changed"]
    assert len(changed) == 1
    assert ("added", "Phases: Secondary") in changed[0].prompt_changes
