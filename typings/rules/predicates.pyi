# Types for django-rules' predicates (the package ships py.typed but leaves ``predicate``
# untyped, so every decorated rule would be ``Any``). A ``Predicate`` keeps the parameters
# and return type of the function it wraps; combinations (``|``, ``&``, ``^``, ``~``) are
# called with the arguments of the rule set (user, then the object).
from collections.abc import Callable
from typing import Any, Generic, ParamSpec, TypeVar, overload

_P = ParamSpec("_P")
_R = TypeVar("_R", covariant=True)
_R2 = TypeVar("_R2")

class Context(dict[str, Any]):
    args: tuple[Any, ...]
    def __init__(self, args: tuple[Any, ...]) -> None: ...

class Predicate(Generic[_P, _R]):
    fn: Callable[..., Any]
    num_args: int
    var_args: bool
    name: str
    bind: bool
    def __init__(self, fn: Predicate[_P, _R] | Callable[_P, _R], name: str | None = None,
                 bind: bool = False) -> None: ...
    def __call__(self, *args: _P.args, **kwargs: _P.kwargs) -> _R: ...
    @property
    def context(self) -> Context | None: ...
    def test(self, obj: Any = ..., target: Any = ...) -> bool: ...
    def __and__(self, other: Predicate[..., _R2]) -> Predicate[..., _R | _R2]: ...
    def __or__(self, other: Predicate[..., _R2]) -> Predicate[..., _R | _R2]: ...
    def __xor__(self, other: Predicate[..., _R2]) -> Predicate[..., _R | _R2]: ...
    def __invert__(self) -> Predicate[..., _R]: ...

@overload
def predicate(fn: Callable[_P, _R2], name: str | None = None, *,
              bind: bool = False) -> Predicate[_P, _R2]: ...
@overload
def predicate(fn: str | None = None, name: str | None = None, *,
              bind: bool = False) -> Callable[[Callable[_P, _R2]], Predicate[_P, _R2]]: ...

always_true: Predicate[[], bool]
always_false: Predicate[[], bool]
always_allow: Predicate[[], bool]
always_deny: Predicate[[], bool]
is_authenticated: Predicate[[Any], bool]
is_superuser: Predicate[[Any], bool]
is_staff: Predicate[[Any], bool]
is_active: Predicate[[Any], bool]

def is_group_member(*groups: str) -> Predicate[[Any], bool]: ...
