"""The one write path of the area tree (DESIGN §1).

Every structural write — insert, move, delete, bulk load — takes a PostgreSQL advisory lock
on the tree (one tree per city) inside a transaction, re-reads what it needs under the lock,
and keeps the MPTT columns right with set-based SQL:

- an insert shifts the nodes to its right in one UPDATE (heap-only, as lft/rght carry no index);
- a bulk load writes its rows, then renumbers lft/rght of the touched trees in one pass
  computed from the codes, which sort in preorder (`renumber`), never node by node and
  never with django-mptt's `rebuild()`;
- `check` verifies every invariant in SQL, and `renumber` repairs the numbering.

Invariants: a child's code extends its parent's code; a child's level is below its parent's;
codes are unique and made of digits; the parent of an area is the area with the longest code
that is a proper prefix of its code. Hence code-prefix subtrees equal MPTT subtrees, and the
preorder of the tree is the order of its codes.
"""

from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from core.db import without_jit
from core.importing import analyze_if_bulk

from .choices import LEVEL_RANK
from .models import Area
from .scoping import within, within_sql

CODE_MAX_LENGTH = Area._meta.get_field("code").max_length
LOCK_NAMESPACE = 0x4A43  # "JC": keeps our advisory locks apart from anybody else's
FOREST_LOCK = 0  # taken to create a new tree (a new city); tree locks use tree_id ≥ 1
TABLE = Area._meta.db_table


def lock_trees(*tree_ids):
    """Serialise writers of these trees until the end of the current transaction."""
    with connection.cursor() as cursor:
        for tree_id in sorted(set(tree_ids)):  # a fixed order: no deadlock between writers
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, tree_id])


@contextmanager
def immediate_constraints():
    """Check foreign keys at the end of each statement instead of at commit, for bulk writes.

    Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: a COPY of n rows queues n deferred
    checks, and every PL/pgSQL EXCEPTION block that aborts in a trigger (pgtrigger's and
    pghistory's row triggers have them) rescans that whole queue — quadratic, minutes at city
    scale. Inside a transaction it changes nothing else: the write is still all-or-nothing.
    Every deferrable constraint of the schema is initially deferred, so ALL DEFERRED restores
    the state we found; on failure the rollback restores it. Nested uses keep the outer one's.
    """
    depth = getattr(connection, "_jiceng_immediate_depth", 0)
    if depth == 0:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    connection._jiceng_immediate_depth = depth + 1
    try:
        yield
    finally:
        connection._jiceng_immediate_depth = depth
    if depth == 0:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _assert_in_transaction():
    if connection.in_atomic_block is False:
        raise RuntimeError("tree writes must run inside transaction.atomic()")


# --- validation ---------------------------------------------------------------------------
#
# One placement rule for every tree write (create, move, the area import, the API): a code
# extends its parent's code, the parent is the area with the longest existing code that
# prefixes it, and no area outside the subtree being moved has a code that extends it.
# Together they keep code-prefix subtrees equal to the tree's subtrees, which is what scoping
# trusts: a grid worker's scope is every code that starts with his grid's code.


def placement_errors(code, level, parent, *, moving=None):
    """Why an area with `code` and `level` cannot sit under `parent` (None: a root), in Chinese.

    `moving` is the area whose subtree is being recoded to `code` (a move): its own codes do
    not count as conflicts."""
    errors = []
    if parent is not None:
        if not code.startswith(parent.code) or len(code) <= len(parent.code):
            errors.append(
                _("区划代码 {code} 必须以上级区划代码 {parent} 开头并且更长。").format(code=code, parent=parent.code)
            )
        if LEVEL_RANK[level] <= LEVEL_RANK[parent.level]:
            errors.append(
                _("层级“{level}”不能位于上级区划的层级“{parent_level}”之下。").format(
                    level=Area(level=level).get_level_display(), parent_level=parent.get_level_display()
                )
            )
    if not errors:
        placement = {code: parent.code if parent is not None else None}
        conflicts = code_conflicts(placement, moving_code=moving.code if moving is not None else None)
        errors.extend(conflict.reason for conflict in conflicts.values())
    width = width_error(code, level)
    if width:
        errors.append(width)
    return errors


