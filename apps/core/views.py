import json
import logging
import time as clock
from datetime import datetime, time
from urllib.parse import urlsplit

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST, require_safe

from .audit import shown_details
from .audit_words import action_words, object_type_words
from .models import AuditEvent


def email_change_disabled(request):
    raise Http404("Email addresses are changed by the programme team")


# Reading every migration file to build the plan costs tens of milliseconds: a worker that
# found everything applied trusts that for a minute (a release restarts the workers), while
# the database is asked on every check.
MIGRATIONS_TRUSTED_FOR = 60.0
_migrations_ok_at = -MIGRATIONS_TRUSTED_FOR


def _migrations_check() -> str:
    global _migrations_ok_at
    if clock.monotonic() - _migrations_ok_at < MIGRATIONS_TRUSTED_FOR:
        return "ok"
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        return f"{len(pending)} not applied"
    _migrations_ok_at = clock.monotonic()
    return "ok"


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Load-balancer check: the database answers and every migration is applied."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
        checks["migrations"] = _migrations_check()
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        checks.setdefault("database", f"error: {exc.__class__.__name__}")
    healthy = all(v == "ok" for v in checks.values()) and len(checks) == 2
    return JsonResponse({"status": "ok" if healthy else "unhealthy", "checks": checks},
                        status=200 if healthy else 503)


csp_logger = logging.getLogger("peerreview.csp")
CSP_REPORT_MAX_BYTES = 16 * 1024
_CSP_FIELDS = ("document-uri", "blocked-uri", "violated-directive", "effective-directive",
               "source-file", "line-number", "column-number", "disposition", "status-code")


def _without_query(value):
    """Addresses in a report lose their query string and fragment (they may hold secrets)."""
    if isinstance(value, str) and "://" in value:
        parts = urlsplit(value)
        return f"{parts.scheme}://{parts.netloc}{parts.path}"
    return value


@login_not_required
@csrf_exempt  # browsers send reports without a CSRF token; nothing is changed here
@require_POST
def csp_report(request):
    """Where browsers report Content Security Policy violations: one warning line in the
    log a report (known fields only, addresses without query strings). Always 204."""
    if int(request.headers.get("Content-Length") or 0) > CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    if request.content_type not in ("application/csp-report", "application/json"):
        return HttpResponse(status=204)  # not a report: nothing to log
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return HttpResponse(status=400)
    report = body.get("csp-report") if isinstance(body, dict) else None
    if isinstance(report, dict):
        csp_logger.warning("csp.violation", extra={"csp": {
            key: _without_query(report[key]) for key in _CSP_FIELDS if key in report}})
    return HttpResponse(status=204)


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Person or object"), required=False,
                        help_text=_("For example an email address or a school name"))
    action = forms.ChoiceField(label=pgettext_lazy("audit log", "Action"), required=False)
    date_from = forms.DateField(label=pgettext_lazy("audit log", "From"), required=False,
                                widget=forms.DateInput(attrs={"type": "date",
                                                              "class": "govuk-input--width-10"}))
    date_to = forms.DateField(label=pgettext_lazy("audit log", "To"), required=False,
                              widget=forms.DateInput(attrs={"type": "date",
                                                            "class": "govuk-input--width-10"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        actions = AuditEvent.objects.order_by("action").values_list("action", flat=True)
        self.fields["action"].choices = [("", _("Any action"))] + sorted(
            ((a, action_words(a)) for a in actions.distinct()), key=lambda c: c[1])

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date must be the same as or after the start "
                                        "date"))
        return data


@require_safe
def audit_log(request):
    if not request.user.has_perm("core.view_audit_log"):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.select_related("actor")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            from django.db.models import Q

            q = data["q"].strip()
            # actions by their words as the page shows them, or by their codes
            named = [a for a in AuditEvent.objects.values_list("action", flat=True).distinct()
                     if q.lower() in action_words(a).lower()]
            events = events.filter(Q(actor_label__icontains=q) | Q(object_label__icontains=q)
                                   | Q(action__icontains=q) | Q(action__in=named)
                                   | Q(object_id=q))
        if data["action"]:
            events = events.filter(action=data["action"])
        tz = timezone.get_current_timezone()
        if data["date_from"]:
            events = events.filter(created_at__gte=datetime.combine(data["date_from"], time.min,
                                                                    tzinfo=tz))
        if data["date_to"]:
            events = events.filter(created_at__lte=datetime.combine(data["date_to"], time.max,
                                                                    tzinfo=tz))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    for event in page:
        # pairs, not a dict: a detail named like a dict method ("items") must not shadow it
        event.shown_details = list(shown_details(event).items())
        event.action_words = action_words(event.action)
        event.object_type_words = object_type_words(event.object_type)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/audit_log.html",
                  {"form": form, "page": page, "query": query.urlencode()})
