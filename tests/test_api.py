import pytest

pytestmark = pytest.mark.django_db


def test_openapi_lists_our_endpoints(client):
    schema = client.get("/api/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/api/me", "/api/schools/", "/api/schools/{urn}", "/api/partnerships/",
            "/api/partnerships/{slug}"} <= paths


def test_an_operations_own_error_answers_are_kept_in_the_openapi_document():
    """Ninja keys the answers an operation declares by number and the document's added error
    answers were keyed by text: in the JSON both "409"s were written and the general one, read
    last, hid the declared schema (a review transition's 409 lost its ``missing``)."""
    from config.api import api

    schema = api.get_openapi_schema()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            codes = list(operation["responses"])
            assert all(isinstance(c, str) for c in codes), (method, path, codes)
            assert {"400", "401", "403", "404", "409", "413", "422"} <= set(codes)
    refused = schema["paths"]["/api/reviews/{review_id}/transitions"]["post"]["responses"]
    assert refused["409"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/TransitionRefusedOut")
    assert refused["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")


def test_school_list_and_detail(client_for, world):
    client = client_for("head")
    data = client.get("/api/schools/", {"q": "A1"}).json()
    assert data["count"] == 1 and data["items"][0]["name"] == "A1 School"
    one = client.get(f"/api/schools/{world.schools['A1'].urn}").json()
    assert one["urn"] == world.schools["A1"].urn
    assert client.get("/api/schools/1").status_code == 404


def test_partnerships_are_scoped(client_for, world):
    mine = client_for("outsider").get("/api/partnerships/").json()["items"]
    assert [p["slug"] for p in mine] == [world.beta.slug]
    detail = client_for("head").get(f"/api/partnerships/{world.alpha.slug}").json()
    assert len(detail["schools"]) == 4 and detail["phase_history"][0]["phase"] == "build"


def test_me(client_for, world):
    me = client_for("exec_head").get("/api/me").json()
    assert me["email"] == "exec_head@test.example"
    assert sorted(r["school_urn"] for r in me["roles"]) == sorted(
        [world.schools["A3"].urn, world.schools["B1"].urn])


def test_frameworks_api(client_for, world):
    client = client_for("head")
    listed = client.get("/api/frameworks/").json()
    assert [f["slug"] for f in listed] == [world.framework.slug]
    detail = client.get(f"/api/frameworks/{world.framework.slug}").json()
    assert detail["version"] == 1 and len(detail["themes"][0]["questions"]) == 2
    found = client.get("/api/frameworks/questions/search", {"q": "reading"}).json()["items"]
    assert found and "reading" in found[0]["text"].lower()
    assert len(found[0]["prompts"]) == 3
    draft_question = world.draft.themes.first().questions.first()
    assert client.get(f"/api/frameworks/questions/{draft_question.pk}").status_code == 404
    assert client.get("/api/frameworks/nope").status_code == 404
