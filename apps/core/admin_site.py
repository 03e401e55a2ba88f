"""The Django admin for the core team: our models only, sign-in through allauth (so two-factor
authentication and rate limits apply), and no editing of what must be audited."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.urls import reverse


def harden_admin() -> None:
    keep = {"schools", "partnerships", "frameworks", "accounts", "core"}
    for model in list(admin.site._registry):
        if model._meta.app_label not in keep:
            admin.site.unregister(model)

    @login_not_required
    def login(request, extra_context=None):
        return redirect(f"{reverse('account_login')}?next={reverse('admin:index')}")

    admin.site.login = login  # type: ignore[method-assign]  # signing in is allauth's