def width_error(code, level):
    """Why `code` cannot be the code of an area of `level` (settings.AREA_CODE_WIDTHS), or None."""
    from django.conf import settings

    expected = settings.AREA_CODE_WIDTHS.get(str(level))
    if expected is None or len(code) == expected:
        return None
    return _("“{level}”一级的区划代码应为 {expected} 位，{code} 是 {actual} 位。").format(
        level=Area(level=level).get_level_display(), expected=expected, code=code, actual=len(code)
    )


def levels_for_width(code):
    """The levels an area with `code` may have: the one its width names, or any without widths."""
    from django.conf import settings

    widths = settings.AREA_CODE_WIDTHS
    return [level for level in LEVEL_RANK if not widths or widths.get(level) == len(code)]


@dataclass(frozen=True)
class Conflict:
    field: str  # "parent": another area should be the parent; "code": the code is taken by a subtree
    reason: str


def code_conflicts(placements, *, moving_code=None):
    """{code: Conflict} for the codes of `placements` ({code: parent code or None}) that existing
    areas — or the other placements — would put in the wrong place. Set-based: three queries
    whatever the number of placements (the area import checks a whole file at once).

    - an area whose code prefixes the code and is longer than the parent's should be its parent;
    - an area whose code extends (or equals) the code would end up outside its own subtree.
    Codes under `moving_code` (the subtree being moved) are not counted.
    """
    conflicts = {}
    between = {}  # prefix → [codes it sits between the parent and]
    for code, parent_code in placements.items():
        for n in range(max(len(parent_code or "") + 1, 2), len(code)):
            between.setdefault(code[:n], []).append(code)
    for prefix in sorted(between, key=len, reverse=True):
        if prefix in placements:
            for code in between[prefix]:
                conflicts.setdefault(code, prefix)
    found = set()
    extended = {}
    with connection.cursor() as cursor:
        if between:
            cursor.execute(
                f"SELECT a.code FROM unnest(%s::text[]) c JOIN {TABLE} a ON a.code = c",
                [sorted(between)],
            )
            found = {row[0] for row in cursor.fetchall() if not (moving_code and row[0].startswith(moving_code))}
        cursor.execute(
            f"""SELECT n, min(a.code) FROM unnest(%s::text[]) n
                  JOIN {TABLE} a ON {within_sql("a.code", "n")}
                 WHERE %s::text IS NULL OR NOT {within_sql("a.code", "%s")}
                 GROUP BY n""",
            [sorted(placements), moving_code, moving_code, moving_code],  # within_sql uses its root twice
        )
        extended = dict(cursor.fetchall())
    reasons = {}
    for code, parent_code in placements.items():
        prefix = conflicts.get(code) or next(
            (code[:n] for n in range(len(code) - 1, max(len(parent_code or ""), 1), -1) if code[:n] in found), None
        )
        if code in extended:
            reasons[code] = Conflict(
                "code",
                _("已有区划的代码以 {code} 开头（如 {other}），不能使用该代码。").format(
                    code=code, other=extended[code]
                ),
            )
        elif prefix is not None and parent_code is None:
            reasons[code] = Conflict(
                "parent",
                _("代码 {code} 以已有区划 {prefix} 的代码开头，应作为其下级。").format(code=code, prefix=prefix),
            )
        elif prefix is not None:
            reasons[code] = Conflict(
                "parent",
                _("代码 {code} 以区划 {prefix} 的代码开头，其上级应为 {prefix} 而不是 {parent}。").format(
                    code=code, prefix=prefix, parent=parent_code
                ),
            )
    return reasons


