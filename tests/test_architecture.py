"""The shape of the code (ADR 0006). The layers themselves are checked by import-linter
(`lint-imports`, configured in pyproject.toml); these tests keep what it cannot see."""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent / "apps"
MAX_FUNCTION_LEVEL_IMPORTS = 5


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if "tests" in rel.parts or "migrations" in rel.parts:
            continue
        yield path, rel


def function_level_imports_of_other_apps(path: pathlib.Path, rel: pathlib.PurePath):
    """(line, module, commented) for each import of another app inside a function, except in
    ``AppConfig.ready()``, where Django wants them."""
    source = path.read_text()
    lines = source.splitlines()
    tree = ast.parse(source)
    found = []

    def visit(node, in_function: bool):
        for child in ast.iter_child_nodes(node):
            inside = in_function or (isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
                                     and child.name != "ready")
            if (isinstance(child, ast.ImportFrom) and in_function and child.level == 0
                    and (child.module or "").startswith("apps.")
                    and (child.module or "").split(".")[1] != rel.parts[0]):
                here = lines[child.lineno - 1]
                above = lines[child.lineno - 2].strip() if child.lineno > 1 else ""
                found.append((child.lineno, child.module, "#" in here or above.startswith("#")))
            visit(child, inside)

    visit(tree, False)
    return found


def test_few_function_level_imports_of_other_apps_each_saying_why():
    found = [(str(rel), line, module, commented) for path, rel in _modules()
             for line, module, commented in function_level_imports_of_other_apps(path, rel)]
    uncommented = [f"{f}:{line} imports {m}" for f, line, m, c in found if not c]
    assert not uncommented, "Say why this import is inside a function: " + "; ".join(uncommented)
    assert len(found) <= MAX_FUNCTION_LEVEL_IMPORTS, found


def test_the_check_sees_a_hidden_import(tmp_path):
    probe = tmp_path / "reviews" / "probe.py"
    probe.parent.mkdir()
    probe.write_text("def f():\n    from apps.improvement.models import Action\n")
    found = function_level_imports_of_other_apps(probe, pathlib.PurePath("reviews/probe.py"))
    assert found == [(2, "apps.improvement.models", False)]


def test_core_imports_no_domain_app():
    domain = {p.name for p in ROOT.iterdir() if p.is_dir() and p.name != "core"}
    for path, rel in _modules():
        if rel.parts[0] != "core":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("apps."):
                target = (node.module or "").split(".")[1]
                assert target not in domain, f"{rel} imports {node.module}"
