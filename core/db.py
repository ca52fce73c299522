"""Small PostgreSQL helpers the apps share."""

from contextlib import contextmanager

from django.db import connection


@contextmanager
def without_jit(cursor):
    """Run the block's statements without PostgreSQL's JIT, then restore the session's setting."""
    cursor.execute("SELECT current_setting('jit'), set_config('jit', 'off', false)")
    (before, _off) = cursor.fetchone()
    try:
        yield
    finally:
        cursor.execute("SELECT set_config('jit', %s, false)", [before])


def figures_by_key(sql, params):
    """{first column: (the other columns)} of a query's rows: an area's id and its figures."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {key: tuple(rest) for key, *rest in cursor.fetchall()}