def allowed_levels(area):
    """The levels an existing area may take: below its parent's, above all its children's."""
    lowest = LEVEL_RANK[area.parent.level] if area.parent_id else -1
    child_levels = area.children.values_list("level", flat=True).distinct()
    highest = min((LEVEL_RANK[lv] for lv in child_levels), default=len(LEVEL_RANK))
    fitting = levels_for_width(area.code)
    return [level for level, rank in LEVEL_RANK.items() if lowest < rank < highest and level in fitting]


# --- single writes -----------------------------------------------------------------------


@transaction.atomic
def insert_area(area):
    """Insert `area` (unsaved, with code, name, level and parent) under the tree lock."""
    if Area.objects.filter(code=area.code).exists():
        raise ValidationError({"code": _("区划代码 {code} 已存在。").format(code=area.code)})
    if area.parent_id is None:
        lock_trees(FOREST_LOCK)
        errors = placement_errors(area.code, area.level, None)
        if errors:
            raise ValidationError(errors)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(tree_id), 0) + 1 FROM {TABLE}")
            (area.tree_id,) = cursor.fetchone()
        area.lft, area.rght, area.depth = 1, 2, 0
        _insert_row(area)
        return area

    parent = Area.objects.get(pk=area.parent_id)
    lock_trees(parent.tree_id)
    parent.refresh_from_db()  # lft/rght as they are under the lock
    area.parent = parent
    errors = placement_errors(area.code, area.level, parent)
    if errors:
        raise ValidationError(errors)
    # The new node goes right after its previous sibling in code order (preorder = code order).
    previous = parent.children.filter(code__lt=area.code).order_by("-code").values_list("rght", flat=True).first()
    position = previous + 1 if previous is not None else parent.lft + 1
    _shift(parent.tree_id, position, 2)
    area.tree_id, area.lft, area.rght, area.depth = parent.tree_id, position, position + 1, parent.depth + 1
    _insert_row(area)
    return area


def _shift(tree_id, position, delta):
    """Open (delta > 0) or close (delta < 0) a gap at `position`: one UPDATE, each row once."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {TABLE}
               SET lft = CASE WHEN lft >= %(p)s THEN lft + %(d)s ELSE lft END,
                   rght = rght + %(d)s
             WHERE tree_id = %(t)s AND rght >= %(p)s
            """,
            {"p": position, "d": delta, "t": tree_id},
        )


def _insert_row(area):
    from django.db import models

    area.full_clean(exclude=["parent", "lft", "rght", "tree_id", "depth"], validate_unique=False)
    models.Model.save(area, force_insert=True)


def records_under(area):
    """What would be lost with `area`'s subtree: [(verbose name, count)] of rows kept under it."""
    from django.apps import apps
    from pghistory.models import Event

    found = []
    subtree = Area.objects.filter(within("code", area.code))
    for model in apps.get_models():
        if issubclass(model, Event) or model is Area:
            continue
        for fk in model._meta.get_fields():
            if getattr(fk, "many_to_one", False) and fk.related_model is Area and fk.concrete:
                count = model._default_manager.filter(**{f"{fk.name}__in": subtree}).count()
                if count:
                    found.append((str(model._meta.verbose_name), count))
    return found


@transaction.atomic
def delete_area(area):
    """Delete `area` and the areas below it; refused when records are kept anywhere under it."""
    lock_trees(area.tree_id)
    area = Area.objects.get(pk=area.pk)
    records = records_under(area)
    if records:
        listing = "、".join(_("{name} {count} 条").format(name=name, count=count) for name, count in records)
        raise ValidationError(
            _("区划“{name}”及其下级仍有数据（{listing}），不能删除。请先移走或删除这些数据。").format(
                name=area.name, listing=listing
            )
        )
    width = area.rght - area.lft + 1
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {TABLE} WHERE tree_id = %s AND {within_sql('code', '%s')}",
            [area.tree_id, area.code, area.code],
        )
        deleted = cursor.rowcount
    if area.parent_id is not None:
        _shift(area.tree_id, area.rght + 1, -width)
    return deleted, {Area._meta.label: deleted}


