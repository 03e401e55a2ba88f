"""The permission matrix catches a missing write check.

Each write below is checked by an access helper (``apps.core.access.require_write``) where
the page's object is fetched. Deleting that check — here, replacing it with one that lets
everything through — must turn the write's matrix row red: someone who may read the page but
not write through it then gets in. (Issue: five POST checks could be deleted with every test
still green.)
"""

import pytest

from tests.test_permission_matrix import test_permission_matrix as run_row


def _let_everything_through(request, perm, obj=None):
    return None


# (where the check is looked up, the matrix row of a write that relies on it)
WRITES = [
    ("apps.reviews.access.require_write", "reviews:self_review#post"),
    ("apps.reviews.access.require_write", "reviews:enquiry#post"),
    ("apps.reviews.access.require_write", "reviews:findings#post"),
    ("apps.reviews.access.require_write", "reviews:evidence#post"),
    ("apps.reviews.access.require_write", "reviews:team#post"),
    ("apps.reviews.access.require_write", "reviews:plan#open-post"),
    ("apps.reviews.access.require_write", "reviews:report#post"),
    ("apps.reviews.access.require_write", "improvement:workshop#post"),
    ("apps.improvement.access.require_write", "improvement:action#post"),
    ("apps.support.views.require_write", "support:request_detail#post"),
]
# Not listed: sharing (in the test world only the host's head may open that page, and only
# the head may share) and confirming a match (the service refuses a wrong side as well).


@pytest.mark.parametrize(("target", "row"), WRITES)
def test_removing_a_write_check_fails_the_matrix(world, client, monkeypatch, target, row):
    run_row(world, client, row)  # green with the check in place
    monkeypatch.setattr(target, _let_everything_through)
    with pytest.raises(AssertionError, match=r"got (200|302|400), expected 403"):
        run_row(world, client, row)


@pytest.mark.parametrize("perm", ["reviews.edit_evidence_note", "reviews.remove_file",
                                  "support.close_request"])
def test_write_permissions_are_named_rules(perm):
    """The writes that used to be ``if`` statements in views are rules of their own."""
    import rules

    assert rules.perm_exists(perm)
