"""The production lock is the development lock without the development tools."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)", re.M)
DEV_TOOLS = {"pytest", "pytest-django", "playwright", "axe-playwright-python", "ruff",
             "hypothesis", "factory-boy", "faker"}


def _pins(name: str) -> dict[str, str]:
    return {k.lower(): v for k, v in PIN.findall((ROOT / "requirements" / name).read_text())}


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~ ;]", requirement, maxsplit=1)[0].lower()


def test_production_takes_the_development_versions_and_no_tools():
    production, development = _pins("production.txt"), _pins("lock.txt")
    assert {k: v for k, v in production.items() if development.get(k) != v} == {}
    assert not DEV_TOOLS & set(production)
    assert DEV_TOOLS <= set(development)


def test_every_runtime_dependency_is_in_the_production_lock():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = {_name(r) for r in project["dependencies"]}
    assert runtime - set(_pins("production.txt")) == set()
    for line in (ROOT / "requirements" / "production.txt").read_text().splitlines():
        if PIN.match(line):
            assert line.rstrip().endswith("\\"), f"{line} has no hashes"
