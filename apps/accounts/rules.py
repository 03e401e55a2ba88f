"""Who may manage people and use the programme's own tools. The role helpers these are built
from are in ``roles.py``; every permission is listed in ``docs/permissions.md``."""

import rules

from .roles import is_core_team, leads_any_partnership

# The programme's own tools. Defined here, not in ``core``: the foundation knows no roles.
rules.add_perm("core.view_audit_log", is_core_team)
rules.add_perm("core.use_admin", is_core_team)

# People and roles (the pages are in ``apps.people``; invitations' scope is decided there).
rules.add_perm("accounts.manage_people", is_core_team | leads_any_partnership)
rules.add_perm("accounts.grant_programme_roles", is_core_team)
rules.add_perm("accounts.set_training_dates", is_core_team)
rules.add_perm("accounts.change_sign_in_email", is_core_team)
