"""The CI dependency audit (scripts/dependency_audit.py): fails on a known vulnerability,
honours reviewed exceptions until their date, skips loudly when it cannot reach a database."""

import datetime
import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

spec = importlib.util.spec_from_file_location(
    "dependency_audit", Path(__file__).resolve().parents[1] / "scripts" / "dependency_audit.py")
assert spec is not None and spec.loader is not None
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)


def _fake_run(stdout, returncode=0):
    def run(command, **kwargs):
        return subprocess.CompletedProcess(command, returncode, stdout, "")
    return run


NPM_REPORT = {"vulnerabilities": {"left-pad": {"via": [
    {"source": 1, "url": "https://github.com/advisories/GHSA-aaaa-bbbb-cccc",
     "title": "Prototype pollution", "severity": "high"}, "other-package"]}}}


def test_npm_vulnerability_fails_unless_reviewed(monkeypatch):
    monkeypatch.setattr(audit.shutil, "which", lambda name: "/usr/bin/npm")
    monkeypatch.setattr(audit.subprocess, "run", _fake_run(json.dumps(NPM_REPORT), 1))
    with pytest.raises(SystemExit, match="left-pad: GHSA-aaaa-bbbb-cccc Prototype pollution"):
        audit.audit_javascript({})
    assert audit.audit_javascript({"GHSA-aaaa-bbbb-cccc": "reviewed"}).startswith("OK")


def test_npm_audit_unreachable_is_skipped_with_the_reason(monkeypatch):
    monkeypatch.setattr(audit.shutil, "which", lambda name: "/usr/bin/npm")
    monkeypatch.setattr(audit.subprocess, "run", _fake_run(json.dumps(
        {"message": "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/x"}), 1))
    assert audit.audit_javascript({}).startswith("SKIPPED: JavaScript dependencies not "
                                                 "audited: npm's audit service cannot be "
                                                 "reached from here (405 Method Not Allowed")


def test_python_vulnerability_fails_and_unreachable_is_skipped(monkeypatch):
    monkeypatch.setattr(audit, "reachable", lambda url: False)
    assert audit.audit_python({}).startswith("SKIPPED: Python dependencies not audited")
    monkeypatch.setattr(audit, "reachable", lambda url: "pypi.org" in url)
    monkeypatch.setenv("PIP_AUDIT", "pip-audit")
    found = {"dependencies": [{"name": "django", "version": "5.2.1", "vulns": [
        {"id": "PYSEC-2025-1", "fix_versions": ["5.2.2"]}]}]}
    monkeypatch.setattr(audit.subprocess, "run", _fake_run(json.dumps(found), 1))
    with pytest.raises(SystemExit, match="django 5.2.1: PYSEC-2025-1 \\(fixed in 5.2.2\\)"):
        audit.audit_python({})
    calls = []

    def run(command, **kwargs):
        calls.append(command)
        return subprocess.CompletedProcess(command, 0, json.dumps({"dependencies": []}), "")

    monkeypatch.setattr(audit.subprocess, "run", run)
    assert audit.audit_python({"PYSEC-2025-1": "reviewed"}) == \
        "OK: no known vulnerabilities in requirements/lock.txt (pypi)"
    assert calls[0][-2:] == ["--ignore-vuln", "PYSEC-2025-1"] and "--strict" in calls[0]


def test_ignore_file_needs_a_date_and_a_reason_and_expires(tmp_path, monkeypatch):
    ignore = tmp_path / "audit-ignore.txt"
    ignore.write_text("# comment\nGHSA-1  2027-01-31  only the CLI is affected (AB)\n"
                      "GHSA-2  2026-01-01  old decision\nGHSA-3\n")
    monkeypatch.setattr(audit, "IGNORE_FILE", ignore)
    entries, problems = audit.ignored(today=datetime.date(2026, 12, 7))
    assert entries == {"GHSA-1": "only the CLI is affected (AB)", "GHSA-2": "old decision"}
    assert len(problems) == 2 and "GHSA-2 was to be reviewed again by 2026-01-01" in problems[0]
    assert "needs '<id> <YYYY-MM-DD> <reason>'" in problems[1]
    monkeypatch.setattr(audit, "IGNORE_FILE", audit.ROOT / ".ci" / "audit-ignore.txt")
    assert audit.ignored() == ({}, [])  # the repository's file is valid
