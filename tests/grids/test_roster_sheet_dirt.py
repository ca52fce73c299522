"""A street office's real-looking roster sheet (issue 3, acceptance 1): a title row above the
header, header variants, 区/街道/社区/网格 merged down many rows, phones stored as numbers,
full-width digits, stray spaces, an ID ending in lower-case x, a blank row, an exact duplicate,
a 合计 row, a drop-down and frozen panes. It imports; the preview names exactly the bad rows by
the row number Excel shows; importing it again changes nothing."""

import pytest
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from grids.models import HeadAssignment, Person
from orgs import tree
from orgs.choices import AreaLevel
from orgs.models import Area

from .sheets import (
    GRID_A1,
    GRID_A2,
    import_sheet,
    make_id,
    preview_sheet,
    rejected,
    save,
    with_wrong_check_digit,
    woman,
)

TITLE = "前进街道网格“三长”花名册（截至2024年6月）"
# 社区（村）, 手机号码 and 身份证号码: variants of 社区, 联系电话 and 身份证号.
HEADER = "区 街道 社区（村） 网格编码 网格名称 楼栋 单元 职务 姓名 性别 手机号码 身份证号码 政治面貌 备注".split()
UNKNOWN_GRID = "220104001001009"  # in street A, but not in the tree
ZHANG_WEI_ID = make_id(1)
YANG_LEI_ID = make_id(6, ends_with_x=True)
BAD_CHECK_DIGIT_ID = with_wrong_check_digit(woman(7))

# Excel row → (网格编码, 网格名称, 楼栋, 单元, 职务, 姓名, 性别, 手机号码, 身份证号码, 政治面貌, 备注).
# 区, 街道, 社区 are written on row 3 only and merged down to row 17; 网格编码 and 网格名称 are
# written on the first row of each grid's block and merged down the block.
ROWS = {
    3: (GRID_A1, "第1网格", "", "", "网格长", "张伟", "男", 13904310001, ZHANG_WEI_ID, "中共党员", ""),
    4: ("", "", "", "", "专职网格员", "李娜", "女", " １３９０４３１０００２ ", woman(2), "共青团员", ""),
    5: ("", "", "3栋", "", "楼栋长", "王强", "男", 13904310003, make_id(3), "群众", ""),
    6: ("", "", "3号楼", "1单元", "单元长", "刘洋", "女", 13904310004, woman(4), "中共党员", ""),
    7: None,  # a blank row in the middle of the block
    8: ("", "", "03", "2单元", "单元长", "陈静", "女", "13904310005", woman(5), "中共预备党员", ""),
    9: ("", "", "1号楼", "1单元", "单元长", " 杨磊 ", "男", " 13904310006", YANG_LEI_ID.lower(), "群众", ""),
    10: ("", "", "", "", "兼职网格员", "赵敏", "女", 13904310007, BAD_CHECK_DIGIT_ID, "群众", ""),
    11: ("", "", "", "", "十联户长", "黄 军", "男", 13904310008, make_id(8), "中共党员", "负责1-10户"),
    12: (GRID_A2, "第2网格", "", "", "网格长", "周杰", "男", 1390431000, make_id(9), "中共党员", ""),
    13: ("", "", "1栋", "", "楼栋长", "吴芳", "女", 13904310010, woman(10), "群众", ""),
    14: ("", "", "1栋", "", "楼栋长", "吴芳", "女", 13904310010, woman(10), "群众", ""),  # an exact duplicate
    15: ("", "", "", "", "网格员", "徐涛", "男", "0431-88881234", make_id(11), "群众", ""),
    16: (UNKNOWN_GRID, "第9网格", "", "", "网格长", "孙丽", "女", 13904310012, woman(12), "群众", ""),
    17: (GRID_A1, "第1网格", "", "", "书记", "郑明", "男", 13904310013, make_id(13), "中共党员", ""),
}
TOTAL_ROW = 18
BAD_ROWS = [
    (10, "身份证号", f"身份证号“{BAD_CHECK_DIGIT_ID}”校验位不正确，请核对。"),
    (12, "联系电话", "联系电话“1390431000”应为11位手机号或带区号的固定电话。"),
    (16, "网格编码", f"网格编码 {UNKNOWN_GRID} 不存在，网格须先由组织部导入区划。"),
    (17, "职务", "职务“书记”无法识别，应为网格长、楼栋长、单元长、网格员或十联户长。"),
]


