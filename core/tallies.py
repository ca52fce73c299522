"""Tallies: figures of a subtree read from stored sums instead of counted over the subtree on every
view (issue #17), the way the roster's coverage is kept (grids/coverage.py), for any app.

An app declares a `Tally` (registry.add_tally) — what it counts, per area code — and watches the
tables whose writes change it, with triggers written by `watch_sql` in one of its migrations (and a
`fill` of the new tally in the same migration). Every write marks the codes it touches stale, in
the writer's transaction, whatever the path (forms, API, imports, queryset updates, raw SQL); the
next reader recounts only those codes (an index probe each) and then sums the stored rows of its
subtree: one row per area that has something to count, a few thousand at a city. The figures are
exact as of the read, never a cache that may lag; a tally whose figures depend on the date (the
quarter under way) names its `epoch`, and is recounted whole when the epoch changes.

    registry.add_tally(Tally(
        key="party.figures",
        columns=("organisations", "members"),
        sql=f'''SELECT {{code}}, count(DISTINCT o.id), count(m.id) FROM orgs_partyorganisation o
                  JOIN orgs_area a ON a.id = o.area_id LEFT JOIN orgs_partymember m ON …
                 WHERE {{where}} GROUP BY 1''',
        code="a.code",
    ))

`sql` returns one row per bucket: its code, then one integer per column. The kit fills `{code}`
(the bucket of a counted row: `code`, or its first `prefix` characters) and `{where}` (every row,
the stale buckets, or the subtrees being counted live) and may pass `%(…)s` parameters of its own
(`params()`, e.g. the quarter's dates).

With `prefix` (a number of characters), rows are kept per bucket of codes beginning alike (a street
for 9): fewer rows for figures that count every area; subtrees of longer codes are counted live.

What counts as a subtree is orgs' to say (scoping.within_sql): orgs registers it as
`registry.subtree_sql`. core imports no app.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction

TABLE = "core_tally"
STALE = "core_staletally"
STATE = "core_tallystate"


@dataclass(frozen=True)
class Tally:
    key: str  # "party.figures"
    columns: tuple  # the figures, in the order `sql` returns them
    sql: str  # SELECT {code}, figure, … FROM … WHERE {where} GROUP BY 1
    code: str  # the SQL expression of a counted row's area code, e.g. "a.code"
    prefix: int | None = None  # keep buckets of codes beginning alike, not one row per code
    params: Callable[[], dict] = field(default=dict)  # %(name)s parameters of `sql`
    epoch: Callable[[], str] = field(default=lambda: "")  # the figures are recounted whole when it changes

    # --- the SQL the kit fills in ---------------------------------------------------------------

    @property
    def bucket(self):
        return self.code if self.prefix is None else f"left({self.code}, {self.prefix})"

    def _select(self, where):
        return self.sql.format(code=self.bucket, where=where)

    @property
    def _lock(self):
        return int.from_bytes(hashlib.sha1(f"tally:{self.key}".encode()).digest()[:8], "big", signed=True)

    # --- keeping it ------------------------------------------------------------------------------

    def fill(self, cursor=None):
        """Count every bucket afresh (a migration that adds a tally calls it; a new epoch too)."""
        if cursor is None:
            with connection.cursor() as cursor:
                return self.fill(cursor)
        params = self.params()
        cursor.execute(f"DELETE FROM {STALE} WHERE key = %s", [self.key])
        cursor.execute(f"DELETE FROM {TABLE} WHERE key = %s", [self.key])
        cursor.execute(
            f"INSERT INTO {TABLE} (key, code, figures) SELECT %(tally_key)s, t0.code,"
            f" ARRAY[{self._array_sql('t0')}]::bigint[]"
            f" FROM ({self._select('TRUE')}) AS t0(code, {self._columns_sql})"
            f" WHERE t0.code IS NOT NULL AND {self._nonzero_sql('t0')}",
            {**params, "tally_key": self.key},
        )
        cursor.execute(
            f"INSERT INTO {STATE} (key, epoch) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET epoch = EXCLUDED.epoch",
            [self.key, self.epoch()],
        )

    @property
    def _columns_sql(self):
        return ", ".join(f"f{n}" for n in range(len(self.columns)))

    def _array_sql(self, alias):
        return ", ".join(f"{alias}.f{n}" for n in range(len(self.columns)))

    def _nonzero_sql(self, alias):
        return "(" + " OR ".join(f"COALESCE({alias}.f{n}, 0) <> 0" for n in range(len(self.columns))) + ")"

    def refresh(self):
        """Recount the codes that writes made stale, in one statement whatever their number (none
        costs an index probe of an empty list), and read the epoch the tally was counted for: in
        a new epoch everything is recounted once, readers arriving together waiting for one."""
        with connection.cursor() as cursor:
            cursor.execute(self._refresh_sql, {**self.params(), "tally_key": self.key})
            if cursor.fetchone()[0] == self.epoch():
                return
            with transaction.atomic():
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [self._lock])
                cursor.execute(f"SELECT epoch FROM {STATE} WHERE key = %s", [self.key])
                row = cursor.fetchone()
                if row is None or row[0] != self.epoch():
                    self.fill(cursor)

    @property
    def _refresh_sql(self):
        """The stale codes taken (DELETE … RETURNING: a writer's mark made after this statement's
        snapshot stays for the next reader), their buckets recounted and written over (a bucket
        with nothing left is written as zeros), and the stored epoch returned."""
        from .registry import registry

        bucket = "code" if self.prefix is None else f"left(code, {self.prefix})"
        if self.prefix is None:
            # The whole count is skipped when nothing is stale (a one-time filter of the plan).
            where = f"EXISTS (SELECT 1 FROM buckets) AND {self.code} IN (SELECT code FROM buckets)"
            counted = self._select(where)
        else:
            # Each bucket counted by a range of the codes' index; of what its subtree holds, only
            # the bucket's own row is kept (a short code's subtree holds other buckets).
            within = registry.subtree_sql(self.code, "b.code")
            counted = (
                f"SELECT x.* FROM buckets b CROSS JOIN LATERAL ({self._select(within)})"
                f" AS x(code, {self._columns_sql}) WHERE x.code = b.code"
            )
        figures = ", ".join(f"coalesce(c.f{n}, 0)" for n in range(len(self.columns)))
        return f"""
            WITH stale AS (DELETE FROM {STALE} WHERE key = %(tally_key)s RETURNING {bucket} AS code),
                 buckets AS (SELECT DISTINCT code FROM stale),
                 counted(code, {self._columns_sql}) AS ({counted}),
                 written AS (
                     INSERT INTO {TABLE} (key, code, figures)
                     SELECT %(tally_key)s, b.code, ARRAY[{figures}]::bigint[]
                       FROM buckets b LEFT JOIN counted c ON c.code = b.code
                     ON CONFLICT (key, code) DO UPDATE SET figures = EXCLUDED.figures
                     RETURNING 1)
            SELECT (SELECT epoch FROM {STATE} WHERE key = %(tally_key)s), (SELECT count(*) FROM written)
        """

    # --- reading it ------------------------------------------------------------------------------

    def sums(self, roots):
        """{root code: {column: figure}} over the subtree of each of `roots` (codes), exact as of
        now: two queries (the refresh, the sums), and one more for each root below a bucket."""
        from .registry import registry

        roots = list(dict.fromkeys(roots))
        found = {root: dict.fromkeys(self.columns, 0) for root in roots}
        if not roots:
            return found
        tallied = [root for root in roots if self.prefix is None or len(root) <= self.prefix]
        counted = [root for root in roots if root not in tallied]
        with connection.cursor() as cursor:
            if tallied:
                self.refresh()
                subtree = registry.subtree_sql("t.code", "r.code")
                sums = ", ".join(f"sum(t.figures[{n + 1}])" for n in range(len(self.columns)))
                cursor.execute(
                    f"SELECT r.code, {sums} FROM unnest(%s::text[]) AS r(code)"
                    f" JOIN {TABLE} t ON t.key = %s AND {subtree} GROUP BY r.code",
                    [tallied, self.key],
                )
                for code, *figures in cursor.fetchall():
                    found[code] = dict(zip(self.columns, (int(f or 0) for f in figures), strict=True))
            for root in counted:  # below a bucket: counted live, each a small subtree
                params = {**self.params(), **_subtree_params("tally_roots", [root])}
                cursor.execute(
                    f"SELECT {self._array_sql('t0')} FROM ({self._select(_subtrees(self.code, 'tally_roots', 1))})"
                    f" AS t0(code, {self._columns_sql})",
                    params,
                )
                for figures in cursor.fetchall():
                    for column, figure in zip(self.columns, figures, strict=True):
                        found[root][column] += int(figure or 0)
        return found

    def sum(self, root):
        """{column: figure} over the subtree of `root` (a code)."""
        return self.sums([root])[root]

    def total(self, scopes):
        """{column: figure} over the union of `scopes` (objects with `code` and `strict`, as
        orgs.scoping.user_scopes gives them, none inside another): a strict scope leaves out its
        own area's row."""
        roots = [scope.code for scope in scopes]
        own = [scope.code for scope in scopes if scope.strict]
        total = dict.fromkeys(self.columns, 0)
        for figures in self.sums(roots).values():
            for column in self.columns:
                total[column] += figures[column]
        if own:
            for figures in self.own(own).values():
                for column in self.columns:
                    total[column] -= figures[column]
        return total

    def own(self, codes):
        """{code: {column: figure}} of the areas `codes` themselves (their own row, not below)."""
        if self.prefix is not None:
            raise ValueError("a tally kept by prefix has no row of its own per area")
        self.refresh()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT code, figures FROM {TABLE} WHERE key = %s AND code = ANY(%s)", [self.key, list(codes)]
            )
            return {code: dict(zip(self.columns, figures, strict=True)) for code, figures in cursor.fetchall()}

    def codes_with(self, column, scopes, limit, *, refresh=True):
        """The first `limit` codes, in code order, in `scopes` whose own `column` is not zero: where
        a list of the rows behind a figure starts (the first organisations behind their meetings).
        `refresh=False` right after a read of the same tally (it has just been refreshed)."""
        from .registry import registry

        if self.prefix is not None:
            raise ValueError("a tally kept by prefix has no row of its own per area")
        if refresh:
            self.refresh()
        parts, params = [], [self.key]
        for scope in scopes:
            part = registry.subtree_sql("code", "%s")
            params += [scope.code, scope.code]
            if scope.strict:
                part = f"({part} AND code <> %s)"
                params.append(scope.code)
            parts.append(part)
        if not parts:
            return []
        n = self.columns.index(column) + 1
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT code FROM {TABLE} WHERE key = %s AND ({' OR '.join(parts)}) AND figures[{n}] <> 0"
                f" ORDER BY code LIMIT %s",
                [*params, limit],
            )
            return [row[0] for row in cursor.fetchall()]


