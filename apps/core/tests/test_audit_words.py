"""The audit log in words: yes/no for true and false, and one label per action, so the
action filter never offers the same words twice (the walkthrough found "From library:
False" and "Improvement Workshop completed" listed twice)."""

from collections import Counter

from apps.core.audit_words import ACTIONS, value_words


def test_true_and_false_read_as_yes_and_no():
    assert value_words(True) == "yes" and value_words(False) == "no"
    assert value_words(0) == 0 and value_words(None) == "nothing"


def test_each_action_has_its_own_words():
    repeated = {label: n for label, n in Counter(ACTIONS.values()).items() if n > 1}
    assert repeated == {}
