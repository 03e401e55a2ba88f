"""Names for types that several layers share, for annotations only.

``AnyUser`` is whoever a request is for: a signed-in ``User`` or Django's ``AnonymousUser``.
The rules take either (an anonymous visitor is refused, never an error).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import TypeAlias

    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User

    AnyUser: TypeAlias = User | AnonymousUser
