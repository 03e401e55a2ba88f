"""Full-text search on both databases.

PostgreSQL: ``SearchVector`` / ``SearchQuery`` (websearch syntax, English stemming) ranked by
``SearchRank``. SQLite: an FTS5 table per index (Porter stemming) ranked by ``bm25``. If FTS5
is missing from the SQLite build, search degrades to case-insensitive containment on every
word, and ``is_degraded()`` says so, so pages can tell the user.

An index names a model and its text fields with weights; the SQLite side keeps a shadow FTS5
table that services refresh with ``reindex`` (whole index) or ``update`` (some rows). The
FTS5 table is created by the owning app's migration:

    CREATE VIRTUAL TABLE <table> USING fts5(obj_id UNINDEXED, <field>, …,
                                            tokenize = 'porter unicode61')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import reduce

from django.db import connection
from django.db.models import Q, QuerySet

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchIndex:
    table: str  # the FTS5 table name on SQLite
    model_label: str  # "app_label.ModelName"
    fields: tuple[tuple[str, str], ...]  # (field name, weight "A"…"D"), most important first

    @property
    def model(self):
        from django.apps import apps

        return apps.get_model(self.model_label)

    # --- keeping the SQLite shadow table current ------------------------------------------
    def reindex(self, queryset: QuerySet | None = None) -> None:
        """Replace the whole index with the rows of ``queryset`` (default: every row)."""
        if not _uses_fts5():
            return
        qs = queryset if queryset is not None else self.model.objects.all()
        rows = qs.values_list("pk", *[name for name, _ in self.fields])
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table}")
            self._insert(cursor, rows)

    def update(self, objects) -> None:
        """Refresh the given rows (a queryset or a list of instances); deleted ones vanish."""
        if not _uses_fts5():
            return
        objects = list(objects)
        ids = [o.pk for o in objects]
        with connection.cursor() as cursor:
            for pk in ids:
                cursor.execute(f"DELETE FROM {self.table} WHERE obj_id = %s", [pk])
            self._insert(cursor, [(o.pk, *[getattr(o, n) for n, _ in self.fields])
                                  for o in objects])

    def remove(self, pks) -> None:
        if not _uses_fts5():
            return
        with connection.cursor() as cursor:
            for pk in pks:
                cursor.execute(f"DELETE FROM {self.table} WHERE obj_id = %s", [pk])

    def _insert(self, cursor, rows) -> None:
        cols = ", ".join(["obj_id", *[name for name, _ in self.fields]])
        marks = ", ".join(["%s"] * (len(self.fields) + 1))
        cursor.executemany(f"INSERT INTO {self.table} ({cols}) VALUES ({marks})",
                           [[r[0], *[v or "" for v in r[1:]]] for r in rows])

    # --- querying -------------------------------------------------------------------------
    def search(self, queryset: QuerySet, query: str) -> list:
        """Objects of ``queryset`` matching ``query``, best first. An empty query matches
        nothing."""
        words = _WORD.findall(query or "")
        if not words:
            return []
        if connection.vendor == "postgresql":
            return list(self._search_postgres(queryset, query))
        if _uses_fts5():
            return self._search_fts5(queryset, words)
        return self._search_contains(queryset, words)

    def _search_postgres(self, queryset, query):
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = reduce(lambda a, b: a + b, [
            SearchVector(name, weight=weight, config="english") for name, weight in self.fields])
        sq = SearchQuery(query, search_type="websearch", config="english")
        return (queryset.annotate(search=vector).filter(search=sq)
                .annotate(rank=SearchRank(vector, sq)).order_by("-rank", "pk"))

    def _search_fts5(self, queryset, words):
        weights = {"A": 10.0, "B": 4.0, "C": 2.0, "D": 1.0}
        bm25_weights = ", ".join(["0"] + [str(weights[w]) for _, w in self.fields])
        match = " ".join('"' + w.replace('"', "") + '"' for w in words)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT obj_id, bm25({self.table}, {bm25_weights}) FROM {self.table}"
                           f" WHERE {self.table} MATCH %s", [match])
            ranks = {int(pk): rank for pk, rank in cursor.fetchall()}
        objects = list(queryset.filter(pk__in=list(ranks)))
        objects.sort(key=lambda o: (ranks[o.pk], o.pk))  # bm25: lower is better
        for o in objects:
            o.rank = -ranks[o.pk]
        return objects

    def _search_contains(self, queryset, words):
        cond = Q()
        for word in words:
            cond &= reduce(lambda a, b: a | b,
                           [Q(**{f"{name}__icontains": word}) for name, _ in self.fields])
        return list(queryset.filter(cond).order_by("pk"))


def _uses_fts5() -> bool:
    return connection.vendor == "sqlite" and _fts5_available()


_FTS5: dict[str, bool] = {}


def _fts5_available() -> bool:
    key = "fts5"
    if key not in _FTS5:
        try:
            with connection.cursor() as cursor:
                cursor.execute("CREATE VIRTUAL TABLE temp.pr_fts5_probe USING fts5(x)")
                cursor.execute("DROP TABLE temp.pr_fts5_probe")
            _FTS5[key] = True
        except Exception:  # noqa: BLE001 - any failure means no FTS5
            _FTS5[key] = False
    return _FTS5[key]


def is_degraded() -> bool:
    """True when search falls back to simple matching (SQLite built without FTS5)."""
    return connection.vendor == "sqlite" and not _fts5_available()
