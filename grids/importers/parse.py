"""Parsing the roster sheet: its columns, the merged cells filled down, and every cell cleaned and
checked (typed details: post, gender, ID number, phone, political status) into the stage's rows.

One pass in Python over the rows; the cells of few distinct values (post, gender, political status,
building, unit) go through a memo, so that a city's sheet costs one lookup per such cell.
"""

from django.utils.translation import gettext as _

from core.spreadsheets import Column, is_blank, is_total_row
from core.staging import REJECTED, StageColumn
from orgs.choices import AreaLevel
from orgs.scoping import in_scopes

from .. import normalise
from ..choices import POLITICAL_STATUS_FROM_CHINESE, POST_FROM_CHINESE, POST_LEVEL, Employment, Gender, Post

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
HEADERS = [column.header for column in COLUMNS]  # what exports and demo sheets write
MERGED_COLUMNS = ("district", "street", "community", "grid_code", "grid_name")
GENDER_FROM_CHINESE = {"男": Gender.MALE, "女": Gender.FEMALE, "男性": Gender.MALE, "女性": Gender.FEMALE}
EMPLOYMENT_FROM_POST = {"专职网格员": Employment.FULL_TIME, "兼职网格员": Employment.PART_TIME}

# The stage's parsed columns, in the order `parse` writes them after the row number.
LOADED = (
    StageColumn("grid_code"),  # as written, spaces removed (also for rejected rows: complete-roster relief)
    StageColumn("post"),
    StageColumn("target"),  # the level the post hangs on
    StageColumn("employment"),
    StageColumn("name"),
    StageColumn("gender"),
    StageColumn("phone"),
    StageColumn("id_number"),
    StageColumn("political_status"),
    StageColumn("note"),
    StageColumn("building"),  # as written, spaces removed (merged cells filled down)
    StageColumn("building_no", "integer"),  # 1栋, 1号楼, 01 → 1; NULL for a named building (A座)
    StageColumn("unit_text"),
    StageColumn("unit_no", "integer"),
    StageColumn("grid_name_text"),
    StageColumn("community_text"),
    StageColumn("masked_phone"),  # a masked cell (180****0001): the number on record
    StageColumn("masked_id"),
    StageColumn("head_locked", "boolean"),  # a grid head this user may not appoint: only as on record
    StageColumn("building_code"),  # a numbered building's code (a named one's is found in `place`)
    StageColumn("area_code"),  # the grid, building or unit the post hangs on, when the cells tell it
    StageColumn("person_key"),  # 'i' + ID number, or 'n' + name + US + phone: who the row is
)
WIDTH = len(LOADED)


def fill_buildings(rows):
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


class Memo(dict):
    """function(text) once per distinct text."""

    def __init__(self, function):
        super().__init__()
        self.function = function

    def __missing__(self, text):
        value = self[text] = self.function(text)
        return value


def _post(text):
    post = POST_FROM_CHINESE.get(text)
    return (post, POST_LEVEL.get(post, ""), EMPLOYMENT_FROM_POST.get(text, ""))


def _status(text):
    return POLITICAL_STATUS_FROM_CHINESE.get(text, "")


def _clean(function):
    """function(text) or the ValueError's reason (a str subclass marks it)."""

    def clean(text):
        try:
            return function(text), None
        except ValueError as error:
            return "", str(error)

    return clean


