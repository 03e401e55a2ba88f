"""Schools register: organisational data published by the DfE, readable when signed in."""

import rules

from apps.accounts.roles import is_core_team, is_signed_in

rules.add_perm("schools.view_directory", is_signed_in)
rules.add_perm("schools.view_school", is_signed_in)
rules.add_perm("schools.import_register", is_core_team)
