"""Staged, set-based imports: the engine of the big sheets (the roster; next the 12345 hotline's
exports and the community workers' sheets).

An importer parses its sheet once in Python (cells cleaned, low-cardinality cells through a memo)
and COPYs the parsed rows into a staging table declared column by column (`Stage`). Everything
after that is SQL over the stage: placing the rows (joins with the tree), recognising people,
comparing with what is stored, classifying each row (new, changed, unchanged, rejected) and
writing (`INSERT … SELECT`, `UPDATE … FROM`), so that a sheet of a city costs a fixed number of
statements whatever its size. Rows a rule cannot settle in SQL are fetched by number and settled
in Python, and their decisions written back (`Stage.mark`).

Rejections are rows of a query — (sheet row number, column, reason) — recorded in the plan with
their Excel row numbers (`Stage.reject`), and the rejected rows leave the stage's working set
(`status = 'rejected'`), so that later rules and the write never see them.

The stage is a temporary table of the connection: created by `Stage.create` (dropping a stale
one), dropped by `Stage.drop`, which `core.importing` calls through `Importer.close()` after the
preview or the import, whatever happened.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.db import DatabaseError, connection, transaction

# A stage of at least this many rows gets planner statistics (ANALYZE) once loaded: the joins of a
# city's sheet with the tree and the roster are planned on them; a small stage needs none.
ANALYZE_ROWS = 10_000
# Memory for the session's temporary tables (PostgreSQL's default is 8 MB): a city's stage is some
# 100 MB, and each set-based UPDATE of it would otherwise go through the disk. Only settable before
# the session first touches a temporary table; later sessions keep the default or what they had.
TEMP_BUFFERS = "256MB"
REJECTED = "rejected"
SKIPPED = "skipped"
OK = "ok"


@dataclass(frozen=True)
class StageColumn:
    """One column of a stage: its name and PostgreSQL type (with an optional default)."""

    name: str
    sql_type: str = "text"
    default: str = ""

    def ddl(self):
        return f"{self.name} {self.sql_type}" + (f" DEFAULT {self.default}" if self.default else "")


def fetch(sql, params=()):
    """Rows of a query; lists are passed as one array (`= ANY(%s)`), not one placeholder each."""
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()


def run(sql, params=()):
    """Execute one statement; returns its row count."""
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.rowcount


@contextmanager
def hash_joins():
    """Statements of a city's stage joined with the roster on many equalities at once: the planner
    multiplies their selectivities down to one row and picks nested loops, one index probe per staged
    row (170,000 of them, 2.5 s); a hash join of the same rows takes 1 s. For the statements inside
    only; the setting is restored after them, within the transaction (SET LOCAL). The statements
    run in a transaction of their own when there is none (a preview plans outside one)."""
    with transaction.atomic():
        previous = fetch("SELECT current_setting('enable_nestloop')")[0][0]
        run("SELECT set_config('enable_nestloop', 'off', true)")
        try:
            yield
        finally:
            if not connection.needs_rollback:
                run("SELECT set_config('enable_nestloop', %s, true)", [previous])


class Stage:
    """A staging table: `number` (the row number Excel shows) and `status` ('ok', 'rejected',
    'skipped') come first, then the parsed columns (`loaded`, filled by `load`), then the working
    columns the rules fill in (`working`, with their defaults)."""

    def __init__(self, name, loaded, working=(), keys=()):
        self.name = name
        self.loaded = tuple(loaded)
        self.working = tuple(working)
        self.keys = tuple(keys)  # the columns the rules join and group on: the only ones analysed

    def create(self):
        columns = [StageColumn("number", "integer PRIMARY KEY"), StageColumn("status", "text", f"'{OK}'")]
        columns += [*self.loaded, *self.working]
        try:
            with transaction.atomic():
                run("SELECT set_config('temp_buffers', %s, false)", [TEMP_BUFFERS])
        except DatabaseError:
            pass  # this session has used temporary tables already: their buffers stay as they are
        run(f"DROP TABLE IF EXISTS {self.name}")
        run(f"CREATE TEMP TABLE {self.name} ({', '.join(c.ddl() for c in columns)})")

    def load(self, rows):
        """COPY `rows` — (number, status, *loaded values) tuples — into a new stage."""
        self.create()
        names = ", ".join(["number", "status", *(c.name for c in self.loaded)])
        count = 0
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {self.name} ({names}) FROM STDIN") as copy:
                for count, row in enumerate(rows, 1):  # noqa: B007  (the count is used below)
                    copy.write_row(row)
            if count >= ANALYZE_ROWS:
                cursor.execute(f"ANALYZE {self.name}" + (f" ({', '.join(self.keys)})" if self.keys else ""))
        return count

    def drop(self):
        if connection.needs_rollback:  # a failed atomic block: its rollback takes the stage with it
            return
        run(f"DROP TABLE IF EXISTS {self.name}")

    def reject(self, plan, found):
        """Record `found` rejections — (number, column, reason), of the stage's rows still in play,
        the reason worded in Python from what a query found — in `plan`, and take those rows out of
        play. Returns their numbers."""
        found = list(found)
        for number, column, reason in found:
            plan.reject(number, column, reason)
        numbers = sorted({number for number, _column, _reason in found})
        self.set_status(numbers, REJECTED)
        return numbers

    def set_status(self, numbers, status):
        if numbers:
            run(f"UPDATE {self.name} SET status = %s WHERE number = ANY(%s)", [status, list(numbers)])

    def mark(self, values, columns):
        """Write Python's decisions back: `values` rows of (number, *one value per column of
        `columns`, (name, sql type) pairs), one UPDATE from an unnested array per column."""
        if not values:
            return
        numbers = [v[0] for v in values]
        arrays = [[v[i + 1] for v in values] for i in range(len(columns))]
        unnest = ", ".join(["%s::integer[]", *(f"%s::{sql_type}[]" for _name, sql_type in columns)])
        names = ", ".join(["number", *(name for name, _type in columns)])
        assignments = ", ".join(f"{name} = v.{name}" for name, _type in columns)
        run(
            f"UPDATE {self.name} s SET {assignments} FROM unnest({unnest}) AS v({names}) WHERE s.number = v.number",
            [numbers, *arrays],
        )
