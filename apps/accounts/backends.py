from django.contrib import admin

# Only our own apps' models are managed in the Django admin.
ADMIN_APPS = {"schools", "partnerships", "frameworks", "accounts", "core"}
ADMIN_ACTIONS = ("view", "add", "change", "delete")


def _admin_model_perms() -> set[str]:
    return {f"{m._meta.app_label}.{action}_{m._meta.model_name}"
            for m in admin.site._registry if m._meta.app_label in ADMIN_APPS
            for action in ADMIN_ACTIONS}


class CoreTeamAdminBackend:
    """Gives the core team the Django admin's model permissions for our own models, and
    nothing else: object-level rules live in each app's ``rules.py``, and models of other
    packages (authenticators, OAuth tokens, task results) are not in the admin at all.
    What each admin page may change is limited further in each app's ``admin.py``."""

    def authenticate(self, request, **credentials):
        return None

    def _core(self, user) -> bool:
        from apps.accounts.roles import is_core_team

        return bool(user and user.is_active and is_core_team(user))

    def has_perm(self, user, perm, obj=None) -> bool:
        # The role first: it is read from the per-request cache, while the admin's list of
        # permissions is built on each call (the navigation asks several on every page).
        return obj is None and self._core(user) and perm in _admin_model_perms()

    def has_module_perms(self, user, app_label) -> bool:
        return app_label in ADMIN_APPS and self._core(user)