@transaction.atomic
def move_area(area, new_parent, new_code):
    """Move `area` with its subtree under `new_parent`, recoding it to `new_code`.

    The codes of the subtree are rewritten by prefix, and the touched trees renumbered.
    """
    lock_trees(area.tree_id, new_parent.tree_id)
    area = Area.objects.get(pk=area.pk)
    new_parent = Area.objects.get(pk=new_parent.pk)
    if new_parent.code.startswith(area.code):
        raise ValidationError(_("不能把区划移动到它自己或它的下级之下。"))
    errors = placement_errors(new_code, area.level, new_parent, moving=area)
    if errors:
        raise ValidationError(errors)
    old_code = area.code
    with connection.cursor() as cursor:
        # The subtree is recoded in one UPDATE, and codes are unique row by row: no new code of
        # the subtree may be an old code of another area of it (a recode into its own codes).
        cursor.execute(
            f"""SELECT 1 FROM {TABLE} a JOIN {TABLE} b
                  ON b.code = %(new)s || substr(a.code, %(cut)s) AND b.id <> a.id AND {within_sql("b.code", "%(old)s")}
                WHERE {within_sql("a.code", "%(old)s")} LIMIT 1""",
            {"new": new_code, "cut": len(old_code) + 1, "old": old_code},
        )
        if cursor.fetchone():
            raise ValidationError(
                _("代码 {code} 与“{name}”下级区划的现有代码重叠，请换一个代码。").format(code=new_code, name=area.name)
            )
        cursor.execute(f"SELECT max(length(code)) FROM {TABLE} WHERE {within_sql('code', '%s')}", [old_code, old_code])
        longest = cursor.fetchone()[0] - len(old_code) + len(new_code)
        if longest > CODE_MAX_LENGTH:
            raise ValidationError(
                _("移动后下级区划的代码将长达 {n} 位，超过 {limit} 位的上限。").format(n=longest, limit=CODE_MAX_LENGTH)
            )
        cursor.execute(
            f"""
            UPDATE {TABLE}
               SET code = %(new)s || substr(code, %(cut)s), tree_id = %(tree)s,
                   parent_id = CASE WHEN id = %(id)s THEN %(parent)s ELSE parent_id END
             WHERE {within_sql("code", "%(old)s")}
            """,
            {
                "new": new_code,
                "cut": len(old_code) + 1,
                "tree": new_parent.tree_id,
                "id": area.pk,
                "parent": new_parent.pk,
                "old": old_code,
            },
        )
    renumber([area.tree_id, new_parent.tree_id])
    area.refresh_from_db()
    return area


# --- set-based numbering ---------------------------------------------------------------------

# Depth comes from the parent links; lft/rght from the code order. For the node at preorder
# index i (0-based) with depth d: lft = 2i - d + 1. Its subtree ends at the last code that
# starts with its code; if that node has index j, rght = 2j - d + 2. The index j is found by
# sorting every code together with an end marker code || ':' (':' sorts after every digit):
# the number of codes before the marker is j + 1.
NUMBERING_SQL = f"""
    WITH RECURSIVE walk AS (
        SELECT id, 0 AS depth FROM {TABLE} WHERE tree_id = ANY(%(trees)s) AND parent_id IS NULL
        UNION ALL
        SELECT a.id, w.depth + 1 FROM {TABLE} a JOIN walk w ON a.parent_id = w.id
    ),
    marks AS (
        SELECT id, tree_id, code AS k, 1 AS is_node FROM {TABLE} WHERE tree_id = ANY(%(trees)s)
        UNION ALL
        SELECT id, tree_id, code || ':' AS k, 0 AS is_node FROM {TABLE} WHERE tree_id = ANY(%(trees)s)
    ),
    counted AS (
        SELECT id, is_node,
               sum(is_node) OVER (PARTITION BY tree_id ORDER BY k COLLATE "C" ROWS UNBOUNDED PRECEDING) - 1 AS idx
          FROM marks
    ),
    numbering AS (
        SELECT s.id, 2 * s.idx - w.depth + 1 AS lft, 2 * e.idx - w.depth + 2 AS rght, w.depth
          FROM counted s
          JOIN counted e ON e.id = s.id AND e.is_node = 0
          JOIN walk w ON w.id = s.id
         WHERE s.is_node = 1
    )
"""


