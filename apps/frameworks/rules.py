"""Enquiry frameworks: published versions are for everyone signed in; drafts for the core team.
A school's shortlist of questions is its own."""

import rules

from apps.accounts.roles import (
    has_school_role,
    is_core_team,
    is_signed_in,
    leads_school,
    works_at_school,
)

rules.add_perm("frameworks.view_frameworks", is_signed_in)
rules.add_perm("frameworks.edit_frameworks", is_core_team)
rules.add_perm("frameworks.use_shortlist", has_school_role)
rules.add_perm("frameworks.view_shortlist", is_core_team | works_at_school)
rules.add_perm("frameworks.change_shortlist", leads_school)
