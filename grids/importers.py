"""The roster import: sheets of the three heads, grid workers and ten-household heads, as
street and community offices keep them (merged cells, title rows, dirty cells; issue #3).

Planning reads the sheet, cleans every cell, resolves grids (which must already be in the
tree), buildings and units (created under their grid when missing), recognises people by
ID number (or name + phone) and compares every post with the current roster in a fixed
number of queries. Applying writes everything with COPY and set-based updates.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.importing import Importer, analyze_if_bulk, change, register
from core.personal_data import mask
from core.spreadsheets import Column, fill_down, is_blank, is_total_row
from orgs import tree
from orgs.choices import AreaLevel
from orgs.models import Area
from orgs.places import place_names
from orgs.scoping import in_scopes, user_scopes, within_sql

from . import normalise
from .choices import (
    HEAD_POSTS,
    POLITICAL_STATUS_FROM_CHINESE,
    POST_FROM_CHINESE,
    POST_LEVEL,
    Employment,
    Gender,
    PoliticalStatus,
    Post,
)
from .models import HeadAssignment, Holder, Person
from .permissions import APPOINT_GRID_HEAD, CHANGE_ROSTER
from .roster import KEPT_ELSEWHERE_NOTICE, given_fields, people_kept_elsewhere

COLUMNS = (
    Column("district", "区", ("区县", "区/县", "县区", "县(市、区)", "县市区", "所属区"), required=False),
    Column("street", "街道", ("街道(乡镇)", "乡镇", "街道/乡镇", "乡镇(街道)", "所属街道"), required=False),
    Column("community", "社区", ("社区(村)", "村", "社区/村", "村(社区)", "居委会", "所属社区"), required=False),
    Column("grid_code", "网格编码", ("网格编号", "网格代码", "网格码", "网格id")),
    Column("grid_name", "网格名称", ("网格", "网格名"), required=False),
    Column("building", "楼栋", ("楼号", "楼栋号", "栋号", "楼幢", "楼栋(幢)"), required=False),
    Column("unit", "单元", ("单元号",), required=False),
    Column("post", "职务", ("岗位", "职位", "担任职务", "身份")),
    Column("name", "姓名", ("名字", "人员姓名")),
    Column("gender", "性别", (), required=False),
    Column("phone", "联系电话", ("电话", "手机", "手机号", "手机号码", "联系方式", "电话号码"), required=False),
    Column("id_number", "身份证号", ("身份证号码", "公民身份号码", "身份证", "证件号码"), required=False),
    Column("political_status", "政治面貌", (), required=False),
    Column("note", "备注", (), required=False),
)
AREA_TABLE = Area._meta.db_table
PERSON_TABLE = Person._meta.db_table
POST_TABLE = HeadAssignment._meta.db_table


class PersonFound(NamedTuple):
    """A registered person, as `_existing_people` reads them (model instances cost seconds at city scale)."""

    pk: int
    name: str
    gender: str
    phone: str
    id_number: str
    political_status: str


class CurrentPost(NamedTuple):
    pk: int
    post: str
    employment: str
    note: str
    person_id: int
    area_code: str
    given: tuple  # (name, gender, phone, ID number, political status) as typed; name "": none


def _fetch(sql, params):
    """Rows of a query whose lists are passed as one array (`= ANY(%s)`): a Django `__in` of
    100,000+ values binds one placeholder per value and takes seconds to compile and parse."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


HEADERS = [column.header for column in COLUMNS]  # what exports and demo sheets write
MERGED_COLUMNS = ("district", "street", "community", "grid_code", "grid_name")
GENDER_FROM_CHINESE = {"男": Gender.MALE, "女": Gender.FEMALE, "男性": Gender.MALE, "女性": Gender.FEMALE}


@dataclass
class RosterRow:
    number: int
    grid_code: str
    post: str
    employment: str
    name: str
    gender: str
    phone: str
    id_number: str
    political_status: str
    note: str
    building_text: str = ""
    grid_name_text: str = ""  # 网格名称 and 社区 as the sheet writes them: checked against the tree
    community_text: str = ""
    masked: dict = field(default_factory=dict)  # "phone" / "id_number" → the masked cell
    unit_text: str = ""
    area_code: str = ""  # the grid, building or unit the post hangs on
    given: bool = False  # the person's record is kept by another office: the post keeps these details
    head_locked: bool = False  # the grid head, whom this user may not appoint: only as on record

    @property
    def details(self):
        return Holder(self.name, self.gender, self.phone, self.id_number, self.political_status)

    @property
    def person_key(self):
        return ("id", self.id_number) if self.id_number else ("name_phone", self.name, self.phone)

    def signature(self):
        return (
            self.area_code,
            self.post,
            self.person_key,
            self.employment,
            self.name,
            self.gender,
            self.phone,
            self.political_status,
            self.note,
        )


