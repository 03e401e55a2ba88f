"""Who may read and answer enquiries from schools new to the programme: the core team."""

import rules

from apps.accounts.roles import is_core_team

rules.add_perm("home.manage_enquiries", is_core_team)
