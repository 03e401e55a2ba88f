import json
import logging
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _policy(response) -> dict:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in header.split("; ")}


def test_pages_carry_a_strict_policy_with_the_inline_scripts_nonce(client, world):
    client.force_login(world.people["head"])
    response = client.get(reverse("home"))
    policy = _policy(response)
    nonce = re.search(r"<script nonce=\"([^\"]+)\">", response.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in policy["script-src"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert policy["style-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["report-uri"] == ["/csp-report"]
    again = client.get(reverse("home"))
    assert nonce not in again.content.decode()  # a fresh nonce every response


def test_no_template_has_an_inline_script_without_the_nonce_or_an_inline_style():
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    offending = []
    for path in [*root.glob("templates/**/*.html"), *root.glob("apps/*/templates/**/*.html")]:
        if path.name.endswith(("_pdf.html", "_email.html")) or "email" in path.parent.name:
            continue  # PDFs and emails are not pages a browser loads from us
        text = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and "application/json" not in tag and "nonce=" not in tag:
                offending.append(f"{path.relative_to(root)}: {tag}")
        if re.search(r"\sstyle=\"|<style\b", text):
            offending.append(f"{path.relative_to(root)}: inline style")
    assert not offending, offending


def test_violation_reports_are_logged_without_query_strings(client, caplog):
    report = {"csp-report": {
        "document-uri": "https://peer-review.example/reviews/7/?token=s3cret#x",
        "blocked-uri": "inline", "violated-directive": "script-src-elem",
        "original-policy": "default-src 'self'", "script-sample": "alert(1)"}}
    with caplog.at_level(logging.WARNING, logger="peerreview.csp"):
        response = client.post(reverse("csp_report"), json.dumps(report),
                               content_type="application/csp-report")
    assert response.status_code == 204
    record = next(r for r in caplog.records if r.name == "peerreview.csp")
    assert record.csp == {"document-uri": "https://peer-review.example/reviews/7/",
                          "blocked-uri": "inline", "violated-directive": "script-src-elem"}


def test_bad_or_oversized_reports_are_refused(client, caplog):
    url = reverse("csp_report")
    assert client.post(url, "not json", content_type="application/csp-report"
                       ).status_code == 400
    assert client.post(url, "x" * 20000, content_type="application/csp-report"
                       ).status_code == 413
    assert client.post(url, "[1]", content_type="application/json").status_code == 204
    assert client.post(url, {"a": "form"}).status_code == 204
    assert not [r for r in caplog.records if r.name == "peerreview.csp"]
