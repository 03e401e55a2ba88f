"""What every page of one review shows around its own content: the review's header and the
links to its sections (``reviews/review_base.html``), for the review pages and the
improvement pages alike."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The workshop and the action plan open once the report is agreed.
AFTER_REPORT = ("report_agreed", "acting", "closed")


def review_navigation(request, review, section: str) -> dict:
    """The review, the section this page belongs to, what this person may open
    (``can_view_*``, which some pages use as well) and the section links
    (``review_sections``: each with its label, address and whether it is this page)."""
    user = request.user
    can = {"can_view_content": user.has_perm("reviews.view_content", review),
           "can_view_report": user.has_perm("reviews.view_report", review),
           "can_view_plan": user.has_perm("improvement.view_plan", review),
           "can_view_workshop": user.has_perm("improvement.view_workshop", review),
           "can_view_sharing": user.has_perm("reviews.view_disclosures", review)}
    after_report = review.status in AFTER_REPORT
    links = [
        ("overview", _("Overview"), "reviews:detail", True),
        ("team", _("Team"), "reviews:team", True),
        ("self_review", _("Self-review"), "reviews:self_review", can["can_view_content"]),
        ("enquiry", _("Enquiry"), "reviews:enquiry", can["can_view_content"]),
        ("visit_plan", _("Visit plan"), "reviews:plan", can["can_view_content"]),
        ("evidence", _("Evidence"), "reviews:evidence", can["can_view_content"]),
        ("findings", _("Findings"), "reviews:findings", can["can_view_content"]),
        ("report", _("Report"), "reviews:report", can["can_view_report"]),
        ("workshop", _("Workshop"), "improvement:workshop",
         can["can_view_workshop"] and after_report),
        ("plan", _("Action plan"), "improvement:plan", can["can_view_plan"] and after_report),
    ]
    return {"review": review, "section": section, **can,
            "review_sections": [{"label": label, "url": reverse(name, args=[review.pk]),
                                 "current": key == section}
                                for key, label, name, shown in links if shown]}
