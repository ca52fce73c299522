"""How the roster names a place: a unit with its building (5栋3单元), a building with its grid
(第1网格5栋), a grid with its community (A1社区第1网格) — never "3单元" alone, which every
building has. `place_name` names one area whose parent is loaded; `place_names` names many by
code in one query, with the community and grid in front where a list spans several of them."""

from django.db import connection

from orgs.choices import AreaLevel
from orgs.models import Area

NAMED_WITH_PARENT = (AreaLevel.GRID, AreaLevel.BUILDING, AreaLevel.UNIT)
PLACE_LEVELS = (AreaLevel.COMMUNITY, AreaLevel.GRID, AreaLevel.BUILDING, AreaLevel.UNIT)


def place_name(area):
    """5栋3单元, 第1网格5栋, A1社区第1网格 (select_related the parent); any other area: its name."""
    if area.level in NAMED_WITH_PARENT and area.parent_id:
        return f"{area.parent.name}{area.name}"
    return area.name


def place_names(codes, pending=()):
    """{code: "A1社区第1网格 · 5栋3单元"} for grids, buildings and units (a community: its name),
    in one query. `pending`: tree.AreaRow of areas an import is about to create."""
    codes = list(dict.fromkeys(codes))
    if not codes:
        return {}
    prefixes = sorted({code[:n] for code in codes for n in range(2, len(code) + 1)})
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT code, name, level FROM {Area._meta.db_table} WHERE code = ANY(%s) AND level = ANY(%s)",
            [prefixes, [str(level) for level in PLACE_LEVELS]],
        )
        known = {code: (name, level) for code, name, level in cursor.fetchall()}
    for row in pending:
        known.setdefault(row.code, (row.name, str(row.level)))
    names = {}
    for code in codes:
        parts = {}
        for n in range(2, len(code) + 1):
            found = known.get(code[:n])
            if found:
                parts[found[1]] = found[0]
        head = parts.get(AreaLevel.COMMUNITY, "") + parts.get(AreaLevel.GRID, "")
        tail = parts.get(AreaLevel.BUILDING, "") + parts.get(AreaLevel.UNIT, "")
        names[code] = " · ".join(part for part in (head, tail) if part) or code
    return names
