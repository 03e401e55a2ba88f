"""No "None" where a value is missing: pages reached from home by a few people, each followed
link read for Python's ``None`` printed as if it were a value ("Trust None")."""

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# "None" on its own as a value: between tags, at the end of a line or before punctuation.
# Sentences such as "None of the schools…" are words, not a missing value.
NONE_SHOWN = re.compile(r"(?:>|\s|\()None(?=\s*(?:<|[.,;:)]|$))", re.M)
SKIP = re.compile(r"^/(accounts/logout|static|media|admin|api|__|session)"
                  r"|\.(csv|pdf|ics|xlsx|zip|json)|/(export|download|feed|calendar)")
PAGES_EACH = 60


def visible(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"<[^>]*?\s(value|content|data-[\w-]+)=\"[^\"]*\"", "<", page)


def links(page: str) -> list[str]:
    found = []
    for href in re.findall(r'href="([^"]+)"', page):
        url = urldefrag(href.replace("&amp;", "&"))[0]
        if url.startswith("/") and not SKIP.search(urlsplit(url).path):
            found.append(url)
    return found


def nones_in(page: str) -> list[str]:
    text = visible(page)
    return [" ".join(text[max(0, m.start() - 80):m.end() + 10].split())
            for m in NONE_SHOWN.finditer(text)]


def crawl(client, find=nones_in, start: str = "/") -> dict[str, list[str]]:
    """Pages reached from ``start`` by following links (one page of each shape, up to
    PAGES_EACH), with what ``find`` finds on each."""
    seen, queue, problems = {start}, deque([start]), {}
    shapes: set[str] = set()
    read = 0
    while queue and read < PAGES_EACH:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        read += 1
        page = response.content.decode()
        hits = find(page)
        if hits:
            problems[url] = hits
        for link in links(page):
            # one page of each shape (/reviews/3/ and /reviews/4/ are the same template)
            shape = re.sub(r"\d+", "N", urlsplit(link).path) + (
                "?" if urlsplit(link).query else "")
            if link not in seen and shape not in shapes:
                seen.add(link)
                shapes.add(shape)
                queue.append(link)
    assert read > 5, "the crawl read too few pages to mean anything"
    return problems


@pytest.mark.parametrize("persona", ["head", "lead", "core", "associate", "alumnus",
                                     "evaluator"])
def test_no_none_on_the_pages_a_person_reaches(client_for, world, persona):
    problems = crawl(client_for(persona))
    assert not problems, "\n".join(f"{url}: {hit}" for url, hits in problems.items()
                                    for hit in hits)


def test_a_school_without_a_trust_says_so(client_for, world):
    school = world.schools["A1"]
    school.trust_name = ""
    school.federation_name = ""
    school.save()
    page = client_for("core").get(reverse("directory:school", args=[school.urn])).content.decode()
    assert "Not in a trust" in page and "Not in a federation" in page
    assert not NONE_SHOWN.search(visible(page))
