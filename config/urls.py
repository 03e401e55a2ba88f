from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from apps.core import views as core_views

from .api import api

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
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("schools/", include("apps.schools.urls")),
    path("partnerships/", include("apps.partnerships.urls")),
    path("", include("apps.accounts.urls")),
    path("", include("apps.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/", include((api_patterns, api_app), namespace=api_namespace)),
]
