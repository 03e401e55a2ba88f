"""The typed-share ratchet (scripts/typed_share.py): the share of fully annotated functions in
apps/ never falls below the floor in tests/typed_share.txt, and says how to fix or raise it."""

import importlib.util
import sys
from pathlib import Path

spec = importlib.util.spec_from_file_location(
    "typed_share", Path(__file__).resolve().parents[1] / "scripts" / "typed_share.py")
assert spec is not None and spec.loader is not None
typed_share = importlib.util.module_from_spec(spec)
sys.modules["typed_share"] = typed_share  # dataclasses and type aliases look themselves up
spec.loader.exec_module(typed_share)


def test_the_share_of_typed_functions_holds_the_floor():
    typed, total, _missing = typed_share.measure(typed_share.source_files())
    share = typed_share.percent(typed, total)
    ok, message = typed_share.verdict(share, typed_share.read_floor(), typed, total)
    assert ok, message


def test_what_counts_as_fully_annotated():
    source = '''
def typed(a: int, *args: str, b: int = 0, **kw: object) -> int: ...
def no_return(a: int): ...
def bare_param(a) -> None: ...
def untyped_varargs(*args) -> None: ...
def nothing() -> None: ...
def _untyped(): ...
async def fetch(url: str) -> bytes: ...
class Thing:
    def __init__(self, name: str): ...
    def method(self, x: int) -> int: ...
    def half(self, x) -> int: ...
    @classmethod
    def make(cls) -> "Thing": ...
    @staticmethod
    def helper(x: int) -> int: ...
    @staticmethod
    def bare(x) -> int: ...
    def outer(self) -> None:
        def inner(y): ...
'''
    total, missing = typed_share.untyped_functions(source, "x.py")
    names = [m.split()[1] for m in missing]
    assert total == 15
    assert names == ["no_return", "bare_param", "untyped_varargs", "_untyped", "half", "bare",
                     "inner"]


def test_an_unannotated_function_can_make_it_fail(tmp_path):
    app = tmp_path / "apps" / "things"
    (app / "migrations").mkdir(parents=True)
    (app / "tests").mkdir()
    (app / "services.py").write_text("def done(a: int) -> int:\n    return a\n")
    # Neither migrations nor tests count.
    (app / "migrations" / "0001_initial.py").write_text("def forwards(apps, schema): ...\n")
    (app / "tests" / "test_things.py").write_text("def test_it(db): ...\n")
    files = typed_share.source_files(tmp_path / "apps")
    typed, total, _ = typed_share.measure(files, tmp_path)
    assert (typed, total) == (1, 1)
    floor = typed_share.percent(typed, total)
    assert typed_share.verdict(floor, floor, typed, total)[0]

    (app / "views.py").write_text("def page(request, pk):\n    return pk\n")
    typed, total, missing = typed_share.measure(typed_share.source_files(tmp_path / "apps"),
                                                tmp_path)
    assert (typed, total) == (1, 2)
    assert missing == ["apps/things/views.py:1 page"]
    ok, message = typed_share.verdict(typed_share.percent(typed, total), floor, typed, total)
    assert not ok
    assert "fell" in message and "--list" in message


def test_a_rising_share_says_how_to_raise_the_floor():
    ok, message = typed_share.verdict(75.0, 60.0, 3, 4)
    assert ok and "--update" in message and "tests/typed_share.txt" in message


def test_the_share_is_rounded_down():
    assert typed_share.percent(2, 3) == 66.66
    assert typed_share.percent(0, 0) == 100.0
