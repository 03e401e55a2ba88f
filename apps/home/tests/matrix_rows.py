"""Permission-matrix rows for "get in touch", the core team's enquiries inbox, and the public
pages linked from every page's footer (privacy notice, accessibility statement, cookies)."""

from conftest import PERSONAS


def _enquiry(w):
    from apps.home.models import Enquiry

    enquiry, _ = Enquiry.objects.get_or_create(
        email="asking@school.example", defaults={
            "full_name": "Asking Head", "school_name": "Curious Primary",
            "message": "How do partnerships start?"})
    return {"pk": enquiry.pk}


EVERYONE = {p: 200 for p in PERSONAS}
CORE_ONLY = {**{p: 403 for p in PERSONAS}, "anonymous": 302, "core": 200}
CORE_OR_NOTHING = {**{p: 404 for p in PERSONAS}, "anonymous": 302, "core": 200}

MATRIX_ROWS = {
    # The footer's pages, for everyone signed in or not.
    "public:privacy": ("get", lambda w: {}, EVERYONE),
    "public:accessibility": ("get", lambda w: {}, EVERYONE),
    "public:cookies": ("get", lambda w: {}, EVERYONE),
    "enquiries:get_in_touch": ("get", lambda w: {}, EVERYONE),
    # An empty form: shown again with its errors, to everyone (nothing is sent).
    "enquiries:get_in_touch#post": ("post", lambda w: {}, EVERYONE),
    "enquiries:inbox": ("get", lambda w: {}, CORE_ONLY),
    "enquiries:detail": ("get", _enquiry, CORE_OR_NOTHING),
    "enquiries:detail#post": ("post", _enquiry, CORE_OR_NOTHING),
}