def street_office_sheet():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "前进街道"
    sheet["A1"] = TITLE
    sheet.merge_cells("A1:N1")
    sheet.append(HEADER)
    sheet.append(["朝阳区", "前进街道", "A1社区", *ROWS[3]])
    for number in range(4, TOTAL_ROW):
        sheet.append(["", "", "", *ROWS[number]] if ROWS[number] else [])
    sheet.append(["合计", None, None, None, None, None, None, None, f"{len(ROWS) - 2}人"])
    for column in "ABC":
        sheet.merge_cells(f"{column}3:{column}17")
    for column in "DE":
        sheet.merge_cells(f"{column}3:{column}11")
        sheet.merge_cells(f"{column}12:{column}15")
    status = DataValidation(type="list", formula1='"中共党员,中共预备党员,共青团员,群众"', allow_blank=True)
    sheet.add_data_validation(status)
    status.add("M3:M17")
    sheet.freeze_panes = "A3"
    return save(workbook)


def test_the_sheet_has_the_dirt_of_a_street_office():
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(street_office_sheet())).active

    assert sheet["A1"].value == TITLE and sheet["A4"].value is None and sheet["D4"].value is None
    assert {str(r) for r in sheet.merged_cells.ranges} >= {"A1:N1", "A3:A17", "D3:D11", "D12:D15"}
    assert sheet.freeze_panes == "A3" and len(sheet.data_validations.dataValidation) == 1
    assert isinstance(sheet["K3"].value, int) and sheet["L9"].value.endswith("x")
    assert sheet[f"A{TOTAL_ROW}"].value == "合计"


def test_the_preview_lists_exactly_the_bad_rows_with_their_excel_row_numbers(street_a, areas, roster_state):
    before = roster_state()

    plan = preview_sheet(street_a, street_office_sheet())

    assert plan.rejected_rows == [10, 12, 16, 17]
    assert rejected(plan) == BAD_ROWS
    assert plan.summary()["new"] == 9 and plan.summary()["skipped"] == 3  # blank, duplicate, 合计
    assert roster_state() == before


def test_the_valid_rows_import_with_the_expected_counts(street_a, areas):
    plan = import_sheet(street_a, street_office_sheet(), skip_invalid=True)

    summary = plan.summary()
    assert {k: summary[k] for k in ("rows", "new", "changed", "unchanged", "skipped")} == {
        "rows": 15 + 1,  # rows 3 to 18: the data rows, the blank row and the 合计 row
        "new": 9,
        "changed": 0,
        "unchanged": 0,
        "skipped": 3,
    }
    assert [r["row"] for r in summary["rejected"]] == [10, 12, 16, 17]
    assert Person.objects.count() == 9
    assert HeadAssignment.objects.count() == 9


def test_the_cells_are_cleaned_on_the_way_in(street_a, areas):
    import_sheet(street_a, street_office_sheet(), skip_invalid=True)

    people = {p.name: p for p in Person.objects.all()}
    assert people["张伟"].phone == "13904310001"  # stored as a number
    assert people["李娜"].phone == "13904310002"  # full-width digits between spaces
    assert people["杨磊"].phone == "13904310006"
    assert people["杨磊"].id_number == YANG_LEI_ID and YANG_LEI_ID.endswith("X")  # lower-case x
    assert people["徐涛"].phone == "0431-88881234"
    assert "黄军" in people  # the stray space inside the name
    assert people["陈静"].political_status == "probationary"
    assert HeadAssignment.objects.get(person__name="黄军").note == "负责1-10户"
    assert HeadAssignment.objects.get(person__name="李娜").employment == "full_time"


def test_the_merged_cells_are_filled_down_to_every_row_of_their_block(street_a, areas):
    import_sheet(street_a, street_office_sheet(), skip_invalid=True)

    places = dict(HeadAssignment.objects.values_list("person__name", "area__code"))
    assert places == {
        "张伟": GRID_A1,
        "李娜": GRID_A1,
        "王强": f"{GRID_A1}003",
        "刘洋": f"{GRID_A1}00301",
        "陈静": f"{GRID_A1}00302",
        "杨磊": f"{GRID_A1}00101",  # the unit already in the tree
        "黄军": GRID_A1,
        "吴芳": f"{GRID_A2}001",
        "徐涛": GRID_A2,
    }


