import rules

from apps.accounts.roles import is_core_team

# Erasing a person is for the programme's core team only (they answer erasure requests).
rules.add_perm("privacy.erase_person", is_core_team)
