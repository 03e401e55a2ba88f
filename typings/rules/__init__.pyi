# Local types for django-rules 3.5 (see predicates.pyi); mypy reads these instead of the
# package's own annotations (mypy_path in pyproject.toml).
from .permissions import add_perm as add_perm
from .permissions import has_perm as has_perm
from .permissions import perm_exists as perm_exists
from .permissions import remove_perm as remove_perm
from .permissions import set_perm as set_perm
from .predicates import Predicate as Predicate
from .predicates import always_allow as always_allow
from .predicates import always_deny as always_deny
from .predicates import always_false as always_false
from .predicates import always_true as always_true
from .predicates import is_active as is_active
from .predicates import is_authenticated as is_authenticated
from .predicates import is_group_member as is_group_member
from .predicates import is_staff as is_staff
from .predicates import is_superuser as is_superuser
from .predicates import predicate as predicate
from .rulesets import RuleSet as RuleSet
from .rulesets import add_rule as add_rule
from .rulesets import remove_rule as remove_rule
from .rulesets import rule_exists as rule_exists
from .rulesets import set_rule as set_rule
from .rulesets import test_rule as test_rule

VERSION: tuple[int, int, int, str, int]
