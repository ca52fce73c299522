"""Coverage of the three heads (三长) over any subtree, computed in SQL over the code range of
the subtree: a fixed number of queries whatever its size (issue #3).

For an area: how many grids have a grid head, buildings a building head, units a unit head;
how many of the current heads are party members; the same for each child (drill-down); and
the gaps, the grids, buildings and units that have nobody.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Exists, OuterRef
from django.utils import timezone

from orgs.choices import AreaLevel
from orgs.models import Area
from orgs.scoping import within, within_sql

from .choices import HEAD_OF_LEVEL, HEAD_POSTS, PARTY_STATUSES
from .models import HeadAssignment, Person

COVERED_LEVELS = (AreaLevel.GRID, AreaLevel.BUILDING, AreaLevel.UNIT)
AREA = Area._meta.db_table
POST = HeadAssignment._meta.db_table
PERSON = Person._meta.db_table


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


# Every grid, building and unit of the subtrees of `roots` (a code range each), counted with
# and without a current head; then the current heads of those subtrees and how many are
# party members. The probes use the partial index of current posts.
# A post covers its area from its start date until its end date (HeadAssignment.covering).
COVERING = "h.start_date <= %(today)s AND (h.end_date IS NULL OR h.end_date > %(today)s)"
COVERAGE_SQL = f"""
    SELECT r.id, a.level, count(*),
           count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM {POST} h WHERE h.area_id = a.id AND {COVERING} AND h.post = ANY(%(posts)s)))
      FROM {AREA} r
      JOIN {AREA} a ON {{within}} AND a.level = ANY(%(levels)s)
     WHERE r.id = ANY(%(roots)s)
     GROUP BY r.id, a.level
"""
SUBTREE = within_sql("a.code", "r.code")  # the root and everything below it
NODE = "a.id = r.id"  # the root alone
PARTY_SQL = f"""
    SELECT r.id, count(*), count(*) FILTER (WHERE p.political_status = ANY(%(party)s))
      FROM {AREA} r
      JOIN {AREA} a ON {{within}}
      JOIN {POST} h ON h.area_id = a.id AND {COVERING} AND h.post = ANY(%(posts)s)
      JOIN {PERSON} p ON p.id = h.person_id
     WHERE r.id = ANY(%(roots)s)
     GROUP BY r.id
"""

# The same figures, one subtree at a time by index probes: the planner overestimates the rows of
# a subtree join a thousandfold and so hashes all ~150,000 current heads with all their people
# even for one grid (90 ms); probing is 2–4 ms for a community or a grid, 11 ms for a street, but
# slower than the hash for a district's children (bench/import_roster.py, step d).
PARTY_BY_PROBES_SQL = f"""
    SELECT r.id, s.heads, s.party
      FROM {AREA} r
     CROSS JOIN LATERAL (
        SELECT count(*) AS heads, count(*) FILTER (WHERE p.political_status = ANY(%(party)s)) AS party
          FROM {AREA} a
          JOIN {POST} h ON h.area_id = a.id AND {COVERING} AND h.post = ANY(%(posts)s)
          JOIN {PERSON} p ON p.id = h.person_id
         WHERE {{within}}) s
     WHERE r.id = ANY(%(roots)s)
"""
# Subtrees this large are counted by the hash join of PARTY_SQL.
WHOLE_TABLE_LEVELS = (AreaLevel.CITY, AreaLevel.DISTRICT)


def coverage_of(areas, *, subtree=True):
    """{area id: Coverage} for several areas at once (their subtrees, or the areas alone): two queries."""
    areas = list(areas)
    result = {area.pk: Coverage(area) for area in areas}
    if not areas:
        return result
    params = {
        "roots": [a.pk for a in areas],
        "posts": [str(p) for p in HEAD_POSTS],
        "levels": [str(lv) for lv in COVERED_LEVELS],
        "party": [str(s) for s in PARTY_STATUSES],
        "today": timezone.localdate(),
    }
    with connection.cursor() as cursor:
        within = SUBTREE if subtree else NODE
        cursor.execute(COVERAGE_SQL.format(within=within), params)
        for area_id, level, total, covered in cursor.fetchall():
            result[area_id].levels[level] = LevelCoverage(level, total, covered)
        large = subtree and any(area.level in WHOLE_TABLE_LEVELS for area in areas)
        cursor.execute((PARTY_SQL if large else PARTY_BY_PROBES_SQL).format(within=within), params)
        for area_id, heads, party in cursor.fetchall():
            result[area_id].heads, result[area_id].party_heads = heads, party
    return result


def coverage(area):
    return coverage_of([area])[area.pk]


def drill_down(area, limit=300):
    """The coverage of `area` and of each of its children: three to five queries. The children's
    subtrees partition the area's, so the area's figures are its own plus their sum, and
    each row of the subtree is counted once."""
    children = list(area.children.order_by("code")[: limit + 1])
    if len(children) > limit:  # too many to sum: count the area's subtree directly
        children = children[:limit]
        figures = coverage_of([area, *children])
        return figures[area.pk], [figures[child.pk] for child in children]
    figures = coverage_of(children)
    # The area itself counts only when it is a grid, building or unit.
    total = coverage_of([area], subtree=False)[area.pk] if area.level in COVERED_LEVELS else Coverage(area)
    for part in figures.values():
        total.heads += part.heads
        total.party_heads += part.party_heads
        for level, counts in part.levels.items():
            mine = total.levels.setdefault(level, LevelCoverage(level))
            mine.total += counts.total
            mine.covered += counts.covered
    return total, [figures[child.pk] for child in children]


def gaps(area, level=None):
    """The grids, buildings and units under `area` that have no current head (a queryset)."""
    levels = [level] if level else list(COVERED_LEVELS)
    head = HeadAssignment.objects.covering().filter(area=OuterRef("pk"), post__in=[HEAD_OF_LEVEL[lv] for lv in levels])
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
