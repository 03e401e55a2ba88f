"""Reads about schools, one function per question, shared by pages and the API."""

import re
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, QuerySet

from .models import School


def school_search(text: str) -> Q:
    """Every word must match the name or town (ignoring apostrophes and full stops), or the
    whole text is a URN or a postcode (with or without its space)."""
    text = text.strip()
    compact = text.replace(" ", "").upper()
    cond = Q()
    for word in re.findall(r"[\w-]+", text.replace("'", "").replace("’", "")):
        cond &= (Q(name__icontains=word) | Q(town__icontains=word)
                 | Q(name__icontains=f"{word[:-1]}'{word[-1]}")
                 | Q(name__icontains=f"{word[:-1]}’{word[-1]}"))
    alternatives = cond
    if 5 <= len(compact) <= 8 and compact.isalnum():
        postcode = f"{compact[:-3]} {compact[-3:]}"
        alternatives |= Q(postcode__iexact=postcode) | Q(postcode__istartswith=text)
    elif text:
        alternatives |= Q(postcode__istartswith=text)
    if text.isascii() and text.isdigit() and len(text) <= 10:
        alternatives |= Q(urn=int(text))
    return alternatives


def find_schools(*, q: str = "", la_code: str = "", phase: str = "",
                 fsm_band: tuple[float, float] | None = None,
                 status: str = "open") -> QuerySet[School]:
    """Schools in the register matching a search (``school_search``), local authority, phase,
    free-school-meals band (low inclusive, high exclusive) and status ("open", "closed" or
    anything else for both), in name order. The directory page and the API both use it."""
    schools = School.objects.all()
    if q:
        schools = schools.filter(school_search(q))
    if la_code:
        schools = schools.filter(la_code=la_code)
    if phase:
        schools = schools.filter(phase=phase)
    if fsm_band:
        low, high = fsm_band
        schools = schools.filter(percentage_fsm__gte=low, percentage_fsm__lt=high)
    if status == "open":
        schools = schools.open()
    elif status == "closed":
        schools = schools.exclude(pk__in=School.objects.open().values("pk"))
    return schools.order_by("name", "urn")


# What the whole register says in a few lines (the directory's filter lists, the core team's
# counts) changes only when schools are imported or edited, yet was read by scanning the
# register on every request. It is kept in the shared cache until the register changes
# (``register_changed``: after an import commits, and whenever a school row is saved or
# deleted one at a time), and for an hour at most, for writes that bypass both.
REGISTER_FACTS_KEY = "schools:register-facts"
REGISTER_FACTS_SECONDS = 3600


def register_facts() -> dict[str, Any]:
    """``la_choices`` [(code, name)] in name order, ``phases`` [phase] in order, ``total``
    schools and ``open_total`` open ones."""
    facts: dict[str, Any] | None = cache.get(REGISTER_FACTS_KEY)
    if facts is None:
        base = School.objects.all()
        facts = {
            "la_choices": list(base.exclude(la_code="").order_by("la_name")
                               .values_list("la_code", "la_name").distinct()),
            "phases": list(base.exclude(phase="").order_by("phase")
                           .values_list("phase", flat=True).distinct()),
            "total": base.count(),
            "open_total": base.open().count(),
        }
        cache.set(REGISTER_FACTS_KEY, facts, REGISTER_FACTS_SECONDS)
    return facts


def register_changed() -> None:
    """Forget the register's cached facts, now and once the current transaction commits (a
    request reading the register before the commit may put the old facts back)."""
    cache.delete(REGISTER_FACTS_KEY)
    transaction.on_commit(lambda: cache.delete(REGISTER_FACTS_KEY))
