from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from apps.core import views as core_views
from apps.core.admin_site import harden_admin
from apps.home import views as home_views

from .api import api

harden_admin()
admin.site.site_header = settings.PLATFORM_NAME
admin.site.site_title = settings.PLATFORM_NAME


def _public(patterns):
    """The API answers 401 itself (JSON) rather than redirecting to the sign-in page."""
    for p in patterns:
        if hasattr(p, "url_patterns"):
            _public(p.url_patterns)
        elif hasattr(p, "callback"):
            p.callback = login_not_required(p.callback)
    return patterns


api_patterns, api_app, api_namespace = api.urls
_public(api_patterns)

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("csp-report", core_views.csp_report, name="csp_report"),
    path("schools/", include("apps.home.urls")),
    path("", include("apps.home.enquiry_urls")),
    path("", include("apps.home.public_urls")),
    path("schools/", include("apps.schools.urls")),
    path("partnerships/", include("apps.partnerships.urls")),
    path("frameworks/", include("apps.frameworks.urls")),
    path("library/", include("apps.resources.urls")),
    path("alumni/", include("apps.alumni.urls")),
    path("reviews/", include("apps.reviews.urls")),
    path("improvement/", include("apps.improvement.urls")),
    path("support/", include("apps.support.urls")),
    path("allocation/", include("apps.allocation.urls")),
    path("training/", include("apps.training.urls")),
    path("community/", include("apps.community.urls")),
    path("impact/", include("apps.impact.urls")),
    path("delivery/", include("apps.delivery.urls")),
    path("privacy/", include("apps.privacy.urls")),
    path("people/", include("apps.people.urls")),
    path("", include("apps.notifications.urls")),
    path("", include("apps.accounts.urls")),
    path("", include("apps.core.urls")),
    # Sign-in addresses change only through the programme team: an unverified change would
    # let someone take over an address before its owner is invited.
    path("accounts/email/", core_views.email_change_disabled, name="account_email_disabled"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/", include((api_patterns, api_app), namespace=api_namespace)),
]
