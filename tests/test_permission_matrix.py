"""Every URL × every persona → expected status.

Adding a URL without a row here fails ``test_every_url_has_a_row``. Outsiders get 404,
insiders without the right 403, signed-out people the sign-in page (302) or, on the API, 401.
"""

from typing import Any
from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import PERSONAS

SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]
ALPHA = ["core", "associate", "lead", "head", "leader", "staff", "exec_head", "reviewer2",
         "champion"]


def statuses(default: int, anonymous: int = 302, **special) -> dict:
    """Expected status for every persona: ``default`` unless named."""
    table = {p: default for p in PERSONAS}
    table["anonymous"] = anonymous
    for persona, status in special.items():
        table[persona] = status
    return table


def only(allowed: dict, others: int, anonymous: int = 302) -> dict:
    table = {p: others for p in PERSONAS}
    table["anonymous"] = anonymous
    table.update(allowed)
    return table


def alpha(member_status: int, managers: dict, outsiders: int = 404, anonymous: int = 302):
    """A page about partnership Alpha: its members get ``member_status`` unless they are
    named in ``managers``; everyone else is an outsider (404)."""
    table = {p: outsiders for p in PERSONAS}
    table["anonymous"] = anonymous
    for p in ALPHA:
        table[p] = member_status
    table.update(managers)
    return table


# url name -> (method, kwargs from the world, expected statuses)
MATRIX: dict[str, tuple[Any, ...]] = {
    # Signed out, home is the public start page.
    "home": ("get", lambda w: {}, statuses(200, anonymous=200)),
    "healthz": ("get", lambda w: {}, statuses(200, anonymous=200)),
    "directory:schools": ("get", lambda w: {}, statuses(200)),
    "directory:school": ("get", lambda w: {"urn": w.schools["A1"].urn}, statuses(200)),
    "schools:import": ("get", lambda w: {}, only({"core": 200}, 403)),
    "schools:import_status": ("get", lambda w: {"job_id": w.job.pk}, only({"core": 200}, 403)),
    "partnerships:list": ("get", lambda w: {}, statuses(200, evaluator=403, norole=403,
                                                        trainer=403)),
    "partnerships:create": ("get", lambda w: {}, only({"core": 200}, 403)),
    "partnerships:detail": ("get", lambda w: {"slug": w.alpha.slug}, alpha(200, {})),
    "partnerships:add_school": ("get", lambda w: {"slug": w.alpha.slug},
                                alpha(403, {"core": 200, "lead": 200})),
    "partnerships:remove_school": ("get", lambda w: {"slug": w.alpha.slug,
                                                     "membership_id": w.memberships["A4"].pk},
                                   alpha(403, {"core": 200, "lead": 200})),
    "partnerships:change_phase": ("get", lambda w: {"slug": w.alpha.slug},
                                  alpha(403, {"core": 200})),
    "partnerships:people": ("get", lambda w: {"slug": w.alpha.slug},
                            alpha(403, {"core": 200, "lead": 200})),
    "accounts:me": ("get", lambda w: {}, statuses(200)),
    "people:people": ("get", lambda w: {}, only({"core": 200, "lead": 200}, 403)),
    "people:invite": ("get", lambda w: {}, only({"core": 200, "lead": 200}, 403)),
    "people:revoke_invitation": ("post", lambda w: {"pk": w.invitation.pk},
                                   only({"core": 302, "lead": 302}, 404)),
    "people:training_dates": ("get", lambda w: {"pk": w.people["staff"].pk},
                                only({"core": 200}, 403)),
    "account_email_disabled": ("get", lambda w: {}, statuses(404)),
    "people:change_email": ("get", lambda w: {"pk": w.people["staff"].pk},
                              only({"core": 200}, 403)),
    "people:end_role": ("get", lambda w: {"pk": w.staff_role.pk},
                          only({"core": 200, "lead": 200}, 404)),
    "accounts:accept_invitation": ("get", lambda w: {"token": w.invitation.token},
                                   statuses(403, anonymous=200)),
    "core:audit": ("get", lambda w: {}, only({"core": 200}, 403)),
    # Django admin: the core team only; others are sent to the admin's sign-in page.
    "admin:index": ("get", lambda w: {}, only({"core": 200}, 302)),
    # allauth pages we link to (the rest of allauth is exempt below).
    "account_login": ("get", lambda w: {}, statuses(302, anonymous=200)),
    "account_reset_password": ("get", lambda w: {}, statuses(200, anonymous=200)),
    "mfa_index": ("get", lambda w: {}, statuses(200)),
    "account_change_password": ("get", lambda w: {}, statuses(200)),
    # Turning on an authenticator first asks for the password again (allauth reauthentication).
    "mfa_activate_totp": ("get", lambda w: {}, statuses(302)),
    # JSON API
    "api:api-root": ("get", lambda w: {}, statuses(404, anonymous=404)),
    "api:openapi-json": ("get", lambda w: {}, statuses(200, anonymous=200)),
    "api:openapi-view": ("get", lambda w: {}, statuses(200, anonymous=200)),
    "api:me": ("get", lambda w: {}, statuses(200, anonymous=401)),
    "api:list_schools": ("get", lambda w: {}, statuses(200, anonymous=401)),
    "api:get_school": ("get", lambda w: {"urn": w.schools["A1"].urn},
                       statuses(200, anonymous=401)),
    "api:list_partnerships": ("get", lambda w: {},
                              statuses(200, anonymous=401, evaluator=403, norole=403, trainer=403)),
    "api:get_partnership": ("get", lambda w: {"slug": w.alpha.slug},
                            alpha(200, {}, anonymous=401)),
}