def renumber(tree_ids):
    """Recompute lft/rght/depth of whole trees in one set-based pass; returns rows changed."""
    tree_ids = sorted({t for t in tree_ids if t})
    if not tree_ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            NUMBERING_SQL
            + f"""
            UPDATE {TABLE} a SET lft = n.lft, rght = n.rght, depth = n.depth
              FROM numbering n
             WHERE a.id = n.id AND (a.lft, a.rght, a.depth) IS DISTINCT FROM (n.lft, n.rght, n.depth)
            """,
            {"trees": tree_ids},
        )
        return cursor.rowcount


def all_tree_ids():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT tree_id FROM {TABLE} ORDER BY 1")
        return [row[0] for row in cursor.fetchall()]


@dataclass
class TreeReport:
    areas: int = 0
    problems: dict = field(default_factory=dict)  # problem → count

    @property
    def ok(self):
        return not self.problems


CHECKS = {
    "lft 不小于 rght": f"SELECT count(*) FROM {TABLE} WHERE lft >= rght",
    "根节点不是 lft=1 且层深 0": f"SELECT count(*) FROM {TABLE} WHERE parent_id IS NULL AND (lft <> 1 OR depth <> 0)",
    "根节点的 rght 与节点数不符": f"""
        SELECT count(*) FROM {TABLE} r
         WHERE r.parent_id IS NULL AND r.rght <> 2 * (SELECT count(*) FROM {TABLE} a WHERE a.tree_id = r.tree_id)""",
    "同一棵树中的多个根": f"""
        SELECT count(*) FROM (SELECT tree_id FROM {TABLE} WHERE parent_id IS NULL
                               GROUP BY tree_id HAVING count(*) > 1) t""",
    "没有根的树": f"""
        SELECT count(DISTINCT tree_id) FROM {TABLE} a
         WHERE NOT EXISTS (SELECT 1 FROM {TABLE} r WHERE r.tree_id = a.tree_id AND r.parent_id IS NULL)""",
    "lft/rght 重复": f"""
        SELECT count(*) FROM (SELECT tree_id, v FROM (SELECT tree_id, lft AS v FROM {TABLE}
                                                     UNION ALL SELECT tree_id, rght FROM {TABLE}) x
                               GROUP BY tree_id, v HAVING count(*) > 1) d""",
    "不在上级区间之内、跨树或层深不符": f"""
        SELECT count(*) FROM {TABLE} c JOIN {TABLE} p ON p.id = c.parent_id
         WHERE c.tree_id <> p.tree_id OR c.lft <= p.lft OR c.rght >= p.rght OR c.depth <> p.depth + 1""",
    "代码未延伸上级代码": f"""
        SELECT count(*) FROM {TABLE} c JOIN {TABLE} p ON p.id = c.parent_id
         WHERE NOT {within_sql("c.code", "p.code")} OR length(c.code) <= length(p.code)""",
    # Every area's parent is the area with the longest existing code that prefixes its code;
    # otherwise some code prefixes the code of an area outside its subtree (scoping by code
    # prefix would let that area's users in). A root's code may prefix no other code. Checked as
    # one hash join of every (area, code between its parent's and its own) pair with the codes.
    "代码是非下级区划代码的前缀": f"""
        SELECT count(*) FROM (
            SELECT left(c.code, n) AS prefix
              FROM {TABLE} c LEFT JOIN {TABLE} p ON p.id = c.parent_id,
                   generate_series(greatest(length(p.code) + 1, 2), length(c.code) - 1) n
        ) between_codes JOIN {TABLE} o ON o.code = between_codes.prefix""",
    "编号与代码顺序不一致（可用 --repair 修复）": None,  # computed from NUMBERING_SQL below
}


