"""Coverage of the three heads (三长) over any subtree, computed in SQL over the code range of
the subtree: a fixed number of queries whatever its size (issue #3).

For an area: how many grids have a grid head, buildings a building head, units a unit head;
how many of the people holding a head post are party members (by the roster or by the party
organisation, the same person by ID number); the same for each child (drill-down); and
the gaps, the grids, buildings and units that have nobody.
"""

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from orgs.choices import AreaLevel
from orgs.models import Area
from orgs.scoping import within, within_sql
from party.models import PartyMember

from .choices import HEAD_OF_LEVEL, HEAD_POSTS, PARTY_STATUSES
from .models import TALLY_PREFIX_LENGTH, CoverageTally, HeadAssignment, Person, StaleCoverageTally

COVERED_LEVELS = (AreaLevel.GRID, AreaLevel.BUILDING, AreaLevel.UNIT)
AREA = Area._meta.db_table
POST = HeadAssignment._meta.db_table
PERSON = Person._meta.db_table
MEMBER = PartyMember._meta.db_table


@dataclass
class LevelCoverage:
    level: str
    total: int = 0
    covered: int = 0

    @property
    def gaps(self):
        return self.total - self.covered

    @property
    def rate(self):
        return self.covered / self.total if self.total else None


@dataclass
class Coverage:
    area: object
    levels: dict = field(default_factory=dict)  # level → LevelCoverage
    heads: int = 0
    party_heads: int = 0

    @property
    def party_rate(self):
        return self.party_heads / self.heads if self.heads else None

    def level(self, level):
        return self.levels.get(level) or LevelCoverage(level)


# Every grid, building and unit of the subtrees of `roots` (codes), counted with and without a
# current head; then the current heads of those subtrees and how many are party members. The
# probes use the partial index of current posts.
# A post covers its area from its start date until its end date (HeadAssignment.covering).
COVERING = "h.start_date <= %(today)s AND (h.end_date IS NULL OR h.end_date > %(today)s)"
HAS_HEAD = f"""EXISTS (
    SELECT 1 FROM {POST} h WHERE h.area_id = a.id AND {COVERING} AND h.post = ANY(%(posts)s))"""
COVERAGE_SQL = f"""
    SELECT r.code, a.level, count(*), count(*) FILTER (WHERE {HAS_HEAD})
      FROM unnest(%(roots)s::text[]) AS r(code)
      JOIN {AREA} a ON {{within}} AND a.level = ANY(%(levels)s)
     GROUP BY r.code, a.level
"""
SUBTREE = within_sql("a.code", "r.code")  # the root and everything below it
NODE = "a.code = r.code"  # the root alone
BUCKET = f"{SUBTREE} AND left(a.code, {TALLY_PREFIX_LENGTH}) = r.code"  # a tally's bucket
# A head is a party member when the roster says so or when the party organisation has a member of
# the same ID number (core.identity); heads and party heads count people, not posts. The member's
# `id_number <> ''` lets the planner probe the partial unique index on ID numbers; without it the
# subquery scanned every member for every head (one query of the city's rollup ran for over nine
# minutes before it was stopped; 0.9 s with the index).
IS_PARTY = f"""(p.political_status = ANY(%(party)s) OR (p.id_number <> '' AND EXISTS (
    SELECT 1 FROM {MEMBER} m WHERE m.id_number = p.id_number AND m.id_number <> '')))"""
PARTY_SQL = f"""
    SELECT r.code, count(DISTINCT p.id), count(DISTINCT p.id) FILTER (WHERE {IS_PARTY})
      FROM unnest(%(roots)s::text[]) AS r(code)
      JOIN {AREA} a ON {{within}}
      JOIN {POST} h ON h.area_id = a.id AND {COVERING} AND h.post = ANY(%(posts)s)
      JOIN {PERSON} p ON p.id = h.person_id
     GROUP BY r.code
"""

# The same figures, one subtree at a time by index probes: the planner overestimates the rows of
# a subtree join a thousandfold and so hashes all ~150,000 current heads with all their people
# even for one grid (90 ms); probing is 2–4 ms for a community or a grid, 11 ms for a street, but
# slower than the hash for a district's children (bench/import_roster.py, step d).
PARTY_BY_PROBES_SQL = f"""
    SELECT r.code, s.heads, s.party
      FROM unnest(%(roots)s::text[]) AS r(code)
     CROSS JOIN LATERAL (
        SELECT count(DISTINCT p.id) AS heads, count(DISTINCT p.id) FILTER (WHERE {IS_PARTY}) AS party
          FROM {AREA} a
          JOIN {POST} h ON h.area_id = a.id AND {COVERING} AND h.post = ANY(%(posts)s)
          JOIN {PERSON} p ON p.id = h.person_id
         WHERE {{within}}) s
"""
# Subtrees this large are counted by the hash join of PARTY_SQL.
WHOLE_TABLE_LEVELS = (AreaLevel.CITY, AreaLevel.DISTRICT)