SCHOOL_PEOPLE = {"head": 200, "leader": 200, "staff": 200, "exec_head": 200, "outsider": 200,
                 "alumnus": 200, "reviewer2": 200, "champion": 200}


def _draft(w):
    return {"slug": w.framework.slug, "number": w.draft.number}


def _draft_theme(w):
    return {**_draft(w), "theme_id": w.draft.themes.first().pk}


def _draft_question(w):
    from apps.frameworks.models import Question

    return {**_draft(w), "question_id": Question.objects.filter(theme__version=w.draft)
            .first().pk}


CORE_ONLY_DRAFT = only({"core": 200}, 404)  # drafts do not exist for anyone else

MATRIX.update({
    "frameworks:list": ("get", lambda w: {}, statuses(200)),
    "frameworks:search": ("get", lambda w: {}, statuses(200)),
    "frameworks:detail": ("get", lambda w: {"slug": w.framework.slug}, statuses(200)),
    "frameworks:versions": ("get", lambda w: {"slug": w.framework.slug},
                            only({"core": 200}, 403)),
    "frameworks:new_version": ("post", lambda w: {"slug": w.framework.slug},
                               only({"core": 302}, 403)),
    "frameworks:version": ("get", _draft, CORE_ONLY_DRAFT),
    "frameworks:edit_version": ("get", _draft, CORE_ONLY_DRAFT),
    "frameworks:change_status": ("post", _draft, only({"core": 302}, 404)),
    "frameworks:diff": ("get", _draft, CORE_ONLY_DRAFT),
    "frameworks:add_theme": ("get", _draft, CORE_ONLY_DRAFT),
    "frameworks:edit_theme": ("get", _draft_theme, CORE_ONLY_DRAFT),
    "frameworks:delete_theme": ("post", _draft_theme, only({"core": 302}, 404)),
    "frameworks:add_question": ("get", _draft, CORE_ONLY_DRAFT),
    "frameworks:edit_question": ("get", _draft_question, CORE_ONLY_DRAFT),
    "frameworks:delete_question": ("post", _draft_question, only({"core": 302}, 404)),
    "frameworks:shortlist": ("get", lambda w: {}, only(SCHOOL_PEOPLE, 403)),
    # POST data is sent by the test for this row: question of the published version, school A1
    "frameworks:shortlist_add": ("post", lambda w: {},
                                 only({"head": 302, "staff": 403}, 404)),
    "frameworks:shortlist_remove": ("post", lambda w: {"pk": w.shortlist_item.pk},
                                    only({"head": 302, "staff": 403, "core": 403}, 404)),
    "frameworks:shortlist_choose": ("post", lambda w: {"pk": w.shortlist_item.pk},
                                    only({"head": 302, "staff": 403, "core": 403}, 404)),
})

