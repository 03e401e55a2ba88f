"""The national community in Chromium: a head starts a thread, a head from another
partnership replies, a third person reports the reply and the core team hides it, with axe on
every page. Forms are plain posts: nothing here needs JavaScript."""

import pytest
from django.urls import reverse

from tests.browser.conftest import axe_check

pytestmark = pytest.mark.browser


def test_thread_reply_report_and_moderate(page_as, live_server, browser_world):
    from playwright.sync_api import expect

    from apps.community import services
    from apps.community.models import Post

    w = browser_world
    space = services.create_space(by=w.people["core"], title="Reading for pleasure",
                                  description="Book clubs, libraries and reading aloud.")

    head = page_as("head")
    head.goto(live_server.url + reverse("community:index"))
    axe_check(head, "community-spaces")
    head.get_by_role("link", name="Reading for pleasure").click()
    axe_check(head, "community-space")
    head.get_by_role("link", name="Start a thread").click()
    head.get_by_role("button", name="Post the thread").click()
    expect(head.locator(".govuk-error-summary")).to_contain_text("Enter a title for your thread")
    axe_check(head, "community-thread-errors")
    head.get_by_label("Title").fill("How do you run book clubs?")
    head.get_by_label("Your message").fill("We want lunchtime book clubs in Year 5.")
    head.get_by_role("button", name="Post the thread").click()
    expect(head.get_by_role("heading", level=1)).to_have_text("How do you run book clubs?")
    axe_check(head, "community-thread")

    thread_url = head.url.split("#")[0]
    outsider = page_as("outsider")
    outsider.goto(thread_url)
    outsider.get_by_label("Your reply").fill("Ours meet on Fridays; a pupil called Sam "
                                             "chooses the books.")
    outsider.get_by_role("button", name="Post your reply").click()
    expect(outsider.locator(".govuk-notification-banner")).to_contain_text("reply is posted")
    axe_check(outsider, "community-replied")

    champion = page_as("champion")
    champion.goto(thread_url)
    champion.get_by_role("link", name="Report the post by Outsider").click()
    axe_check(champion, "community-report")
    champion.get_by_role("button", name="Send the report").click()
    expect(champion.locator(".govuk-error-summary")).to_contain_text(
        "Say what is wrong with the post")
    champion.get_by_label("What is wrong with this post?").fill("It names a pupil.")
    champion.get_by_role("button", name="Send the report").click()
    expect(champion.locator(".govuk-notification-banner")).to_contain_text("core team will look")

    core = page_as("core")
    core.goto(live_server.url + reverse("community:moderation"))
    axe_check(core, "community-moderation-queue")
    core.get_by_role("link", name="Outsider in “How do you run book clubs?”").click()
    expect(core.locator("main")).to_contain_text("It names a pupil.")
    axe_check(core, "community-moderate")
    core.get_by_label("Hide the post").check()
    core.get_by_label("Reason").fill("It names a pupil: please post again without the name.")
    core.get_by_role("button", name="Save the decision").click()
    expect(core.locator(".govuk-notification-banner")).to_contain_text("The post is hidden")
    expect(core.locator("main")).to_contain_text("please post again without the name")
    axe_check(core, "community-moderation-hidden")

    reply = Post.objects.get(thread__space=space, is_opening=False)
    assert reply.is_hidden
    champion.goto(thread_url)
    expect(champion.locator(f"#post-{reply.pk}")).to_contain_text(
        "This post was hidden by the core team.")
    expect(champion.locator("main")).not_to_contain_text("Sam chooses")
    axe_check(champion, "community-thread-with-hidden-post")


def test_directory_entry_and_filters(page_as, live_server, browser_world):
    from playwright.sync_api import expect

    head = page_as("head")
    head.goto(live_server.url + reverse("community:directory"))
    head.get_by_role("link", name="Choose what the directory shows about A1 School").click()
    axe_check(head, "community-profile-form")
    head.get_by_label("List us in the community directory").check()
    head.get_by_label("Show what we are working on").check()
    head.get_by_role("button", name="Save").click()
    expect(head.locator(".govuk-error-summary")).to_contain_text(
        "Enter what you are working on")
    axe_check(head, "community-profile-errors")
    head.get_by_label("What we are working on", exact=True).fill("Reading fluency in Key Stage 2")
    head.get_by_label("Strengths we can offer", exact=True).fill("Not ready to share yet")
    head.get_by_role("button", name="Save").click()
    expect(head.locator(".govuk-notification-banner")).to_contain_text("is listed")
    expect(head.locator("main")).to_contain_text("What people see now")

    outsider = page_as("outsider")
    outsider.goto(live_server.url + reverse("community:directory"))
    outsider.get_by_label("Search").fill("fluency")
    outsider.get_by_role("button", name="Apply filters").click()
    expect(outsider.locator("#results")).to_contain_text("A1 School")
    expect(outsider.locator("#results")).not_to_contain_text("Not ready to share yet")
    axe_check(outsider, "community-directory")
    outsider.get_by_role("link", name="A1 School").click()
    expect(outsider.locator("main")).to_contain_text("Reading fluency in Key Stage 2")
    axe_check(outsider, "community-entry")