NUMBERING_CHECK_SQL = (
    NUMBERING_SQL
    + f"""
    SELECT (SELECT count(*) FROM {TABLE} WHERE tree_id = ANY(%(trees)s))
           - (SELECT count(*) FROM numbering)
           + (SELECT count(*) FROM {TABLE} a JOIN numbering n ON n.id = a.id
               WHERE (a.lft, a.rght, a.depth) IS DISTINCT FROM (n.lft, n.rght, n.depth))
    """
)

# Checks whose plan PostgreSQL's JIT compiles for longer than it runs (measured at city scale:
# 0.50 s with JIT, 0.16 s without); the others gain from it.
WITHOUT_JIT = {"代码是非下级区划代码的前缀"}


def check():
    """Verify every invariant of every tree in SQL; returns a TreeReport."""
    report = TreeReport()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
        (report.areas,) = cursor.fetchone()
        for problem, sql in CHECKS.items():
            params = None
            if sql is None:
                sql, params = NUMBERING_CHECK_SQL, {"trees": all_tree_ids()}
            with without_jit(cursor) if problem in WITHOUT_JIT else nullcontext():
                cursor.execute(sql, params)
                (count,) = cursor.fetchone()
            if count:
                report.problems[problem] = count
    return report


# --- bulk loads ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaRow:
    code: str
    name: str
    level: str
    parent_code: str | None  # None for a root (a city)