class Parser:
    """Cleans and checks every data row; yields the stage's rows, rejected ones with status set."""

    def __init__(self, scopes, head_scopes):
        self.scopes, self.head_scopes = scopes, head_scopes
        self.posts = Memo(_post)
        self.statuses = Memo(_status)
        self.buildings = Memo(normalise.building_number)
        self.units = Memo(normalise.unit_number)
        self.scope = Memo(lambda code: scopes is None or in_scopes(code, scopes))
        self.head_scope = Memo(lambda code: head_scopes is None or in_scopes(code, head_scopes))
        self.phones = _clean(normalise.phone)
        self.ids = _clean(normalise.id_number)
        self.out_of_scope = []  # grid codes of rows outside the scope (the sheet may be another office's)

    def rows(self, rows, plan):
        for row in rows:
            yield self.parse(row, plan)

    def parse(self, row, plan):  # noqa: C901  (one check a cell, in the order the cadre reads them)
        errors = []
        values = row.values
        grid_code = values.get("grid_code", "").replace(" ", "")
        outside = False  # outside the scope as written: the sheet may be another office's
        if not grid_code:
            errors.append(("网格编码", _("网格编码为空。")))
        elif not grid_code.isdigit():
            errors.append(("网格编码", _("网格编码“{code}”应为数字。").format(code=grid_code)))
        elif not self.scope[grid_code]:
            outside = values["grid_code"].isdigit()
            errors.append(("网格编码", _("网格 {code} 不在您的管辖范围内。").format(code=grid_code)))
        post_text = values.get("post", "").replace(" ", "")
        post, target, employment = self.posts[post_text]
        if post is None:
            errors.append(
                (
                    "职务",
                    _("职务“{post}”无法识别，应为网格长、楼栋长、单元长、网格员或十联户长。").format(post=post_text),
                )
            )
        # The grid head is the community's to appoint: a grid worker's sheet may list them only as
        # on record (its own export does), which the comparison checks.
        head_locked = bool(
            post == Post.GRID_HEAD
            and self.head_scopes is not None
            and grid_code.isdigit()
            and self.scope[grid_code]
            and not self.head_scope[grid_code]
        )
        name = values.get("name", "").replace(" ", "")
        if not name:
            errors.append(("姓名", _("姓名为空。")))
        elif len(name) > 50:
            errors.append(("姓名", _("姓名超过50个字。")))
        # An export for a user who may not see numbers whole holds them masked (180****0001): such a
        # cell means "as on record" — resolved against the post's holder once the row is placed.
        phone_text, id_text = values.get("phone", ""), values.get("id_number", "")
        masked_phone = phone_text.replace(" ", "") if "*" in phone_text else ""
        masked_id = id_text.replace(" ", "") if "*" in id_text else ""
        phone = id_number = ""
        if not masked_phone and phone_text:
            phone, error = self.phones(phone_text)
            if error:
                errors.append(("联系电话", error))
        if not masked_id and id_text:
            id_number, error = self.ids(id_text)
            if error:
                errors.append(("身份证号", error))
        gender_text = values.get("gender", "")
        gender = ""
        if gender_text:
            gender_text = gender_text.replace(" ", "")
            gender = GENDER_FROM_CHINESE.get(gender_text, "")
            if gender_text and not gender:
                errors.append(("性别", _("性别“{value}”应为男或女。").format(value=gender_text)))
        if id_number and gender_text and gender and gender != normalise.gender_from_id(id_number):
            errors.append(("性别", _("性别与身份证号不符。")))
        if id_number and not gender:
            gender = normalise.gender_from_id(id_number)
        status_text = values.get("political_status", "")
        status = ""
        if status_text:
            status_text = status_text.replace(" ", "")
            status = self.statuses[status_text]
            if status_text and not status:
                errors.append(
                    (
                        "政治面貌",
                        _("政治面貌“{value}”应为中共党员、中共预备党员、共青团员或群众。").format(value=status_text),
                    )
                )
        if name and not id_number and not phone and not masked_phone and not masked_id and not errors:
            errors.append(("身份证号", _("身份证号和联系电话都为空，无法识别人员。")))
        building = values.get("building", "").replace(" ", "")
        unit_text = values.get("unit", "")
        number = row.number
        building_no = self.buildings[building] if building else None
        unit_no = self.units[unit_text]
        if errors:
            for column, reason in errors:
                plan.reject(number, column, reason)
            if outside:
                self.out_of_scope.append(grid_code)
            return (number, REJECTED, grid_code, *[None] * (WIDTH - 1))
        return (
            number,
            "ok",
            grid_code,
            post,
            target,
            employment,
            name,
            gender,
            phone,
            id_number,
            status,
            values.get("note", "")[:200],
            building,
            building_no,
            unit_text,
            unit_no,
            values.get("grid_name", "").replace(" ", ""),
            values.get("community", "").replace(" ", ""),
            masked_phone,
            masked_id,
            head_locked,
            *self.codes(target, grid_code, building_no, unit_no),
            f"i{id_number}" if id_number else f"n{name}\x1f{phone}",
        )

    @staticmethod
    def codes(target, grid_code, building_no, unit_no):
        """(building code, area code) as far as the cells tell them."""
        if target == AreaLevel.GRID:
            return None, grid_code
        building_code = f"{grid_code}{building_no:03d}" if building_no is not None else None
        if target == AreaLevel.BUILDING:
            return building_code, building_code
        return building_code, (f"{building_code}{unit_no:02d}" if building_code and unit_no is not None else None)