@dataclass
class RosterChanges:
    """What `apply` writes, gathered by `plan`."""

    new_areas: dict = field(default_factory=dict)  # code → AreaRow
    new_people: dict = field(default_factory=dict)  # person key → RosterRow with the details
    changed_people: dict = field(default_factory=dict)  # person id → RosterRow with the new details
    new_posts: list = field(default_factory=list)  # RosterRow
    closed_posts: list = field(default_factory=list)  # HeadAssignment ids
    updated_posts: dict = field(default_factory=dict)  # HeadAssignment id → RosterRow
    matched_posts: set = field(default_factory=set)  # current posts a row of the sheet lists


@register
class RosterImporter(Importer):
    kind = "roster"
    title = gettext_lazy("人员名册")
    options = (
        (
            "complete",
            gettext_lazy("本表是所列网格的完整名册"),
            gettext_lazy("勾选后，所列网格中现任、但本表中已没有的人员将离任；预检时先列出他们，确认前可以核对。"),
        ),
    )
    columns = COLUMNS
    permission_action = CHANGE_ROSTER

    def lock(self, table):
        roots = {row["grid_code"][:4] for row in table.rows if row["grid_code"]}
        tree.lock_for_codes(roots)

    def read(self, data):
        table = super().read(data)
        fill_down(table.rows, [k for k in MERGED_COLUMNS if any(c.key == k for c in table.columns)])
        self._fill_buildings(table.rows)
        return table

    def _fill_buildings(self, rows):
        """A 楼栋 cell merged down over its units: a row with a unit and no building is in the
        building of the row above in the same grid — valid or not, so that a rejected building
        row never sends its units to the building before it."""
        last = {}  # grid code → building text
        for row in rows:
            if is_blank(row) or is_total_row(row):
                continue
            grid = row["grid_code"].replace(" ", "")
            if row["building"]:
                last[grid] = row["building"]
            elif row["unit"] and grid in last:
                row.values["building"] = last[grid]

    # --- planning --------------------------------------------------------------------------------

    def plan(self, table):
        plan = self.new_plan()
        plan.changes = RosterChanges()
        scopes = self.scopes = None if self.user.is_superuser else user_scopes(self.user, CHANGE_ROSTER)
        self.head_scopes = None if self.user.is_superuser else user_scopes(self.user, APPOINT_GRID_HEAD)
        parsed, out_of_scope, data_rows = [], [], 0
        grid_of_row = {}  # row number → the grid code as the sheet writes it (merged cells filled)
        for row in self.data_rows(table, plan):
            data_rows += 1
            grid_of_row[row.number] = row["grid_code"].replace(" ", "")
            roster_row = self._parse(row, plan, scopes)
            if roster_row is not None:
                parsed.append(roster_row)
            elif scopes is not None and row["grid_code"].isdigit() and not in_scopes(row["grid_code"], scopes):
                out_of_scope.append(row["grid_code"])
        if data_rows and len(out_of_scope) == data_rows:
            plan.message = self._whose_sheet(out_of_scope)
        self._recognise(parsed)
        parsed = self._place(parsed, plan)
        parsed = self._unmask(parsed, plan)
        parsed = self._dedupe(parsed, plan)
        self._compare(parsed, plan)
        if self.chosen.get("complete"):
            self._relieve_the_unlisted(parsed, plan, grid_of_row)
        return plan

    def _parse(self, row, plan, scopes):
        errors = []

        def clean(key, column, function):
            try:
                return function(row[key])
            except ValueError as error:
                errors.append((column, str(error)))
                return ""

        grid_code = row["grid_code"].replace(" ", "")
        if not grid_code:
            errors.append(("网格编码", _("网格编码为空。")))
        elif not grid_code.isdigit():
            errors.append(("网格编码", _("网格编码“{code}”应为数字。").format(code=grid_code)))
        elif scopes is not None and not in_scopes(grid_code, scopes):
            errors.append(("网格编码", _("网格 {code} 不在您的管辖范围内。").format(code=grid_code)))
        post_text = row["post"].replace(" ", "")
        post = POST_FROM_CHINESE.get(post_text)
        if post is None:
            errors.append(
                (
                    "职务",
                    _("职务“{post}”无法识别，应为网格长、楼栋长、单元长、网格员或十联户长。").format(post=post_text),
                )
            )
        # The grid head is the community's to appoint: a grid worker's sheet may list them only as
        # on record (its own export does), which `_compare` checks.
        head_locked = bool(
            post == Post.GRID_HEAD
            and self.head_scopes is not None
            and grid_code.isdigit()
            and in_scopes(grid_code, scopes)
            and not in_scopes(grid_code, self.head_scopes)
        )
        employment = {"专职网格员": Employment.FULL_TIME, "兼职网格员": Employment.PART_TIME}.get(post_text, "")
        name = row["name"].replace(" ", "")
        if not name:
            errors.append(("姓名", _("姓名为空。")))
        elif len(name) > 50:
            errors.append(("姓名", _("姓名超过50个字。")))
        # An export for a user who may not see numbers whole holds them masked (180****0001): such a
        # cell means "as on record" — resolved against the post's holder once the row is placed.
        masked = {key: row[key].replace(" ", "") for key in ("phone", "id_number") if "*" in row[key]}
        phone = "" if "phone" in masked else clean("phone", "联系电话", normalise.phone)
        id_number = "" if "id_number" in masked else clean("id_number", "身份证号", normalise.id_number)
        gender_text = row["gender"].replace(" ", "")
        gender = GENDER_FROM_CHINESE.get(gender_text, "")
        if gender_text and not gender:
            errors.append(("性别", _("性别“{value}”应为男或女。").format(value=gender_text)))
        if id_number and gender_text and gender and gender != normalise.gender_from_id(id_number):
            errors.append(("性别", _("性别与身份证号不符。")))
        if id_number and not gender:
            gender = normalise.gender_from_id(id_number)
        status_text = row["political_status"].replace(" ", "")
        status = POLITICAL_STATUS_FROM_CHINESE.get(status_text, "")
        if status_text and not status:
            errors.append(
                (
                    "政治面貌",
                    _("政治面貌“{value}”应为中共党员、中共预备党员、共青团员或群众。").format(value=status_text),
                )
            )
        if name and not id_number and not phone and not masked and not errors:
            errors.append(("身份证号", _("身份证号和联系电话都为空，无法识别人员。")))
        note = row["note"][:200]
        for column, reason in errors:
            plan.reject(row, column, reason)
        if errors:
            return None
        return RosterRow(
            number=row.number,
            grid_code=grid_code,
            post=post,
            employment=employment,
            name=name,
            gender=gender,
            phone=phone,
            id_number=id_number,
            political_status=status,
            note=note,
            building_text=row["building"],
            unit_text=row["unit"],
            grid_name_text=row["grid_name"].replace(" ", ""),
            community_text=row["community"].replace(" ", ""),
            masked=masked,
            head_locked=head_locked,
        )

    @staticmethod
    def _whose_sheet(grid_codes):
        """One sentence for a sheet whose every row lies outside the user's scope: where it belongs."""
        common = grid_codes[0]
        for code in grid_codes[1:]:
            while not code.startswith(common):
                common = common[:-1]
        above = list(
            Area.objects.filter(code__in=[common[:n] for n in range(2, len(common) + 1)])
            .order_by("code")
            .values_list("name", "level")
        )
        streets = [name for name, level in above if level == AreaLevel.STREET]
        owner = ""
        if above:  # the street, and the community or grid below it all rows share
            owner = streets[0] + (above[-1][0] if above[-1][1] != AreaLevel.STREET else "") if streets else above[-1][0]
        if owner:
            return _("此表属于{name}，不在您的管辖范围内，请确认上传的文件。").format(name=owner)
        return _("此表的网格都不在您的管辖范围内，请确认上传的文件。")

    def _recognise(self, rows):
        """A row without an ID number is the person of the row with one and the same name and phone."""
        ids = {}
        for r in rows:
            if r.id_number and r.phone:
                ids.setdefault((r.name, r.phone), set()).add(r.id_number)
        for r in rows:
            found = ids.get((r.name, r.phone)) if not r.id_number else None
            if found and len(found) == 1:
                r.id_number = next(iter(found))
                r.gender = r.gender or normalise.gender_from_id(r.id_number)

    def _place(self, rows, plan):
        """Resolve each row's grid, building and unit; plan the buildings and units to create."""
        grid_codes = sorted({r.grid_code for r in rows})
        grids, grid_names = {}, {}  # code → level; code → (grid name, community name)
        for code, level, name, parent_name in Area.objects.filter(code__in=grid_codes).values_list(
            "code", "level", "name", "parent__name"
        ):
            grids[code], grid_names[code] = level, (name, parent_name or "")
        existing = {}  # code → name, for the buildings and units under these grids
        by_name = {}  # (grid code, building name) → code
        if grids:
            for code, name, parent_code in Area.objects.filter(
                parent__code__in=[c for c, lv in grids.items() if lv == AreaLevel.GRID], level=AreaLevel.BUILDING
            ).values_list("code", "name", "parent__code"):
                existing[code] = name
                by_name[(parent_code, name)] = code
            for code, name in _fetch(
                f"SELECT a.code, a.name FROM {AREA_TABLE} a JOIN {AREA_TABLE} b ON b.id = a.parent_id"
                " WHERE b.code = ANY(%s) AND a.level = %s",
                [list(existing), AreaLevel.UNIT],
            ):
                existing[code] = name
        new_areas = plan.changes.new_areas
        last_building = {}  # grid code → building text of the last building row (merged cells)
        placed = []
        for r in rows:
            level = grids.get(r.grid_code)
            if level is None:
                plan.reject(
                    r.number,
                    "网格编码",
                    _("网格编码 {code} 不存在，网格须先由组织部导入区划。").format(code=r.grid_code),
                )
                continue
            if level != AreaLevel.GRID:
                plan.reject(r.number, "网格编码", _("编码 {code} 不是网格。").format(code=r.grid_code))
                continue
            self._warn_if_names_differ(plan, r, *grid_names[r.grid_code])
            target = POST_LEVEL[r.post]
            building_text = r.building_text.replace(" ", "")
            if building_text:
                last_building[r.grid_code] = building_text
            if target == AreaLevel.GRID:
                r.area_code = r.grid_code
                placed.append(r)
                continue
            if not building_text and target == AreaLevel.UNIT:
                building_text = last_building.get(r.grid_code, "")
            if not building_text:
                plan.reject(r.number, "楼栋", _("{post}须填写楼栋。").format(post=r.post and Post(r.post).label))
                continue
            building_code = self._building_code(r.grid_code, building_text, by_name, new_areas, existing)
            if building_code is None:
                plan.reject(r.number, "楼栋", _("楼栋“{value}”无法识别。").format(value=building_text))
                continue
            if target == AreaLevel.BUILDING:
                r.area_code = building_code
                placed.append(r)
                continue
            unit = normalise.unit_number(r.unit_text)
            if unit is None:
                reason = (
                    _("单元长须填写单元。")
                    if not r.unit_text
                    else _("单元“{value}”无法识别。").format(value=r.unit_text)
                )
                plan.reject(r.number, "单元", reason)
                continue
            unit_code = f"{building_code}{unit:02d}"
            if unit_code not in existing and unit_code not in new_areas:
                new_areas[unit_code] = tree.AreaRow(unit_code, f"{unit}单元", AreaLevel.UNIT, building_code)
            r.area_code = unit_code
            placed.append(r)
        return placed

    @staticmethod
    def _warn_if_names_differ(plan, r, grid_name, community_name):
        """A 社区 or 网格名称 that disagrees with the tree's name for the grid's code: imported by the
        code, but the cadre is told (a typo in the code would put people in the wrong grid)."""
        if r.grid_name_text and r.grid_name_text != grid_name.replace(" ", ""):
            plan.warn(
                r.number,
                "网格名称",
                _("网格名称“{given}”与系统中编码 {code} 的网格“{name}”不一致，将按网格编码导入。").format(
                    given=r.grid_name_text, code=r.grid_code, name=grid_name
                ),
            )
        if r.community_text and community_name and r.community_text != community_name.replace(" ", ""):
            plan.warn(
                r.number,
                "社区",
                _("社区“{given}”与系统中网格 {code} 所属的“{name}”不一致，将按网格编码导入。").format(
                    given=r.community_text, code=r.grid_code, name=community_name
                ),
            )

    def _building_code(self, grid_code, text, by_name, new_areas, existing):
        number = normalise.building_number(text)
        if number is not None:
            code = f"{grid_code}{number:03d}"
            name = f"{number}栋"
        else:
            code = by_name.get((grid_code, text))
            if code is not None:
                return code
            # A building named without a number (A座): the next free code from 901 on.
            taken = {c for c in (*existing, *new_areas) if c.startswith(grid_code) and len(c) == len(grid_code) + 3}
            code = next((f"{grid_code}{n}" for n in range(901, 1000) if f"{grid_code}{n}" not in taken), None)
            if code is None:
                return None
            name = text
            by_name[(grid_code, text)] = code
        if code not in existing and code not in new_areas:
            new_areas[code] = tree.AreaRow(code, name, AreaLevel.BUILDING, grid_code)
        return code

    def _unmask(self, rows, plan):
        """A masked phone or ID number (an export re-imported by a user who sees them masked) means
        the number on record: it must equal the mask of the number of the post's current holder of
        that name, and then the row carries that number. Any other masked cell is rejected."""
        masked_rows = [r for r in rows if r.masked]
        if not masked_rows:
            return rows
        holders = {}  # (area code, post) → [(name, phone, id number)] as the post shows its holder
        for code, post, name, phone, id_number, given_name, given_phone, given_id in _fetch(
            f"""SELECT a.code, h.post, p.name, p.phone, p.id_number,
                       h.given_name, h.given_phone, h.given_id_number
                  FROM {POST_TABLE} h
                  JOIN {AREA_TABLE} a ON a.id = h.area_id
                  JOIN {PERSON_TABLE} p ON p.id = h.person_id
                 WHERE h.end_date IS NULL AND a.code = ANY(%s)""",
            [list({r.area_code for r in masked_rows})],
        ):
            shown = (given_name, given_phone, given_id) if given_name else (name, phone, id_number)
            holders.setdefault((code, post), []).append(shown)
        kept = []
        for r in rows:
            if not r.masked:
                kept.append(r)
                continue
            match = next(
                (
                    (phone, id_number)
                    for name, phone, id_number in holders.get((r.area_code, r.post), [])
                    if name == r.name
                    and ("phone" not in r.masked or mask(phone) == r.masked["phone"])
                    and ("id_number" not in r.masked or mask(id_number) == r.masked["id_number"])
                ),
                None,
            )
            if match is None:
                column = "联系电话" if "phone" in r.masked else "身份证号"
                plan.reject(
                    r.number,
                    column,
                    _(
                        "{column}是隐藏了中间位的号码（{value}），与系统中该职务现任者的登记不符：请填写完整号码。"
                    ).format(column=column, value=next(iter(r.masked.values()))),
                )
                continue
            if "phone" in r.masked:
                r.phone = match[0]
            if "id_number" in r.masked:
                r.id_number = match[1]
                r.gender = r.gender or (normalise.gender_from_id(r.id_number) if r.id_number else "")
            kept.append(r)
        return kept

    def _dedupe(self, rows, plan):
        """Exact duplicate rows are skipped; conflicting rows about one post or person are rejected."""
        seen_rows = {}
        holders = {}  # (area, head post) → first row number
        people = {}  # person key → first row
        kept = []
        for r in rows:
            signature = r.signature()
            if signature in seen_rows:
                plan.skipped += 1
                continue
            seen_rows[signature] = r.number
            first = people.get(r.person_key)
            if first is not None and (first.name, first.phone, first.id_number) != (r.name, r.phone, r.id_number):
                if r.id_number and first.name != r.name:
                    plan.reject(
                        r.number,
                        "身份证号",
                        _("该身份证号在第 {n} 行对应的姓名是“{name}”。").format(n=first.number, name=first.name),
                    )
                    continue
            if r.post in HEAD_POSTS:
                key = (r.area_code, r.post)
                if key in holders and holders[key][1] != r.person_key:
                    plan.reject(
                        r.number,
                        "职务",
                        _("该{post}在第 {n} 行已有人选。").format(post=Post(r.post).label, n=holders[key][0]),
                    )
                    continue
                holders.setdefault(key, (r.number, r.person_key))
            people.setdefault(r.person_key, r)
            kept.append(r)
        # The same person twice on one multi-holder post: keep the first.
        unique, seen_posts = [], set()
        for r in kept:
            key = (r.area_code, r.post, r.person_key)
            if key in seen_posts:
                plan.reject(r.number, "姓名", _("此人在本表中已登记过这一职务。"))
                continue
            seen_posts.add(key)
            unique.append(r)
        return unique

    def _compare(self, rows, plan):
        changes = plan.changes
        people = self._existing_people(rows)
        area_ids = dict(
            _fetch(f"SELECT code, id FROM {AREA_TABLE} WHERE code = ANY(%s)", [list({r.area_code for r in rows})])
        )
        current = {}  # (area code, post) → [CurrentPost], in HeadAssignment's order
        for post in _fetch(
            f"""SELECT h.id, h.post, h.employment, h.note, h.person_id, a.code,
                       ARRAY[h.given_name, h.given_gender, h.given_phone, h.given_id_number, h.given_political_status]
                  FROM {POST_TABLE} h JOIN {AREA_TABLE} a ON a.id = h.area_id
                 WHERE h.end_date IS NULL AND h.area_id = ANY(%s)
                 ORDER BY a.code, h.post, h.start_date DESC""",
            [list(area_ids.values())],
        ):
            post = CurrentPost(*post[:-1], given=tuple(post[-1]))
            current.setdefault((post.area_code, post.post), []).append(post)
        by_post = self._holders_by_name(rows, people, current)
        kept_elsewhere = people_kept_elsewhere(
            {p.pk for p in people.values()} | {p.pk for p in by_post.values()}, self.user
        )
        replaced = []  # (row, current holder it replaces)
        described = []  # (detail, row, holder it replaces or None): places and old names filled in below
        for r in rows:
            person = people.get(r.person_key)
            if person is None and not r.id_number:
                person = by_post.get((r.area_code, r.post, r.name))  # the holder, with a new phone
            if r.head_locked:
                self._keep_locked_head(r, person, current, kept_elsewhere, plan)
                continue
            person_changed = False
            old_details = None  # the person's record as it stands, when this row changes it
            if person is None:
                changes.new_people.setdefault(r.person_key, r)
            elif person.pk in kept_elsewhere:
                r.given = True  # their record belongs to another office: the post keeps this row's details
            else:
                details = (
                    r.name,
                    r.gender or person.gender,
                    r.phone or person.phone,
                    r.id_number or person.id_number,
                    r.political_status or person.political_status,
                )
                if details != (person.name, person.gender, person.phone, person.id_number, person.political_status):
                    changes.changed_people[person.pk] = r
                    person_changed = True
                    old_details = (person.name, person.gender, person.phone, person.id_number, person.political_status)
                    new_details = details
            holders = current.get((r.area_code, r.post), [])
            mine = next((h for h in holders if person is not None and h.person_id == person.pk), None)
            if mine is not None:
                changes.matched_posts.add(mine.pk)
                shown = mine.given if mine.given[0] else tuple(person[1:])
                if (mine.employment, mine.note) != (r.employment, r.note) or (r.given and shown != tuple(r.details)):
                    changes.updated_posts[mine.pk] = r
                    plan.changed.append(r)
                    self._warn_if_kept_elsewhere(plan, r)
                    if plan.wants_detail("changed"):
                        posts = [
                            change(
                                _("职务"),
                                self._post_label(r.post, mine.employment),
                                self._post_label(r.post, r.employment),
                            ),
                            change(_("备注"), mine.note, r.note),
                        ]
                        if r.given:
                            posts += self._person_changes(shown, tuple(r.details))
                        if old_details is not None:
                            posts += self._person_changes(old_details, new_details)
                        described.append((self._describe(plan, "changed", r, posts), r, None))
                elif person_changed:
                    plan.changed.append(r)
                    if plan.wants_detail("changed"):
                        entry = self._describe(plan, "changed", r, self._person_changes(old_details, new_details))
                        described.append((entry, r, None))
                else:
                    plan.unchanged += 1
                continue
            changes.new_posts.append(r)
            self._warn_if_kept_elsewhere(plan, r)
            if r.post in HEAD_POSTS and holders:
                changes.closed_posts.extend(h.pk for h in holders)  # the head was replaced
                replaced.extend((r, h) for h in holders)
                plan.changed.append(r)
                if plan.wants_detail("changed"):
                    person_changes = self._person_changes(old_details, new_details) if old_details else []
                    described.append((self._describe(plan, "changed", r, person_changes), r, holders[0]))
            else:
                plan.new.append(r)
                if plan.wants_detail("new"):
                    described.append((self._describe(plan, "new", r, (), phone=r.phone), r, None))
        names = self._warn_replacements(plan, replaced)
        places = place_names([r.area_code for _entry, r, _holder in described], changes.new_areas.values())
        for entry, r, holder in described:
            entry["what"][1][1] = places.get(r.area_code, r.area_code)  # see _describe
            if holder is not None:  # the head it replaces: 网格长 张伟 → 新网格长
                old = holder.given[0] or names.get(holder.person_id, "")
                entry["changes"].insert(0, [str(Post(r.post).label), old, r.name])

    @staticmethod
    def _keep_locked_head(r, person, current, kept_elsewhere, plan):
        """A grid head row of a user who may not appoint grid heads: unchanged when it lists the
        current head as on record, else refused (it would appoint, replace or change them)."""
        holders = current.get((r.area_code, r.post), [])
        mine = next((h for h in holders if person is not None and h.person_id == person.pk), None)
        if mine is not None and (mine.employment, mine.note) == (r.employment, r.note):
            if mine.given[0] or person.pk in kept_elsewhere:
                shown = mine.given if mine.given[0] else tuple(person[1:])
                same = shown == tuple(r.details)
            else:
                filled = tuple(new or old for new, old in zip(r.details[1:], person[2:], strict=True))
                same = (r.name, *filled) == tuple(person[1:])
            if same:
                plan.changes.matched_posts.add(mine.pk)
                plan.unchanged += 1
                return
        plan.reject(r.number, "职务", _("网格长由社区任免，网格员不能任命或更换。"))

    @staticmethod
    def _post_label(post, employment):
        label = str(Post(post).label)
        return (
            _("{post}（{employment}）").format(post=label, employment=Employment(employment).label)
            if employment
            else label
        )

    @classmethod
    def _describe(cls, plan, kind, r, changes, phone=""):
        """The preview's line for a row: who, which post where (the place is the area code until
        `_compare` names it), and what changes."""
        what = [(_("职务"), cls._post_label(r.post, r.employment)), (_("区划"), r.area_code)]
        if phone:
            what.append((_("联系电话"), mask(phone)))
        return plan.detail(kind, r, r.name, what=what, changes=changes)

    @staticmethod
    def _person_changes(old, new):
        """(label, old, new) of the fields that differ between two (name, gender, phone, ID
        number, political status) tuples; numbers masked."""

        def label(choices, value):
            return str(choices(value).label) if value else ""

        return [
            change(_("姓名"), old[0], new[0]),
            change(_("性别"), label(Gender, old[1]), label(Gender, new[1])),
            change(_("联系电话"), old[2], new[2], personal=True),
            change(_("身份证号"), old[3], new[3], personal=True),
            change(_("政治面貌"), label(PoliticalStatus, old[4]), label(PoliticalStatus, new[4])),
        ]

    def _relieve_the_unlisted(self, rows, plan, grid_of_row):
        """The sheet is the complete roster of the grids it names: every current post there that no
        row lists ends (a grid head the user may not relieve is left alone). Listed first in the
        preview, as `plan.relieved`. A grid with a rejected row is not complete: nobody there is
        relieved; a rejected row whose grid cannot be told keeps every grid untouched (it may be any
        grid's). The preview says which grids were left untouched and why (`plan.notes`)."""
        rejected_in = {}  # grid code as written → rejected row numbers
        for number in plan.rejected_rows:
            rejected_in.setdefault(grid_of_row.get(number, ""), []).append(number)
        grids_found = set(
            Area.objects.filter(code__in=[c for c in rejected_in if c.isdigit()], level=AreaLevel.GRID).values_list(
                "code", flat=True
            )
        )
        untold = sorted(n for code, numbers in rejected_in.items() if code not in grids_found for n in numbers)
        if untold:
            plan.notes.append(
                _("第 {rows} 行的网格编码无法识别，无法确定它属于哪个网格：本次不按完整名册离任任何人。").format(
                    rows=self._row_list(untold)
                )
            )
            return
        incomplete = sorted(c for c in grids_found if self.scopes is None or in_scopes(c, self.scopes))
        places = place_names(incomplete)
        for code in incomplete:
            plan.notes.append(
                _("{grid}有未通过校验的行（第 {rows} 行），不算完整名册：本次不离任该网格的任何人。").format(
                    grid=places[code], rows=self._row_list(rejected_in[code])
                )
            )
        grids = {r.grid_code for r in rows} - grids_found
        if not grids:
            return
        changes = plan.changes
        ending = _fetch(
            f"""SELECT h.id, h.post, h.given_name, p.name, a.code
                  FROM unnest(%s::text[]) g
                  JOIN {AREA_TABLE} a ON {within_sql("a.code", "g")}
                  JOIN {POST_TABLE} h ON h.area_id = a.id AND h.end_date IS NULL
                  JOIN {PERSON_TABLE} p ON p.id = h.person_id
                 ORDER BY a.code, h.post""",
            [sorted(grids)],
        )
        closing = set(changes.closed_posts) | changes.matched_posts
        ending = [
            (pk, post, given_name, name, code)
            for pk, post, given_name, name, code in ending
            if pk not in closing
            and not (post == Post.GRID_HEAD and self.head_scopes is not None and not in_scopes(code, self.head_scopes))
        ]
        places = place_names([code for *_, code in ending])
        for pk, post, given_name, name, code in ending:
            changes.closed_posts.append(pk)
            plan.relieved.append(
                {"name": given_name or name, "post": str(Post(post).label), "area": places[code], "code": code}
            )
            plan.detail(
                "relieved", None, given_name or name, what=[(_("职务"), Post(post).label), (_("区划"), places[code])]
            )

    @staticmethod
    def _row_list(numbers, shown=5):
        """3、7、9 (at most `shown` numbers, then 等)."""
        text = "、".join(str(n) for n in numbers[:shown])
        return _("{rows}等").format(rows=text) if len(numbers) > shown else text

    @staticmethod
    def _holders_by_name(rows, people, current):
        """{(area, post, name): holder} for rows without an ID number that name no registered
        person: a post's current holder of the same name is the same person, whose phone changed
        (without an ID number, a person is otherwise known by name and phone together)."""
        wanted = {
            (r.area_code, r.post, r.name): current.get((r.area_code, r.post), [])
            for r in rows
            if not r.id_number and r.person_key not in people
        }
        person_ids = {h.person_id for holders in wanted.values() for h in holders}
        if not person_ids:
            return {}
        columns = f"SELECT id, name, gender, phone, id_number, political_status FROM {PERSON_TABLE}"
        found = {p[0]: PersonFound(*p) for p in _fetch(f"{columns} WHERE id = ANY(%s)", [list(person_ids)])}
        result = {}
        for (area_code, post, name), holders in wanted.items():
            same = [found[h.person_id] for h in holders if found[h.person_id].name == name]
            if len(same) == 1 and not same[0].id_number:
                result[(area_code, post, name)] = same[0]
        return result

    @staticmethod
    def _warn_replacements(plan, replaced):
        """Before confirming, the cadre sees each head who will be relieved, and by whom. Returns
        {person id: name} of those heads."""
        if not replaced:
            return {}
        names = dict(
            _fetch(
                f"SELECT id, name FROM {PERSON_TABLE} WHERE id = ANY(%s)", [list({h.person_id for _, h in replaced})]
            )
        )
        for r, holder in replaced:
            plan.warn(
                r.number,
                "职务",
                _("{old}将离任{post}，由{new}接任。").format(
                    old=holder.given[0] or names.get(holder.person_id, ""), post=Post(r.post).label, new=r.name
                ),
            )
        return names

    @staticmethod
    def _warn_if_kept_elsewhere(plan, r):
        if r.given:
            plan.warn(r.number, "姓名", str(KEPT_ELSEWHERE_NOTICE))

    def _existing_people(self, rows):
        """People already registered: by ID number, else by name and phone (also for a row whose
        ID number is new but whose name and phone match somebody registered without one)."""
        columns = f"SELECT id, name, gender, phone, id_number, political_status FROM {PERSON_TABLE}"
        ids = sorted({r.id_number for r in rows if r.id_number})
        found = {}
        for person in _fetch(f"{columns} WHERE id_number = ANY(%s)", [ids]) if ids else ():
            person = PersonFound(*person)
            found[("id", person.id_number)] = person
        by_pair = {}
        for r in rows:
            if r.phone and (not r.id_number or r.person_key not in found):
                by_pair.setdefault((r.name, r.phone), []).append(r)
        phones = sorted({phone for _, phone in by_pair})
        for person in _fetch(f"{columns} WHERE phone = ANY(%s) ORDER BY id", [phones]) if phones else ():
            person = PersonFound(*person)
            for r in by_pair.get((person.name, person.phone), []):
                if not r.id_number or not person.id_number:
                    found.setdefault(r.person_key, person)
        return found

    # --- applying -------------------------------------------------------------------------------

    def apply(self, plan, progress=None):
        with tree.immediate_constraints():  # no quadratic queue of deferred checks (see there)
            self._apply(plan, progress)

    def _apply(self, plan, progress):
        changes = plan.changes
        total = len(plan.new) + len(plan.changed) + len(plan.relieved)
        if changes.new_areas:
            tree.bulk_load(list(changes.new_areas.values()))
        today = timezone.localdate()
        with connection.cursor() as cursor:
            person_ids = self._write_people(cursor, changes)
            area_ids = dict(
                _fetch(
                    f"SELECT code, id FROM {AREA_TABLE} WHERE code = ANY(%s)",
                    [list({r.area_code for r in changes.new_posts})],
                )
            )
            if changes.closed_posts:
                cursor.execute(
                    f"UPDATE {HeadAssignment._meta.db_table} SET end_date = %s WHERE id = ANY(%s) AND end_date IS NULL",
                    [today, changes.closed_posts],
                )
            if changes.updated_posts:
                for pk, r in changes.updated_posts.items():
                    given = given_fields(r.details) if r.given else {}
                    HeadAssignment.objects.filter(pk=pk).update(employment=r.employment, note=r.note, **given)
            table = HeadAssignment._meta.db_table
            given_columns = ", ".join(HeadAssignment.GIVEN_FIELDS)
            no_details = ("",) * len(HeadAssignment.GIVEN_FIELDS)
            with cursor.cursor.copy(
                f"COPY {table} (person_id, area_id, post, employment, start_date, note, {given_columns}) FROM STDIN"
            ) as copy:
                for n, r in enumerate(changes.new_posts, 1):
                    copy.write_row(
                        (
                            person_ids[r.person_key],
                            area_ids[r.area_code],
                            r.post,
                            r.employment,
                            today,
                            r.note,
                            *(r.details if r.given else no_details),
                        )
                    )
                    if progress and n % 5000 == 0:
                        progress(n)
        analyze_if_bulk(total, PERSON_TABLE, POST_TABLE)
        if progress:
            progress(total)

    def _write_people(self, cursor, changes):
        """COPY the new people, update the changed ones; returns person key → id for every row."""
        ids = {}
        new = list(changes.new_people.items())
        if new:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Person._meta.db_table, len(new)],
            )
            pks = [row[0] for row in cursor.fetchall()]
            now = timezone.now()
            with cursor.cursor.copy(
                f"COPY {Person._meta.db_table} (id, name, gender, phone, id_number, political_status, note, created_at)"
                " FROM STDIN"
            ) as copy:
                for pk, (key, r) in zip(pks, new, strict=True):
                    copy.write_row((pk, r.name, r.gender, r.phone, r.id_number, r.political_status, "", now))
                    ids[key] = pk
        if changes.changed_people:
            cursor.execute(
                "CREATE TEMP TABLE person_changes (id bigint, name text, gender text, phone text, id_number text,"
                " political_status text) ON COMMIT DROP"
            )
            with cursor.cursor.copy("COPY person_changes FROM STDIN") as copy:
                for pk, r in changes.changed_people.items():
                    copy.write_row((pk, r.name, r.gender, r.phone, r.id_number, r.political_status))
            cursor.execute(
                f"""UPDATE {Person._meta.db_table} p
                       SET name = c.name,
                           gender = COALESCE(NULLIF(c.gender, ''), p.gender),
                           phone = COALESCE(NULLIF(c.phone, ''), p.phone),
                           id_number = COALESCE(NULLIF(c.id_number, ''), p.id_number),
                           political_status = COALESCE(NULLIF(c.political_status, ''), p.political_status)
                      FROM person_changes c WHERE p.id = c.id"""
            )
        missing = [r for r in changes.new_posts if r.person_key not in ids]
        if missing:
            ids.update({key: p.pk for key, p in self._existing_people(missing).items()})
        return ids
