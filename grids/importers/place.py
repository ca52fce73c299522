"""Placing the staged rows in the tree: each row's grid (which must be in the tree, checked against
the names the sheet writes), building and unit (created under their grid when missing), and the
numbers a masked cell stands for. Set-based over the stage; the rare rows a rule needs row order
for (a building named without a number, a masked cell) are settled in Python.
"""

from django.utils.translation import gettext as _

from core.personal_data import mask
from core.staging import fetch, run
from orgs import tree
from orgs.choices import AreaLevel
from orgs.models import Area

from .. import normalise
from ..choices import Gender, Post
from ..models import HeadAssignment, Person

AREA = Area._meta.db_table
PERSON = Person._meta.db_table
POST = HeadAssignment._meta.db_table
GENDER_FROM_ID = f"CASE WHEN mod(substr({{id}}, 17, 1)::int, 2) = 1 THEN '{Gender.MALE}' ELSE '{Gender.FEMALE}' END"


def recognise(s):
    """A row without an ID number is the person of the rows with one and the same name and phone."""
    run(
        f"""UPDATE {s} s SET id_number = m.id_number, person_key = 'i' || m.id_number,
                   gender = CASE WHEN s.gender <> '' THEN s.gender ELSE {GENDER_FROM_ID.format(id="m.id_number")} END
              FROM (SELECT name, phone, min(id_number) AS id_number FROM {s}
                     WHERE status = 'ok' AND id_number <> '' AND phone <> ''
                     GROUP BY name, phone HAVING count(DISTINCT id_number) = 1) m
             WHERE s.status = 'ok' AND s.id_number = '' AND s.name = m.name AND s.phone = m.phone"""
    )


def place(stage, plan):
    """Resolve each row's grid, building and unit (`area_code`); returns the buildings and units to
    create, {code: tree.AreaRow}."""
    s = stage.name
    _grids(stage, plan)
    if fetch(f"SELECT EXISTS (SELECT 1 FROM {s} WHERE status = 'ok' AND target = 'unit' AND building = '')")[0][0]:
        _fill_units_building(s)
    needs = f"status = 'ok' AND target IN ('{AreaLevel.BUILDING}', '{AreaLevel.UNIT}')"
    missing = fetch(f"SELECT number, post FROM {s} WHERE {needs} AND building = ''")
    stage.reject(plan, ((n, "楼栋", _("{post}须填写楼栋。").format(post=Post(post).label)) for n, post in missing))
    named = _named_buildings(stage, plan, needs)
    units = fetch(f"SELECT number, unit_text FROM {s} WHERE status = 'ok' AND target = 'unit' AND unit_no IS NULL")
    stage.reject(
        plan,
        (
            (n, "单元", _("单元“{value}”无法识别。").format(value=text) if text else _("单元长须填写单元。"))
            for n, text in units
        ),
    )
    return _new_areas(s, named)


def _grids(stage, plan):
    """Rows whose grid is not in the tree, or not a grid, are rejected; a 网格名称 or 社区 that
    disagrees with the tree's names is imported by the code, but the cadre is told (a typo in the
    code would put people in the wrong grid)."""
    found = fetch(
        f"""SELECT s.number, s.grid_code, a.level, a.name, coalesce(c.name, ''), s.grid_name_text, s.community_text
              FROM {stage.name} s
              LEFT JOIN {AREA} a ON a.code = s.grid_code
              LEFT JOIN {AREA} c ON c.id = a.parent_id
             WHERE s.status = 'ok'
               AND (a.id IS NULL OR a.level <> %s
                    OR (s.grid_name_text <> '' AND s.grid_name_text <> replace(a.name, ' ', ''))
                    OR (s.community_text <> '' AND coalesce(c.name, '') <> ''
                        AND s.community_text <> replace(c.name, ' ', '')))
             ORDER BY s.number""",
        [AreaLevel.GRID],
    )
    rejected = []
    for number, code, level, grid_name, community_name, given_grid, given_community in found:
        if level is None:
            rejected.append(
                (number, "网格编码", _("网格编码 {code} 不存在，网格须先由组织部导入区划。").format(code=code))
            )
            continue
        if level != AreaLevel.GRID:
            rejected.append((number, "网格编码", _("编码 {code} 不是网格。").format(code=code)))
            continue
        if given_grid and given_grid != grid_name.replace(" ", ""):
            plan.warn(
                number,
                "网格名称",
                _("网格名称“{given}”与系统中编码 {code} 的网格“{name}”不一致，将按网格编码导入。").format(
                    given=given_grid, code=code, name=grid_name
                ),
            )
        if given_community and community_name and given_community != community_name.replace(" ", ""):
            plan.warn(
                number,
                "社区",
                _("社区“{given}”与系统中网格 {code} 所属的“{name}”不一致，将按网格编码导入。").format(
                    given=given_community, code=code, name=community_name
                ),
            )
    stage.reject(plan, rejected)