def test_one_building_written_three_ways_becomes_one_building(street_a, areas):
    import_sheet(street_a, street_office_sheet(), skip_invalid=True)

    buildings = dict(Area.objects.filter(parent__code=GRID_A1, level=AreaLevel.BUILDING).values_list("code", "name"))
    assert buildings == {f"{GRID_A1}001": "1栋", f"{GRID_A1}003": "3栋"}  # 3栋, 3号楼 and 03: one building
    units = dict(Area.objects.filter(parent__code=f"{GRID_A1}003").values_list("code", "name"))
    assert units == {f"{GRID_A1}00301": "1单元", f"{GRID_A1}00302": "2单元"}
    assert list(Area.objects.filter(parent__code=GRID_A2).values_list("code", "name")) == [(f"{GRID_A2}001", "1栋")]
    report = tree.check()
    assert report.ok, report.problems


def test_importing_the_same_sheet_again_changes_nothing(street_a, areas, roster_state):
    import_sheet(street_a, street_office_sheet(), skip_invalid=True)
    before = roster_state()

    plan = import_sheet(street_a, street_office_sheet(), skip_invalid=True)

    summary = plan.summary()
    assert (summary["new"], summary["changed"], summary["unchanged"], summary["skipped"]) == (0, 0, 9, 3)
    assert plan.rejected_rows == [10, 12, 16, 17]
    assert roster_state() == before


@pytest.mark.parametrize("user", ["street_a", "operator"])
def test_the_whole_sheet_is_refused_while_it_has_bad_rows(user, areas, roster_state, request):
    from core.importing import ImportRejected

    before = roster_state()

    with pytest.raises(ImportRejected) as refused:
        import_sheet(request.getfixturevalue(user), street_office_sheet())

    assert refused.value.plan.rejected_rows == [10, 12, 16, 17]
    assert str(refused.value) == "有 4 行数据未通过校验，未写入任何数据。"
    assert roster_state() == before


def test_a_building_cell_merged_over_its_units_places_every_unit_in_its_building(street_a, areas):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["朝阳区", "前进街道", "A1社区", GRID_A1, "第1网格", "5栋", "", "楼栋长", "甲", "", "13904310001"])
    sheet.append(["", "", "", "", "", "", "1单元", "单元长", "乙", "", "13904310002"])
    sheet.append(["", "", "", "", "", "6栋", "", "楼栋长", "丙", "", "1390431"])  # rejected: a bad phone
    sheet.append(["", "", "", "", "", "", "2单元", "单元长", "丁", "", "13904310004"])
    sheet.append(["", "", "", GRID_A2, "第2网格", "", "3单元", "单元长", "戊", "", "13904310005"])  # no building
    for column in "ABCDE":
        sheet.merge_cells(f"{column}2:{column}5")
    sheet.merge_cells("F2:F3")
    sheet.merge_cells("F4:F5")

    plan = import_sheet(street_a, save(workbook), skip_invalid=True)

    assert rejected(plan) == [
        (4, "联系电话", "联系电话“1390431”应为11位手机号或带区号的固定电话。"),
        (6, "楼栋", "单元长须填写楼栋。"),  # not the building of grid A1's last row
    ]
    assert dict(HeadAssignment.objects.values_list("person__name", "area__code")) == {
        "甲": f"{GRID_A1}005",
        "乙": f"{GRID_A1}00501",
        "丁": f"{GRID_A1}00602",  # in 6栋, whose own row was rejected, not in 5栋
    }


def test_the_demo_generators_dirty_sheet_imports_cleanly_and_then_changes_nothing(operator, areas, roster_state):
    from grids.demo import roster_rows, write_sheet

    rows = list(roster_rows("2201"))
    data = write_sheet(rows, dirty=True)

    plan = import_sheet(operator, data)

    assert plan.rejected == []
    assert (len(plan.new), plan.skipped) == (len(rows), 3)  # the blank row, the duplicate, the 合计 row
    assert HeadAssignment.objects.count() == len(rows) == 8
    before = roster_state()
    again = import_sheet(operator, data)
    assert (len(again.new), len(again.changed), again.unchanged) == (0, 0, len(rows))
    assert roster_state() == before