# Every bucket of the tallies at once (left(code, TALLY_PREFIX_LENGTH)): one pass over the areas
# and one over the current heads.
ALL_BUCKETS_COVERAGE_SQL = f"""
    SELECT left(a.code, {TALLY_PREFIX_LENGTH}), a.level, count(*), count(*) FILTER (WHERE {HAS_HEAD})
      FROM {AREA} a
     WHERE a.level = ANY(%(levels)s)
     GROUP BY 1, 2
"""
ALL_BUCKETS_PARTY_SQL = f"""
    SELECT left(a.code, {TALLY_PREFIX_LENGTH}), count(DISTINCT p.id), count(DISTINCT p.id) FILTER (WHERE {IS_PARTY})
      FROM {POST} h
      JOIN {AREA} a ON a.id = h.area_id
      JOIN {PERSON} p ON p.id = h.person_id
     WHERE {COVERING} AND h.post = ANY(%(posts)s)
     GROUP BY 1
"""
TALLY = CoverageTally._meta.db_table
STALE = StaleCoverageTally._meta.db_table
TALLY_COLUMNS = {
    AreaLevel.GRID: ("grids", "grids_covered"),
    AreaLevel.BUILDING: ("buildings", "buildings_covered"),
    AreaLevel.UNIT: ("units", "units_covered"),
}
FIGURE_COLUMNS = [column for pair in TALLY_COLUMNS.values() for column in pair] + ["heads", "party_heads"]
TALLY_SUM_SQL = f"""
    SELECT r.code, {", ".join(f"sum(t.{column})" for column in FIGURE_COLUMNS)}
      FROM unnest(%(roots)s::text[]) AS r(code)
      JOIN {TALLY} t ON {within_sql("t.prefix", "r.code")}
     GROUP BY r.code
"""
TALLY_STATE_SQL = f"SELECT (SELECT min(computed_on) FROM {TALLY}), EXISTS (SELECT 1 FROM {STALE})"
TALLY_LOCK = 0x6A6963_7461  # pg_advisory_xact_lock key of the tally refresh ("jic" "ta")
# More stale buckets than this are recounted all at once (~0.35 s for a city) rather than one by
# one (~10 ms each).
BUCKETS_COUNTED_ONE_BY_ONE = 20


def _params(roots, on=None):
    return {
        "roots": list(roots),
        "posts": [str(p) for p in HEAD_POSTS],
        "levels": [str(lv) for lv in COVERED_LEVELS],
        "party": [str(s) for s in PARTY_STATUSES],
        "today": on or timezone.localdate(),
    }


def _count(cursor, roots, within, *, large, on=None):
    """{root code: Coverage(None)} counted over the areas as of the day `on` (today), two queries."""
    figures = {code: Coverage(None) for code in roots}
    params = _params(roots, on)
    cursor.execute(COVERAGE_SQL.format(within=within), params)
    for code, level, total, covered in cursor.fetchall():
        figures[code].levels[level] = LevelCoverage(level, total, covered)
    cursor.execute((PARTY_SQL if large else PARTY_BY_PROBES_SQL).format(within=within), params)
    for code, heads, party in cursor.fetchall():
        figures[code].heads, figures[code].party_heads = heads, party
    return figures


def _count_all_buckets(cursor):
    figures = {}
    params = _params([])
    cursor.execute(ALL_BUCKETS_COVERAGE_SQL, params)
    for prefix, level, total, covered in cursor.fetchall():
        figures.setdefault(prefix, Coverage(None)).levels[level] = LevelCoverage(level, total, covered)
    cursor.execute(ALL_BUCKETS_PARTY_SQL, params)
    for prefix, heads, party in cursor.fetchall():
        bucket = figures.setdefault(prefix, Coverage(None))
        bucket.heads, bucket.party_heads = heads, party
    return figures