def _fill_units_building(s):
    """A unit head's row without a building is in the building of the last row above it in the grid
    that names one (a 楼栋 cell merged down)."""
    run(
        f"""UPDATE {s} s SET building = f.building, building_no = f.building_no,
                   building_code = s.grid_code || lpad(f.building_no::text, 3, '0'),
                   area_code = s.grid_code || lpad(f.building_no::text, 3, '0') || lpad(s.unit_no::text, 2, '0')
              FROM (SELECT number, grp, first_value(building) OVER g AS building,
                           first_value(building_no) OVER g AS building_no
                      FROM (SELECT number, grid_code, building, building_no,
                                   count(NULLIF(building, '')) OVER (PARTITION BY grid_code ORDER BY number) AS grp
                              FROM {s} WHERE status = 'ok') w
                    WINDOW g AS (PARTITION BY grid_code, grp ORDER BY number)) f
             WHERE s.number = f.number AND f.grp > 0 AND s.status = 'ok' AND s.target = %s AND s.building = ''""",
        [AreaLevel.UNIT],
    )


def _named_buildings(stage, plan, needs):
    """A building named without a number (A座): the grid's building of that name, else the next free
    code from 901 on, in row order. Returns {code: name} of those codes."""
    s = stage.name
    rows = fetch(
        f"SELECT number, grid_code, building, target, unit_no FROM {s}"
        f" WHERE {needs} AND building <> '' AND building_no IS NULL ORDER BY number"
    )
    if not rows:
        return {}
    grids = sorted({row[1] for row in rows})
    by_name, taken = {}, {}  # (grid, name) → code; grid → {code: first row taking it, 0 if in the tree}
    for code, name, grid in fetch(
        f"""SELECT c.code, c.name, g.code FROM {AREA} c JOIN {AREA} g ON g.id = c.parent_id
             WHERE g.code = ANY(%s) AND c.level = %s""",
        [grids, AreaLevel.BUILDING],
    ):
        by_name[(grid, name)] = code
        taken.setdefault(grid, {})[code] = 0
    for code, grid, first in fetch(
        f"SELECT building_code, grid_code, min(number) FROM {s} WHERE building_code IS NOT NULL"
        " AND grid_code = ANY(%s) GROUP BY 1, 2",
        [grids],
    ):
        taken.setdefault(grid, {}).setdefault(code, first)
    named, placed, rejected = {}, [], []
    for number, grid, text, target, unit_no in rows:
        code = by_name.get((grid, text))
        if code is None:
            used = {c for c, first in taken.get(grid, {}).items() if first < number}
            code = next((f"{grid}{n}" for n in range(901, 1000) if f"{grid}{n}" not in used), None)
            if code is None:
                rejected.append((number, "楼栋", _("楼栋“{value}”无法识别。").format(value=text)))
                continue
            by_name[(grid, text)] = code
            taken.setdefault(grid, {})[code] = 0
            named.setdefault(code, text)
        unit_code = f"{code}{unit_no:02d}" if unit_no is not None else None
        placed.append((number, code, code if target == AreaLevel.BUILDING else unit_code))
    stage.reject(plan, rejected)
    stage.mark(placed, [("building_code", "text"), ("area_code", "text")])
    return named


