"""Small PostgreSQL helpers the apps share."""

from contextlib import contextmanager


@contextmanager
def without_jit(cursor):
    """Run the block's statements without PostgreSQL's JIT, then restore the session's setting."""
    cursor.execute("SELECT current_setting('jit'), set_config('jit', 'off', false)")
    (before, _off) = cursor.fetchone()
    try:
        yield
    finally:
        cursor.execute("SELECT set_config('jit', %s, false)", [before])