def refresh_tallies():
    """Recount the stale buckets, or all of them when they were counted on another day (a post
    covers from its start date and ends on its end date: the figures change at midnight). Cheap
    when nothing is stale: one query. Concurrent readers wait for one recount."""
    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(TALLY_STATE_SQL)
        oldest, stale = cursor.fetchone()
        if oldest == today and not stale:
            return
        with transaction.atomic():
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TALLY_LOCK])
            cursor.execute(TALLY_STATE_SQL)
            oldest, stale = cursor.fetchone()
            if oldest == today and not stale:
                return  # recounted by another reader meanwhile
            cursor.execute(f"DELETE FROM {STALE} RETURNING prefix")
            prefixes = sorted(row[0] for row in cursor.fetchall())
            if oldest != today or len(prefixes) > BUCKETS_COUNTED_ONE_BY_ONE:
                figures = _count_all_buckets(cursor)
                cursor.execute(f"DELETE FROM {TALLY}")
            else:
                figures = _count(cursor, prefixes, BUCKET, large=False)
                cursor.execute(f"DELETE FROM {TALLY} WHERE prefix = ANY(%s)", [prefixes])
            rows = [
                (prefix, today, *_figure_values(bucket))
                for prefix, bucket in figures.items()
                if bucket.levels or bucket.heads
            ]
            with cursor.cursor.copy(
                f"COPY {TALLY} (prefix, computed_on, {', '.join(FIGURE_COLUMNS)}) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)


def _figure_values(figures):
    values = []
    for level in TALLY_COLUMNS:
        counts = figures.level(level)
        values += [counts.total, counts.covered]
    return [*values, figures.heads, figures.party_heads]


def _sum_tallies(cursor, roots):
    refresh_tallies()
    figures = {code: Coverage(None) for code in roots}
    cursor.execute(TALLY_SUM_SQL, {"roots": list(roots)})
    for code, *values in cursor.fetchall():
        values = [int(v) for v in values]
        for n, level in enumerate(TALLY_COLUMNS):
            total, covered = values[2 * n], values[2 * n + 1]
            if total:
                figures[code].levels[level] = LevelCoverage(level, total, covered)
        figures[code].heads, figures[code].party_heads = values[-2:]
    return figures


def coverage_of(areas, *, subtree=True, on=None):
    """{area id: Coverage} for several areas at once (their subtrees, or the areas alone), today or
    as of the day `on` (the posts covering then, from their start and end dates). Today's cities,
    districts and streets (codes no longer than a tally's prefix) are summed from the tallies kept
    by the roster's writes; the others, and every area as of another day, are counted, two queries."""
    areas = list(areas)
    result = {area.pk: Coverage(area) for area in areas}
    if not areas:
        return result
    if on == timezone.localdate():
        on = None
    tallied = [a.code for a in areas if subtree and on is None and len(a.code) <= TALLY_PREFIX_LENGTH]
    counted = [a.code for a in areas if a.code not in tallied]
    figures = {}
    with connection.cursor() as cursor:
        if tallied:
            figures.update(_sum_tallies(cursor, tallied))
        if counted:
            large = subtree and any(a.level in WHOLE_TABLE_LEVELS for a in areas if a.code in counted)
            figures.update(_count(cursor, counted, SUBTREE if subtree else NODE, large=large, on=on))
    for area in areas:
        found = figures[area.code]
        result[area.pk].levels, result[area.pk].heads, result[area.pk].party_heads = (
            found.levels,
            found.heads,
            found.party_heads,
        )
    return result


def coverage(area):
    return coverage_of([area])[area.pk]


def drill_down(area, limit=300, on=None):
    """The coverage of `area` and of each of its children (today, or as of the day `on`): three to
    five queries. The children's
    subtrees partition the area's, so the area's figures are its own plus their sum, and
    each row of the subtree is counted once."""
    children = list(area.children.order_by("code")[: limit + 1])
    if len(children) > limit:  # too many to sum: count the area's subtree directly
        children = children[:limit]
        figures = coverage_of([area, *children], on=on)
        return figures[area.pk], [figures[child.pk] for child in children]
    figures = coverage_of(children, on=on)
    # The area itself counts only when it is a grid, building or unit.
    total = coverage_of([area], subtree=False, on=on)[area.pk] if area.level in COVERED_LEVELS else Coverage(area)
    for part in figures.values():
        total.heads += part.heads
        total.party_heads += part.party_heads
        for level, counts in part.levels.items():
            mine = total.levels.setdefault(level, LevelCoverage(level))
            mine.total += counts.total
            mine.covered += counts.covered
    return total, [figures[child.pk] for child in children]


def gaps(area, level=None, on=None):
    """The grids, buildings and units under `area` that have no head today, or on the day `on`
    (a queryset)."""
    levels = [level] if level else list(COVERED_LEVELS)
    head = HeadAssignment.objects.covering(on).filter(
        area=OuterRef("pk"), post__in=[HEAD_OF_LEVEL[lv] for lv in levels]
    )
    return (
        Area.objects.filter(within("code", area.code), level__in=levels)
        .exclude(Exists(head))
        .select_related("parent")
        .order_by("code")
    )


PATH_FROM = (AreaLevel.STREET, AreaLevel.COMMUNITY, AreaLevel.GRID, AreaLevel.BUILDING, AreaLevel.UNIT)


def paths(areas):
    """{area id: "街道 › 社区 › 网格 › 楼栋 › 单元"} for areas deep in the tree, so that a vacancy
    reads as where it is: one query for the names of all their ancestors."""
    areas = list(areas)
    by_code = paths_of_codes([area.code for area in areas])
    return {area.pk: by_code[area.code] for area in areas}


def paths_of_codes(codes):
    """{code: "街道 › 社区 › … › the area"}: the names of the area and its ancestors from the
    street down, in one query."""
    prefixes = {code[:n] for code in codes for n in range(2, len(code) + 1)}
    names = dict(Area.objects.filter(code__in=prefixes, level__in=PATH_FROM).values_list("code", "name"))
    return {code: " › ".join(names[code[:n]] for n in range(2, len(code) + 1) if code[:n] in names) for code in codes}