def _new_areas(s, named):
    """The buildings and units the placed rows need that the tree lacks (a building is created even
    when its unit's row is rejected later, as the row-by-row import did)."""
    new = {}
    for code, grid, number in fetch(
        f"""SELECT DISTINCT ON (s.building_code) s.building_code, s.grid_code, s.building_no FROM {s} s
              JOIN {AREA} g ON g.code = s.grid_code AND g.level = %s
             WHERE s.building_code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {AREA} a WHERE a.code = s.building_code)
             ORDER BY s.building_code, s.number""",
        [AreaLevel.GRID],
    ):
        name = named.get(code) or f"{number}栋"
        new[code] = tree.AreaRow(code, name, AreaLevel.BUILDING, grid)
    for code, building, unit in fetch(
        f"""SELECT DISTINCT s.area_code, s.building_code, s.unit_no FROM {s} s
              JOIN {AREA} g ON g.code = s.grid_code AND g.level = %s
             WHERE s.target = %s AND s.area_code IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM {AREA} a WHERE a.code = s.area_code)""",
        [AreaLevel.GRID, AreaLevel.UNIT],
    ):
        new[code] = tree.AreaRow(code, f"{unit}单元", AreaLevel.UNIT, building)
    return dict(sorted(new.items()))


def unmask(stage, plan):
    """A masked phone or ID number (an export re-imported by a user who sees them masked) means
    the number on record: it must equal the mask of the number of the post's current holder of
    that name, and then the row carries that number. Any other masked cell is rejected."""
    s = stage.name
    rows = fetch(
        f"""SELECT number, area_code, post, name, masked_phone, masked_id, phone, id_number, gender FROM {s}
             WHERE status = 'ok' AND (masked_phone <> '' OR masked_id <> '') ORDER BY number"""
    )
    if not rows:
        return
    holders = {}  # (area code, post) → [(name, phone, id number)] as the post shows its holder
    for code, post, name, phone, id_number, given_name, given_phone, given_id in fetch(
        f"""SELECT a.code, h.post, p.name, p.phone, p.id_number, h.given_name, h.given_phone, h.given_id_number
              FROM {POST} h JOIN {AREA} a ON a.id = h.area_id JOIN {PERSON} p ON p.id = h.person_id
             WHERE h.end_date IS NULL AND a.code = ANY(%s)""",
        [list({r[1] for r in rows})],
    ):
        shown = (given_name, given_phone, given_id) if given_name else (name, phone, id_number)
        holders.setdefault((code, post), []).append(shown)
    rejected, kept = [], []
    for number, area_code, post, name, masked_phone, masked_id, phone, id_number, gender in rows:
        match = next(
            (
                (held_phone, held_id)
                for held_name, held_phone, held_id in holders.get((area_code, post), [])
                if held_name == name
                and (not masked_phone or mask(held_phone) == masked_phone)
                and (not masked_id or mask(held_id) == masked_id)
            ),
            None,
        )
        if match is None:
            column = "联系电话" if masked_phone else "身份证号"
            reason = _(
                "{column}是隐藏了中间位的号码（{value}），与系统中该职务现任者的登记不符：请填写完整号码。"
            ).format(column=column, value=masked_phone or masked_id)
            rejected.append((number, column, reason))
            continue
        if masked_phone:
            phone = match[0]
        if masked_id:
            id_number = match[1]
            gender = gender or (normalise.gender_from_id(id_number) if id_number else "")
        kept.append((number, phone, id_number, gender, f"i{id_number}" if id_number else f"n{name}\x1f{phone}"))
    stage.reject(plan, rejected)
    columns = [("phone", "text"), ("id_number", "text"), ("gender", "text"), ("person_key", "text")]
    stage.mark(kept, columns)