@transaction.atomic
def bulk_load(new_rows, changed_rows=(), progress=None):
    """Write validated rows in bulk: COPY the new areas numbered, update the changed ones, and
    move the existing areas the new ones push.

    `new_rows` may hold parents and children in any order; a parent is either among them or
    already in the database. `changed_rows` are existing areas with a new name or level.
    Returns the number of rows written. The caller has validated the rows (importers do,
    under the same lock: see `lock_for_codes`).
    """
    new_rows = sorted(new_rows, key=lambda r: (len(r.code), r.code))  # parents first
    changed_rows = list(changed_rows)
    codes = {r.parent_code for r in new_rows if r.parent_code} | {r.code for r in changed_rows}
    with connection.cursor() as cursor:  # one array parameter: a long IN list costs more than the COPY
        cursor.execute(f"SELECT code, id, tree_id FROM {TABLE} WHERE code = ANY(%s)", [sorted(codes)])
        existing = {code: (pk, tree_id) for code, pk, tree_id in cursor.fetchall()}
    roots = [r for r in new_rows if r.parent_code is None]
    lock_trees(*({t for _, t in existing.values()} | ({FOREST_LOCK} if roots else set())))

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [TABLE, len(new_rows)]
        )
        ids = [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(tree_id), 0) FROM {TABLE}")
        (next_tree,) = cursor.fetchone()

    placed = dict(existing)
    records = []
    for pk, row in zip(ids, new_rows, strict=True):
        if row.parent_code is None:
            next_tree += 1
            parent_id, tree_id = None, next_tree
        else:
            parent_id, tree_id = placed[row.parent_code]
        placed[row.code] = (pk, tree_id)
        records.append((pk, row.code, row.name, row.level, parent_id, tree_id))
    # A tree made only of new rows is numbered here from its codes (they sort in preorder) and
    # copied with its final numbers.
    grown = {tree_id for _, tree_id in existing.values()}
    numbers = preorder_numbers(code for _, code, _, _, _, tree_id in records if tree_id not in grown)
    # A grown tree is numbered here too, from the codes of its existing and new areas together:
    # its new rows are copied with their final numbers and only the existing areas whose numbers
    # change are updated (a city's first roster import adds ~160,000 leaves under a few thousand).
    touched = {tree_id for _, _, _, _, _, tree_id in records if tree_id in grown}
    moved = []
    if touched:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, code, tree_id, lft, rght, depth FROM {TABLE} WHERE tree_id = ANY(%s)", [sorted(touched)]
            )
            old_rows = cursor.fetchall()
        by_tree = {}
        for _, code, tree_id, _, _, _ in old_rows:
            by_tree.setdefault(tree_id, []).append(code)
        for _, code, _, _, _, tree_id in records:
            if tree_id in touched:
                by_tree[tree_id].append(code)
        for tree_codes in by_tree.values():
            numbers.update(preorder_numbers(tree_codes))
        moved = [(pk, *numbers[code]) for pk, code, _, *old in old_rows if tuple(old) != numbers[code]]

    with connection.cursor() as cursor, immediate_constraints():
        with cursor.cursor.copy(
            f"COPY {TABLE} (id, code, name, level, parent_id, tree_id, lft, rght, depth) FROM STDIN"
        ) as copy:
            for n, (pk, code, name, level, parent_id, tree_id) in enumerate(records, 1):
                copy.write_row((pk, code, name, level, parent_id, tree_id, *numbers.get(code, (0, 0, 0))))
                if progress and n % 10000 == 0:
                    progress(n)
        if changed_rows:
            cursor.execute("CREATE TEMP TABLE area_changes (code text, name text, level text) ON COMMIT DROP")
            with cursor.cursor.copy("COPY area_changes FROM STDIN") as copy:
                for row in changed_rows:
                    copy.write_row((row.code, row.name, row.level))
            cursor.execute(
                f"""UPDATE {TABLE} a SET name = c.name, level = c.level FROM area_changes c
                     WHERE a.code = c.code AND (a.name, a.level) IS DISTINCT FROM (c.name, c.level)"""
            )
        if moved:
            cursor.execute("DROP TABLE IF EXISTS area_moves")
            cursor.execute("CREATE TEMP TABLE area_moves (id bigint, lft int, rght int, depth int) ON COMMIT DROP")
            with cursor.cursor.copy("COPY area_moves FROM STDIN") as copy:
                for row in moved:
                    copy.write_row(row)
            cursor.execute(
                f"""UPDATE {TABLE} a SET lft = m.lft, rght = m.rght, depth = m.depth
                      FROM area_moves m WHERE a.id = m.id"""
            )
        # Fresh statistics, whatever autovacuum's timing, for the first pages after a city's
        # first load.
        analyze_if_bulk(len(new_rows) + len(changed_rows), TABLE)
    if progress:
        progress(len(new_rows) + len(changed_rows))
    return len(new_rows) + len(changed_rows)


def preorder_numbers(codes):
    """{code: (lft, rght, depth)} for whole trees given by their codes, numbered like `renumber`
    does in SQL: codes sort in preorder, and a subtree is every code that extends its root's."""
    numbers, stack, counter = {}, [], 0
    for code in sorted(codes):
        while stack and not code.startswith(stack[-1]):
            counter += 1
            numbers[stack.pop()][1] = counter
        if not stack:
            counter = 0  # a new tree: numbering starts at 1 again
        counter += 1
        numbers[code] = [counter, 0, len(stack)]
        stack.append(code)
    while stack:
        counter += 1
        numbers[stack.pop()][1] = counter
    return {code: tuple(value) for code, value in numbers.items()}


def lock_for_codes(codes, *, new_roots=False):
    """Take the locks of the trees holding `codes` (and the forest lock for new roots)."""
    tree_ids = set(Area.objects.filter(code__in=codes).values_list("tree_id", flat=True).distinct())
    lock_trees(*(tree_ids | ({FOREST_LOCK} if new_roots else set())))
