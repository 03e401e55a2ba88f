"""Pages with review content or personal data are never kept by a browser or proxy cache:
a shared school computer's Back button must not show the last person's review."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from apps.core.middleware import PrivateByDefaultMiddleware, cacheable
from conftest import sign_in

pytestmark = pytest.mark.django_db


def _private(response):
    return {p.strip() for p in response["Cache-Control"].split(",")} >= {"private", "no-store"}


def test_review_content_page_is_not_stored(world, client):
    sign_in(client, world.people["head"])
    response = client.get(reverse("reviews:report", kwargs={"pk": world.review.pk}))
    assert response.status_code == 200
    assert world.review.host.name in response.content.decode()
    assert _private(response)


def test_api_answer_is_not_stored(world, client):
    sign_in(client, world.people["head"])
    response = client.get(reverse("api:get_review", kwargs={"review_id": world.review.pk}))
    assert response.status_code == 200
    assert _private(response)


def test_download_is_not_stored(world, client):
    sign_in(client, world.people["head"])
    response = client.get(reverse("improvement:plan_csv", kwargs={"pk": world.review.pk}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert _private(response)


def test_signed_out_pages_are_not_stored_either(client):
    response = client.get(reverse("account_login"))  # holds a form token
    assert _private(response)


def _run(view, user=None, headers=None):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/x", headers=headers or {})
    request.user = user or AnonymousUser()
    return PrivateByDefaultMiddleware(view)(request)


def test_a_view_may_mark_a_signed_out_page_cacheable_but_never_a_signed_in_one(world):
    @cacheable
    def public_page(request):
        response = HttpResponse("<p>Open to all</p>")
        response["Cache-Control"] = "public, max-age=600"
        return response

    assert _run(public_page)["Cache-Control"] == "public, max-age=600"
    assert _private(_run(public_page, user=world.people["staff"]))


def test_signed_out_json_keeps_its_own_caching_but_a_token_request_does_not():
    def json_view(request):
        return HttpResponse("{}", content_type="application/json")

    assert "Cache-Control" not in _run(json_view)
    assert _private(_run(json_view, headers={"Authorization": "Bearer abc"}))