MATRIX.update({
    "api:list_frameworks": ("get", lambda w: {}, statuses(200, anonymous=401)),
    "api:get_framework": ("get", lambda w: {"slug": w.framework.slug},
                          statuses(200, anonymous=401)),
    "api:get_question": ("get", lambda w: {"question_id": w.shortlist_item.question.pk},
                         statuses(200, anonymous=401)),
    # search needs ?q=; without it the API answers 422 (validation), with it 200
    "api:search_questions": ("get", lambda w: {}, statuses(422, anonymous=401)),
})

CURRENT = ["associate", "lead", "head", "leader", "staff", "exec_head", "outsider", "reviewer2",
           "champion"]


def audience(name: str) -> dict:
    """Who sees a library item of this audience (everyone else: 404, even signed out)."""
    seen_by = {"public": PERSONAS, "programme": ["core", *CURRENT, "alumnus"],
               "alumni": ["core", "alumnus"], "core": ["core"]}[name]
    return {p: (200 if p in seen_by else 404) for p in PERSONAS}


def _resource(name):
    return lambda w: {"pk": w.resources[name].pk}


MATRIX.update({
    "resources:library": ("get", lambda w: {}, statuses(200, anonymous=200)),
    "resources:detail": ("get", _resource("programme"), audience("programme")),
    "resources:download": ("get", _resource("alumni"), audience("alumni")),
    "resources:download_version": ("get", lambda w: {"pk": w.resources["core"].pk,
                                                     "number": 1}, audience("core")),
    "resources:create": ("get", lambda w: {}, only({"core": 200}, 403)),
    "resources:edit": ("get", _resource("public"), only({"core": 200}, 403)),
    "resources:replace": ("get", _resource("public"), only({"core": 200}, 403)),
    "api:list_resources": ("get", lambda w: {}, statuses(200, anonymous=200)),
    # Further cases of URLs above: "name#case" (and an optional query string).
    "frameworks:version#published": ("get", lambda w: {"slug": w.framework.slug,
                                                       "number": w.published.number},
                                     statuses(200)),
    "resources:detail#public": ("get", _resource("public"), audience("public")),
    "resources:detail#alumni": ("get", _resource("alumni"), audience("alumni")),
    "resources:detail#core": ("get", _resource("core"), audience("core")),
    "api:search_questions#q": ("get", lambda w: {}, statuses(200, anonymous=401),
                               {"q": "reading"}),
})

def _phase_change(w):
    """Alpha's latest phase change, after a second one (Embed, next month) so it can be
    undone."""
    from datetime import timedelta

    from django.utils import timezone

    from apps.partnerships.models import PhaseChange

    latest = w.alpha.phase_history.order_by("-started_on", "-id").first()
    if w.alpha.phase_history.count() < 2:
        latest = PhaseChange.objects.create(partnership=w.alpha, phase="embed",
                                            started_on=timezone.localdate() + timedelta(days=30))
    return {"slug": w.alpha.slug, "change_id": latest.pk}


MATRIX.update({
    "partnerships:correct_phase": ("get", _phase_change, alpha(403, {"core": 200})),
    "partnerships:correct_phase#post": ("post", _phase_change, alpha(403, {"core": 200})),
    "partnerships:undo_phase": ("get", _phase_change, alpha(403, {"core": 200})),
    "partnerships:undo_phase#post": ("post", _phase_change, alpha(403, {"core": 302})),
})

