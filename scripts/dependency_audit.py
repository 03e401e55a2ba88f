#!/usr/bin/env python3
"""Known vulnerabilities in our pinned dependencies (CI, `.ci/run`).

Python: pip-audit against requirements/lock.txt (the exact pins and hashes), using PyPI's
vulnerability data (or OSV). JavaScript: `npm audit` against package-lock.json. Either fails
CI on any known vulnerability that is not in `.ci/audit-ignore.txt`.

If a vulnerability database cannot be reached from here (CI may see only package mirrors),
that half is SKIPPED with a clear message instead of failing or passing silently.

`.ci/audit-ignore.txt`, one reviewed exception a line:

    <advisory id>  <review again by YYYY-MM-DD>  <why it does not affect us, who decided>

e.g. `GHSA-xxxx-xxxx-xxxx  2027-03-01  only the CLI is affected; we import the library (AB)`.
An entry past its date fails the audit until someone reviews it again."""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IGNORE_FILE = ROOT / ".ci" / "audit-ignore.txt"
LOCK = ROOT / "requirements" / "lock.txt"
PIP_AUDIT_VERSION = "2.10.1"
OSV_PROBE = "https://api.osv.dev/v1/vulns/PYSEC-2023-100"


def probes() -> dict:
    """The address each vulnerability service is asked for our first pinned package."""
    import re

    pin = re.search(r"^([\w.-]+)==([\w.+-]+)", LOCK.read_text(), re.M)
    assert pin is not None, f"no pinned package in {LOCK}"
    name, version = pin.groups()
    return {"pypi": f"https://pypi.org/pypi/{name}/{version}/json", "osv": OSV_PROBE}


def ignored(today=None) -> tuple[dict, list[str]]:
    """{advisory id: reason} and the problems with the file (expired or malformed lines)."""
    today = today or datetime.datetime.now(datetime.UTC).date()
    entries: dict[str, str] = {}
    problems: list[str] = []
    if not IGNORE_FILE.exists():
        return entries, problems
    for number, line in enumerate(IGNORE_FILE.read_text().splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split(None, 2)
        try:
            until = datetime.date.fromisoformat(parts[1])
            reason = parts[2]
        except (IndexError, ValueError):
            problems.append(f"{IGNORE_FILE.name}:{number}: needs '<id> <YYYY-MM-DD> <reason>'")
            continue
        if until < today:
            problems.append(f"{IGNORE_FILE.name}:{number}: {parts[0]} was to be reviewed again "
                            f"by {until}: review it and move the date, or remove it")
        entries[parts[0]] = reason
    return entries, problems


def reachable(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status == 200
    except Exception:  # noqa: BLE001 - any failure means we cannot use it
        return False


def pip_audit_command() -> list[str]:
    if os.environ.get("PIP_AUDIT"):
        return os.environ["PIP_AUDIT"].split()
    venv = Path(tempfile.gettempdir()) / f"peerreview-pip-audit-{PIP_AUDIT_VERSION}"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet",
                        f"pip-audit=={PIP_AUDIT_VERSION}"], check=True)
    return [str(python), "-m", "pip_audit"]


def audit_python(ignore: dict) -> str:
    urls = probes()
    service = next((name for name, url in urls.items() if reachable(url)), None)
    if service is None:
        return ("SKIPPED: Python dependencies not audited: neither PyPI's vulnerability data "
                f"({urls['pypi']}) nor OSV ({urls['osv']}) can be reached from here")
    command = [*pip_audit_command(), "-r", str(LOCK), "--no-deps", "--disable-pip",
               "--strict", "--progress-spinner", "off", "-s", service, "-f", "json"]
    for advisory in ignore:
        command += ["--ignore-vuln", advisory]
    result = subprocess.run(command, capture_output=True, text=True)
    try:
        found = json.loads(result.stdout)
    except ValueError:
        raise SystemExit(f"pip-audit failed:\n{result.stderr}") from None
    problems = [f"{d['name']} {d['version']}: {v['id']} (fixed in "
                f"{', '.join(v.get('fix_versions') or ['no release yet'])})"
                for d in found.get("dependencies", []) for v in d.get("vulns", [])]
    if problems or result.returncode:
        raise SystemExit("Known vulnerabilities in requirements/lock.txt:\n  "
                         + "\n  ".join(problems or [result.stderr.strip()]))
    return f"OK: no known vulnerabilities in requirements/lock.txt ({service})"


def audit_javascript(ignore: dict) -> str:
    if not shutil.which("npm"):
        return "SKIPPED: npm is not installed"
    result = subprocess.run(["npm", "audit", "--package-lock-only", "--json"], cwd=ROOT,
                            capture_output=True, text=True)
    try:
        report = json.loads(result.stdout or "{}")
    except ValueError:
        report = {}
    if "vulnerabilities" not in report:
        reason = report.get("message") or result.stderr.strip().splitlines()[-1:] or ["?"]
        return ("SKIPPED: JavaScript dependencies not audited: npm's audit service cannot be "
                f"reached from here ({reason if isinstance(reason, str) else reason[0]})")
    problems = []
    for name, vulnerability in report["vulnerabilities"].items():
        for via in vulnerability.get("via", []):
            if isinstance(via, dict):
                advisory = via.get("url", "").rsplit("/", 1)[-1] or str(via.get("source"))
                if advisory not in ignore:
                    problems.append(f"{name}: {advisory} {via.get('title', '')} "
                                    f"({via.get('severity', '?')})")
    if problems:
        raise SystemExit("Known vulnerabilities in package-lock.json:\n  "
                         + "\n  ".join(sorted(set(problems))))
    return "OK: no known vulnerabilities in package-lock.json"


def main() -> None:
    ignore, problems = ignored()
    if problems:
        raise SystemExit("\n".join(problems))
    print(audit_python(ignore))
    print(audit_javascript(ignore))


if __name__ == "__main__":
    main()
