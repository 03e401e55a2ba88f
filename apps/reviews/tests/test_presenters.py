"""The section links every review page shows (``presenters.review_navigation``)."""

from django.test import RequestFactory

from apps.reviews.presenters import review_navigation

ALL = ["Overview", "Team", "Self-review", "Enquiry", "Visit plan", "Evidence", "Findings",
       "Report", "Workshop", "Action plan"]


def _nav(world, persona, review, section="overview"):
    request = RequestFactory().get("/")
    request.user = world.people[persona]
    return review_navigation(request, review, section)


def _labels(nav):
    return [link["label"] for link in nav["review_sections"]]


def test_the_host_head_sees_every_section_once_the_report_is_agreed(world):
    nav = _nav(world, "head", world.review, "findings")
    assert _labels(nav) == ALL
    assert [link["label"] for link in nav["review_sections"] if link["current"]] == ["Findings"]
    assert nav["review_sections"][0]["url"] == f"/reviews/{world.review.pk}/"
    assert nav["review_sections"][-1]["url"] == f"/improvement/reviews/{world.review.pk}/plan/"
    assert nav["review"] == world.review and nav["section"] == "findings"
    assert nav["can_view_content"] and nav["can_view_plan"]


def test_someone_who_may_not_see_the_content_sees_only_what_they_may_open(world):
    nav = _nav(world, "lead", world.review)
    assert not nav["can_view_content"]
    assert not {"Self-review", "Enquiry", "Visit plan", "Evidence",
                "Findings"} & set(_labels(nav))
    assert _labels(nav)[:2] == ["Overview", "Team"]


def test_the_workshop_and_plan_wait_for_the_agreed_report(world):
    labels = _labels(_nav(world, "reviewer2", world.other_review))
    assert "Workshop" not in labels and "Action plan" not in labels
    assert labels[:2] == ["Overview", "Team"]


def test_the_sharing_link_is_offered_only_to_those_who_may_open_it(world):
    # The lead reviewer sees the review's content but not who has looked (a 403 before).
    assert _nav(world, "leader", world.review)["can_view_content"]
    assert not _nav(world, "leader", world.review)["can_view_sharing"]
    assert _nav(world, "head", world.review)["can_view_sharing"]
