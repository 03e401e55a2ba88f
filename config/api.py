"""The JSON API (django-ninja). OpenAPI at /api/openapi.json, docs at /api/docs.

Every endpoint asks the same policy as the pages: a signed-in session or a personal API
token (``Authorization: Bearer prt_…``, made on the "API tokens" page), 401 with neither,
404 for objects outside the caller's reach, 403 for insufficient rights."""

from http import HTTPStatus

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.security import django_auth

from apps.accounts.api_tokens import TokenAuth
from apps.frameworks.api import router as frameworks_router
from apps.impact.api import router as impact_router
from apps.improvement.api import router as improvement_router
from apps.partnerships.api import router as partnerships_router
from apps.resources.api import router as resources_router
from apps.reviews.api import router as reviews_router
from apps.schools.api import router as schools_router
from apps.support.api import router as support_router
from apps.training.api import router as training_router

# Every operation can answer with these; each is {"detail": ...} (a list of problems for 422).
ERROR_RESPONSES = {
    "400": "The request is not valid: `detail` says what to change",
    "401": "Not signed in: send a session cookie or `Authorization: Bearer <token>`",
    "403": "Signed in, but without the right for this (or the token's scope does not allow it)",
    "404": "No such object, or not one the caller may know about",
    "409": "It changed since it was read, or clashes with something that exists (such as a "
           "booking already made): read it again",
    "413": "The request body is too large",
    "422": "A parameter or the body does not match the documented schema",
}
ERROR_SCHEMA = {
    "title": "Error", "type": "object", "required": ["detail"],
    "properties": {
        "detail": {"anyOf": [{"type": "string"}, {"type": "array", "items": {}}]},
        "errors": {"type": "array", "items": {"type": "string"}},
    },
}


class PlatformAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document lists the error answers of every operation, so clients
    (and the fuzz test, tests/test_api_fuzz.py) know every status they may get."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        for path_item in schema["paths"].values():
            for operation in path_item.values():
                operation["responses"] = _with_errors(operation.get("responses", {}))
        return schema


def _with_errors(declared: dict) -> dict:
    """An operation's answers with every error answer documented. Ninja keys the answers an
    operation declares by number (409) and ``openapi_extra`` by text ("409"): both are
    merged under the text key, so a declared schema (``409: ErrorOut``) keeps its fields and
    an operation's own description (``openapi_extra``) its words; a declared error answer
    with only the HTTP phrase as description gets the general one; the rest are added with
    the general Error schema."""
    responses: dict[str, dict] = {}
    for code, answer in declared.items():
        responses.setdefault(str(code), {}).update(answer)
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for code, description in ERROR_RESPONSES.items():
        answer = responses.setdefault(code, {"content": error})
        if answer.get("description") in (None, HTTPStatus(int(code)).phrase):
            answer["description"] = description
    return responses


api = PlatformAPI(
    title="Peer Review Platform API",
    version="1",
    description="School-to-school peer review: schools register, partnerships, enquiry "
                "frameworks, the resources library and the review cycle.",
    # The token first: a request with a token is not a browser's, so it needs no CSRF token
    # (the session check asks for one on writes). A token that is sent but not valid is a 401.
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)
api.add_router("/schools", schools_router)
api.add_router("/partnerships", partnerships_router)
api.add_router("/frameworks", frameworks_router)
api.add_router("/resources", resources_router)
api.add_router("/reviews", reviews_router)
api.add_router("/improvement", improvement_router)
api.add_router("/support", support_router)
api.add_router("/training", training_router)
api.add_router("/impact", impact_router)


@api.get("/me", tags=["people"], summary="The signed-in person and their roles")
def me(request: HttpRequest):
    user = request.user
    assert user.is_authenticated  # every request to the API is signed in (see auth above)
    return {
        "email": user.email,
        "full_name": user.full_name,
        "roles": [
            {"role": ra.role, "partnership": ra.partnership.slug if ra.partnership else None,
             "school_urn": ra.school.urn if ra.school else None}
            for ra in user.roles.current().select_related("partnership", "school")
        ],
    }


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or "Forbidden"}, status=403)


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    return api.create_response(request, {"detail": " ".join(exc.messages),
                                         "errors": exc.messages}, status=400)
