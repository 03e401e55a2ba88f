"""docs/permissions.md is the rulebook in plain English: generated, never stale."""

from pathlib import Path

import rules
from django.conf import settings

from apps.core.permissions_doc import render, undocumented


def test_every_predicate_says_who_it_admits():
    assert undocumented() == [], "Give these predicates a one-line docstring"


def test_the_checked_in_rulebook_is_current():
    path = Path(settings.BASE_DIR) / "docs" / "permissions.md"
    assert path.read_text() == render(), "Run: python manage.py permissions_doc"


def test_a_new_undocumented_rule_is_caught():
    @rules.predicate
    def knows_the_secret_handshake(user):
        return False

    import sys

    module = sys.modules[__name__]
    module.knows_the_secret_handshake = knows_the_secret_handshake
    rules.add_perm("core.test_only_perm", knows_the_secret_handshake)
    try:
        assert "knows_the_secret_handshake" in undocumented()
        assert "`core.test_only_perm`" in render()
    finally:
        rules.remove_perm("core.test_only_perm")
        del module.knows_the_secret_handshake
