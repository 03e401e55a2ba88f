"""The school search is served by trigram indexes on PostgreSQL (migration 0002)."""

import pytest
from django.db import connection

from apps.schools.models import School
from apps.schools.selectors import school_search

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql",
                                 reason="trigram indexes are PostgreSQL only; CI runs this "
                                        "on PostgreSQL")]


def test_trigram_indexes_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'schools_school'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"school_name_trgm", "school_town_trgm", "school_postcode_trgm"} <= names


def test_search_can_use_them():
    qs = School.objects.filter(school_search("brook")).order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be scanned
        sql, params = qs.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "school_name_trgm" in plan and "school_town_trgm" in plan
    assert "Seq Scan" not in plan
