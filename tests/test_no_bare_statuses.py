"""Statuses and kinds are compared through their TextChoices, never as bare strings, in views,
presenters, the API and templates (issue 12): a renamed or mistyped status then fails loudly
instead of silently matching nothing. Templates get the choices from the ``choices`` context
processor (``apps/home/context_processors.py``), e.g. ``review.status == ReviewStatus.ACTING``.
"""

import ast
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIELDS = {"status", "state", "phase", "role", "kind", "mode", "audience", "purpose",
          "pdf_status"}
_NAMES = "|".join(sorted(FIELDS))
TEMPLATE = re.compile(rf"\.(?:{_NAMES})\s*(?:==|!=)\s*['\"]\w+['\"]"
                      rf"|\.(?:{_NAMES})\s+(?:not\s+)?in\s+['\"]")


def _python_files():
    for path in sorted((ROOT / "apps").rglob("*.py")):
        rel = path.relative_to(ROOT)
        if "tests" in rel.parts or "migrations" in rel.parts:
            continue
        if "views" in rel.parts or rel.name.endswith(("views.py", "presenters.py", "api.py")):
            yield path, rel


def _is_str(node) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value:
        return True
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return any(_is_str(e) for e in node.elts)
    return False


def bare_strings(source: str) -> list[int]:
    """Lines comparing a status-like field with a string literal."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            left = node.left
            if isinstance(left, ast.Attribute) and left.attr in FIELDS and \
                    any(_is_str(c) for c in node.comparators):
                found.append(node.lineno)
        if isinstance(node, ast.keyword) and node.arg:
            field = node.arg.split("__")
            if (field[-1] in FIELDS or (field[-1] in {"in", "exact"} and len(field) > 1
                                        and field[-2] in FIELDS)) and _is_str(node.value):
                found.append(node.value.lineno)
    return found


def test_the_check_finds_bare_strings():
    assert bare_strings('if review.status == "acting": pass') == [1]
    assert bare_strings('Review.objects.filter(status__in=["acting", "closed"])') == [1]
    assert bare_strings('x.exclude(review__status="cancelled")') == [1]
    assert bare_strings("if review.status == Status.ACTING: pass") == []
    assert TEMPLATE.search('{% if review.status == "acting" %}')
    assert TEMPLATE.search("{% if p.phase == 'alumni' %}")
    assert not TEMPLATE.search("{% if review.status == ReviewStatus.ACTING %}")


def test_no_bare_status_strings_in_views_presenters_and_the_api():
    found = [f"{rel}:{line}" for path, rel in _python_files()
             for line in bare_strings(path.read_text())]
    assert not found, found


def test_no_bare_status_strings_in_templates():
    found = []
    for path in sorted(ROOT.glob("apps/*/templates/**/*.html")) + \
            sorted((ROOT / "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if TEMPLATE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}")
    assert not found, found


def test_every_choice_a_template_names_exists():
    """A mistyped member (``ReviewStatus.ACTNG``) would be an empty string in a template and
    match nothing: every ``Name.MEMBER`` naming a choice from the context processor exists."""
    import django  # noqa: F401  (settings are set up by pytest-django)

    from apps.home.context_processors import CHOICES

    names = "|".join(CHOICES)
    reference = re.compile(rf"\b({names})\.([A-Z_]+)\b")
    missing = []
    for path in sorted(ROOT.glob("apps/*/templates/**/*.html")) + \
            sorted((ROOT / "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for enum, member in reference.findall(line):
                if member not in CHOICES[enum].__members__:
                    missing.append(f"{path.relative_to(ROOT)}:{number} {enum}.{member}")
    assert not missing, missing
