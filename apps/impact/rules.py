"""Impact and evaluation. Outcomes are imported by the core team; analyses are defined and
read by the core team and evaluators (who see pseudonymised, suppressed data only and never a
review's content). Fidelity: the core team, evaluators and associates see every partnership; a
partnership lead sees their own."""

import rules

from apps.accounts.roles import (
    is_any_associate,
    is_core_team,
    is_evaluator,
    leads_any_partnership,
    leads_partnership,
)

rules.add_perm("impact.import_outcomes", is_core_team)
rules.add_perm("impact.run_analyses", is_core_team | is_evaluator)
rules.add_perm("impact.export", is_core_team | is_evaluator)
rules.add_perm("impact.view_all_fidelity", is_core_team | is_evaluator | is_any_associate)
rules.add_perm("impact.view_fidelity", is_core_team | is_evaluator | is_any_associate
               | leads_partnership)
rules.add_perm("impact.list_fidelity", is_core_team | is_evaluator | is_any_associate
               | leads_any_partnership)
rules.add_perm("impact.manage_surveys", is_core_team)
# Survey results are suppressed for small groups whoever reads them.
rules.add_perm("impact.view_survey_results", is_core_team | is_evaluator | is_any_associate)
rules.add_perm("impact.view_commissioner_report", is_core_team | is_evaluator | is_any_associate)
