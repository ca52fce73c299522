"""Set-based reads of the tree that pages, widgets and benches share."""

from django.db import connection

from .models import Area
from .scoping import below_sql


def descendant_counts(areas):
    """{area id: {level: count}} of the areas below each of `areas`: one query, an index range
    scan per area (the OFFSET 0 fences keep the planner from a sequential scan of the table)."""
    if not areas:
        return {}
    table = Area._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT c.id, a.level, count(*)
              FROM (SELECT id, code FROM {table} WHERE id = ANY(%s) OFFSET 0) c
             CROSS JOIN LATERAL (
                   SELECT level FROM {table} a WHERE {below_sql("a.code", "c.code")} OFFSET 0
             ) a
             GROUP BY c.id, a.level
            """,
            [[area.pk for area in areas]],
        )
        counts = {}
        for child_id, level, count in cursor.fetchall():
            counts.setdefault(child_id, {})[level] = count
    return counts
