"""The review-team optimiser: the partnership lead (or the core team, also for
cross-partnership pools) proposes and publishes the teams of a cycle. Everyone keeps their own
reviewing preferences."""

import rules

from apps.accounts.roles import is_core_team
from apps.reviews.rules import leads_cycle_partnership

rules.add_perm("allocation.propose", is_core_team | leads_cycle_partnership)


