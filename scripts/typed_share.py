"""The typed-share ratchet: the share of functions in apps/ with full type annotations may
rise, never fall.

A function counts as typed when every parameter (bar a method's ``self`` or ``cls``) and its
return are annotated (``__init__`` may leave out the return, as mypy allows). Migrations and
tests are not counted. The count reads the source with ``ast``: quick, and the same on every
machine. The floor lives in tests/typed_share.txt (a percentage).

    python scripts/typed_share.py            # check against the floor (make lint, make test)
    python scripts/typed_share.py --list     # the functions still without full annotations
    python scripts/typed_share.py --update   # raise the floor to today's share

See docs/adr/0007-types-and-complexity.md.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ROOT / "apps"
FLOOR_FILE = ROOT / "tests" / "typed_share.txt"

Function = ast.FunctionDef | ast.AsyncFunctionDef


def counted(path: Path) -> bool:
    """Application code: not a migration, not a test."""
    parts = path.parts
    return not ("migrations" in parts or "tests" in parts or path.name.startswith("test_")
                or path.name == "conftest.py")


def source_files(root: Path = APPS) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if counted(p.relative_to(root)))


def _functions(tree: ast.AST) -> Iterator[tuple[Function, bool]]:
    """Every function in ``tree``, with whether it is a method (defined in a class body)."""
    def walk(node: ast.AST, in_class: bool) -> Iterator[tuple[Function, bool]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                yield child, in_class
                yield from walk(child, False)
            else:
                yield from walk(child, isinstance(child, ast.ClassDef))

    return walk(tree, False)


def fully_annotated(fn: Function, is_method: bool) -> bool:
    args = fn.args
    params = [*args.posonlyargs, *args.args]
    if is_method and params and not _is_static(fn):
        params = params[1:]  # self or cls
    params += args.kwonlyargs
    params += [a for a in (args.vararg, args.kwarg) if a is not None]
    if any(p.annotation is None for p in params):
        return False
    return fn.returns is not None or (fn.name == "__init__" and bool(params))


def _is_static(fn: Function) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in fn.decorator_list)


def untyped_functions(source: str, filename: str = "<source>") -> tuple[int, list[str]]:
    """(how many functions ``source`` defines, "file:line name" of those not fully typed)."""
    tree = ast.parse(source, filename)
    total, missing = 0, []
    for fn, is_method in _functions(tree):
        total += 1
        if not fully_annotated(fn, is_method):
            missing.append(f"{filename}:{fn.lineno} {fn.name}")
    return total, missing


def measure(files: Iterable[Path], root: Path = ROOT) -> tuple[int, int, list[str]]:
    """(typed functions, all functions, the untyped ones) over ``files``."""
    total, missing = 0, []
    for path in files:
        n, untyped = untyped_functions(path.read_text(encoding="utf-8"),
                                       str(path.relative_to(root)))
        total += n
        missing += untyped
    return total - len(missing), total, missing


def percent(typed: int, total: int) -> float:
    """The share as a percentage, rounded down to two decimals (so a floor written from it is
    never above the share it was written from)."""
    return int(typed * 10_000 / total) / 100 if total else 100.0


def read_floor(path: Path = FLOOR_FILE) -> float:
    return float(path.read_text(encoding="utf-8").split()[0])


def verdict(share: float, floor: float, typed: int, total: int) -> tuple[bool, str]:
    """Whether the share holds the floor, and what to tell the developer."""
    summary = f"Typed share of apps/: {typed} of {total} functions fully annotated " \
              f"({share:.2f} %); the floor is {floor:.2f} %."
    if share < floor:
        return False, (
            f"{summary}\nThe share fell. Annotate the parameters and return of the functions "
            "you added or changed (python scripts/typed_share.py --list names those still "
            "without), so that it is back at the floor or above.")
    if share > floor:
        return True, (f"{summary}\nIt rose: raise the floor with "
                      "python scripts/typed_share.py --update and commit tests/typed_share.txt.")
    return True, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="list functions not fully typed")
    parser.add_argument("--update", action="store_true", help="raise the floor to the share")
    args = parser.parse_args(argv)
    typed, total, missing = measure(source_files())
    share = percent(typed, total)
    if args.list:
        print("\n".join(missing))
    floor = read_floor()
    if args.update:
        if share < floor:
            print(f"The share ({share:.2f} %) is below the floor ({floor:.2f} %): the floor "
                  "only rises.", file=sys.stderr)
            return 1
        FLOOR_FILE.write_text(f"{share:.2f}\n", encoding="utf-8")
        print(f"Floor raised to {share:.2f} % in {FLOOR_FILE.relative_to(ROOT)}.")
        return 0
    ok, message = verdict(share, floor, typed, total)
    print(message, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