# Writes: each form posted back to its page is a row of its own, so the write's permission
# is reached (an empty form: 200 with its errors for those allowed; 403/404 for the rest).
MATRIX.update({
    "schools:import#post": ("post", lambda w: {}, only({"core": 200}, 403)),
    "partnerships:create#post": ("post", lambda w: {}, only({"core": 200}, 403)),
    "partnerships:add_school#post": ("post", lambda w: {"slug": w.alpha.slug},
                                     alpha(403, {"core": 200, "lead": 200})),
    "partnerships:remove_school#post": ("post", lambda w: {
        "slug": w.alpha.slug, "membership_id": w.memberships["A4"].pk},
        alpha(403, {"core": 200, "lead": 200})),
    "partnerships:change_phase#post": ("post", lambda w: {"slug": w.alpha.slug},
                                       alpha(403, {"core": 200})),
    "people:invite#post": ("post", lambda w: {}, only({"core": 200, "lead": 200}, 403)),
    "people:training_dates#post": ("post", lambda w: {"pk": w.people["staff"].pk},
                                     only({"core": 200}, 403)),
    "people:change_email#post": ("post", lambda w: {"pk": w.people["staff"].pk},
                                   only({"core": 200}, 403)),
    # Ending a role needs no more than the button.
    "people:end_role#post": ("post", lambda w: {"pk": w.staff_role.pk},
                               only({"core": 302, "lead": 302}, 404)),
    # The invitation's own page: only someone signed out can accept it there.
    "accounts:accept_invitation#post": ("post", lambda w: {"token": w.invitation.token},
                                        statuses(403, anonymous=200)),
    "frameworks:edit_version#post": ("post", _draft, CORE_ONLY_DRAFT),
    "frameworks:add_theme#post": ("post", _draft, CORE_ONLY_DRAFT),
    "frameworks:edit_theme#post": ("post", _draft_theme, CORE_ONLY_DRAFT),
    "frameworks:add_question#post": ("post", _draft, CORE_ONLY_DRAFT),
    "frameworks:edit_question#post": ("post", _draft_question, CORE_ONLY_DRAFT),
    "resources:create#post": ("post", lambda w: {}, only({"core": 200}, 403)),
    "resources:edit#post": ("post", _resource("public"), only({"core": 200}, 403)),
    "resources:replace#post": ("post", _resource("public"), only({"core": 200}, 403)),
})

# Rows kept beside their app: apps/<app>/tests/matrix_rows.py defines MATRIX_ROWS (and may
# define POST_DATA_ROWS) in the same shape as above.
ROW_MODULES = ["apps.reviews.tests.matrix_rows", "apps.reviews.tests.api_matrix_rows",
               "apps.notifications.tests.matrix_rows", "apps.improvement.tests.matrix_rows",
               "apps.improvement.tests.api_matrix_rows", "apps.support.tests.matrix_rows",
               "apps.support.tests.api_matrix_rows", "apps.allocation.tests.matrix_rows",
               "apps.training.tests.matrix_rows", "apps.training.tests.matrix_rows_public",
               "apps.training.tests.matrix_rows_records",
               "apps.training.tests.matrix_rows_polls",
               "apps.training.tests.matrix_rows_api",
               "apps.training.tests.matrix_rows_meetings",
               "apps.accounts.tests.matrix_rows", "apps.impact.tests.matrix_rows",
               "apps.core.tests.matrix_rows", "apps.privacy.tests.matrix_rows",
               "apps.home.tests.matrix_rows", "apps.alumni.tests.matrix_rows",
               "apps.community.tests.matrix_rows", "apps.delivery.tests.matrix_rows"]
for _name in ROW_MODULES:
    _module = __import__(_name, fromlist=["MATRIX_ROWS"])
    MATRIX.update(_module.MATRIX_ROWS)

POST_DATA = {
    "frameworks:shortlist_add": lambda w: {
        "question": w.published.themes.first().questions.last().pk,
        "school": w.schools["A1"].pk},
}

for _name in ROW_MODULES:
    _module = __import__(_name, fromlist=["MATRIX_ROWS"])
    POST_DATA.update(getattr(_module, "POST_DATA_ROWS", {}))

# Third-party URL sets whose own test suites cover them; every other URL needs a row.
EXEMPT_NAMESPACES = {"admin"}
EXEMPT_MODULE_PREFIXES = ("allauth.",)


def _all_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _all_url_names(p, ns)
        elif isinstance(p, URLPattern):
            module = getattr(p.callback, "__module__", "") or ""
            if p.name:
                yield f"{namespace}{p.name}", module


def test_every_url_has_a_row():
    missing = set()
    for name, module in _all_url_names():
        assert "#" not in name
        if name.split(":")[0] in EXEMPT_NAMESPACES and name != "admin:index":
            continue
        if module.startswith(EXEMPT_MODULE_PREFIXES) and name not in MATRIX:
            continue
        if name not in MATRIX:
            missing.add(name)
    assert not missing, f"URLs without a permission-matrix row: {sorted(missing)}"


