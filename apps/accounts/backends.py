class CoreTeamAdminBackend:
    """Gives the core team the Django admin's model permissions (view/add/change/delete).

    Object-level rules for the rest of the platform live in ``apps.core.policy``; this backend
    answers only model-level questions (``obj is None``) of the admin's form
    ``<app_label>.<action>_<model>``.
    """

    ADMIN_ACTIONS = ("view_", "add_", "change_", "delete_")

    def authenticate(self, request, **credentials):
        return None

    def _core(self, user) -> bool:
        from apps.core.policy import is_core_team

        return bool(user and user.is_active and is_core_team(user))

    def has_perm(self, user, perm, obj=None) -> bool:
        if obj is not None or "." not in perm:
            return False
        action = perm.split(".", 1)[1]
        return action.startswith(self.ADMIN_ACTIONS) and self._core(user)

    def has_module_perms(self, user, app_label) -> bool:
        return self._core(user)