def _subtrees(column, name, count):
    """Raw SQL: `column` lies in the subtree of one of `count` codes passed as %(name_0)s, …: a
    range each (see orgs.scoping.within_sql), which the index of the codes serves."""
    from .registry import registry

    return "(" + " OR ".join(registry.subtree_sql(column, f"%({name}_{n})s") for n in range(count)) + ")"


def _subtree_params(name, codes):
    return {f"{name}_{n}": code for n, code in enumerate(codes)}


# --- the triggers an app's migration installs ------------------------------------------------------


def watch_sql(name, table, keys, *, insert=None, delete=None, update=None, prefix=None):
    """The SQL of statement-level triggers on `table` that mark the tallies `keys` stale at the
    codes that the rows written touch: `insert` selects the codes of `new_rows`, `delete` of
    `old_rows`, `update` of the pair (old_rows and new_rows, joined by the writer's id; select only
    the rows whose counted columns changed). Each is one SELECT of one column of codes; NULLs are
    ignored. `prefix`: the tallies keep buckets of codes (Tally.prefix), and a bulk load marks its
    few buckets, not each of its codes. Returns (forward SQL, backward SQL) for a RunSQL of the app's migration."""
    forward, backward = [], []
    keys_sql = "ARRAY[" + ", ".join(f"'{key}'" for key in keys) + "]::text[]"
    for event, rows, referencing in (
        ("insert", insert, "NEW TABLE AS new_rows"),
        ("delete", delete, "OLD TABLE AS old_rows"),
        ("update", update, "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    ):
        if rows is None:
            continue
        function = f"{name}_{event}_stale_tally"
        code = "code" if prefix is None else f"left(code, {prefix})"
        forward.append(f"""
            CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO {STALE} (key, code)
                SELECT k.key, c.code FROM unnest({keys_sql}) AS k(key)
                 CROSS JOIN (SELECT DISTINCT {code} AS code FROM ({rows}) changed(code) WHERE code IS NOT NULL) c
                ON CONFLICT DO NOTHING;
                RETURN NULL;
            END $$;
            CREATE TRIGGER {function} AFTER {event.upper()} ON {table} REFERENCING {referencing}
                FOR EACH STATEMENT EXECUTE FUNCTION {function}();
        """)
        backward.append(f"DROP TRIGGER IF EXISTS {function} ON {table}; DROP FUNCTION IF EXISTS {function}();")
    return forward, backward


def mark_every_tally_sql(code_sql):
    """SQL that marks every tally stale at the code `code_sql` (e.g. OLD.code in a row trigger of
    the areas: an area recoded moves what its tallies' rows count)."""
    return (
        f"INSERT INTO {STALE} (key, code) SELECT key, {code_sql} FROM {STATE} WHERE {code_sql} IS NOT NULL"
        " ON CONFLICT DO NOTHING"
    )


def migration_operations(tallies, watches):
    """The operations of an app's migration that installs its tallies: the triggers of `watches`
    ((name, table, keys, insert, delete, update[, prefix]) each, as `watch_sql` takes them), then
    the tallies filled from the rows already there (emptied again when the migration is undone)."""
    from django.db import migrations

    forward, backward = [], []
    for name, table, keys, insert, delete, update, *prefix in watches:
        more, less = watch_sql(
            name, table, keys, insert=insert, delete=delete, update=update, prefix=next(iter(prefix), None)
        )
        forward += more
        backward += less

    def fill(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:
            for tally in tallies:
                tally.fill(cursor)

    def empty(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:
            for tally in tallies:
                for table in ("core_tally", "core_staletally", "core_tallystate"):
                    cursor.execute(f"DELETE FROM {table} WHERE key = %s", [tally.key])

    return [migrations.RunSQL(forward, backward), migrations.RunPython(fill, empty)]