def _send(client, method, url, url_name, world):
    """The row's request: its POST data as a form, or for the JSON API as a JSON body (so
    an API write reaches its permission check instead of failing on an unreadable body)."""
    data = POST_DATA[url_name](world) if url_name in POST_DATA else {}
    if not data:
        return getattr(client, method)(url)
    if url_name.startswith("api:"):
        return getattr(client, method)(url, data, content_type="application/json")
    return getattr(client, method)(url, data)


@pytest.mark.parametrize("url_name", list(MATRIX))
def test_permission_matrix(world, client, url_name):
    """Each persona in turn, each inside a savepoint that is rolled back, so a POST by one
    persona does not change what the next one meets."""
    from django.db import transaction

    from conftest import sign_in
    from tests.factories import ImportJobFactory

    world.job = ImportJobFactory(created_by=world.people["core"])
    method, kwargs, expected, *query = MATRIX[url_name]
    url = reverse(url_name.split("#")[0], kwargs=kwargs(world))
    if query:
        url += "?" + urlencode(query[0])
    wrong = []
    for persona in PERSONAS:
        with transaction.atomic():
            client.logout()
            if persona != "anonymous":
                sign_in(client, world.people[persona])
            response = _send(client, method, url, url_name, world)
            if response.status_code != expected[persona]:
                wrong.append(f"{persona}: got {response.status_code}, "
                             f"expected {expected[persona]}")
            transaction.set_rollback(True)
    assert not wrong, f"{method.upper()} {url}\n" + "\n".join(wrong)


def test_a_wrong_row_is_caught(world, client):
    """The matrix test can fail: a deliberately wrong expectation is reported."""
    saved = MATRIX["home"]
    MATRIX["home"] = ("get", lambda w: {}, statuses(403))
    try:
        with pytest.raises(AssertionError, match="head: got 200, expected 403"):
            test_permission_matrix(world, client, "home")
    finally:
        MATRIX["home"] = saved


WRITE_METHODS = ("post", "put", "patch", "delete")


def _route(path: str) -> str:
    from django.urls import resolve

    return resolve(path).route


def _written_routes(world) -> set[str]:
    """URL patterns with a write row (the API names one path once per operation, so a
    path's write may be listed under another name than its read)."""
    return {_route(reverse(name.split("#")[0], kwargs=row[1](world)))
            for name, row in MATRIX.items() if row[0] in WRITE_METHODS}


def _allowed_persona(expected: dict) -> str | None:
    return next((p for p in PERSONAS if p != "anonymous" and expected[p] == 200), None)


def test_every_write_has_a_post_row(world, client):
    """A URL whose page also accepts a write (a form posted back to it) needs a row for that
    write, so the write's own permission is tested. A URL read only answers 405 to POST."""
    from django.db import transaction

    from conftest import sign_in
    from tests.factories import ImportJobFactory

    world.job = ImportJobFactory(created_by=world.people["core"])
    written = _written_routes(world)
    missing = []
    for url_name, (method, kwargs, expected, *_query) in MATRIX.items():
        base = url_name.split("#")[0]
        url = reverse(base, kwargs=kwargs(world))
        if method != "get" or _route(url) in written or base in GET_ONLY_BY_DESIGN:
            continue
        persona = _allowed_persona(expected)
        if persona is None:
            continue
        with transaction.atomic():
            client.logout()
            sign_in(client, world.people[persona])
            response = client.post(url)
            transaction.set_rollback(True)
        if response.status_code != 405:
            missing.append(f"{base} (POST as {persona}: {response.status_code})")
    assert not missing, "URLs that accept POST without a POST row:\n" + "\n".join(missing)


# Pages outside our code whose writes are tested by their own suites (allauth, admin).
# The OpenAPI document and its viewer come from django-ninja and answer any method.
GET_ONLY_BY_DESIGN = {"account_login", "account_reset_password", "mfa_index",
                      "account_change_password", "mfa_activate_totp", "admin:index",
                      "api:openapi-json", "api:openapi-view"}
